import type { ChannelName } from '../../../contract/channels.js';
import type { MessageStatus, ProviderError } from '../../channels/types.js';
import type { AppDeps } from '../deps.js';
import { channelError, channelsAfter, fallBack } from '../../outbox/fallback.js';
import { enqueue } from '../../outbox/outbox.repo.js';
import { setMessageStatus } from '../../outbox/messages.repo.js';
import { findCall } from '../deflection/calls.repo.js';
import { findTransaction, moveTransaction } from '../deflection/transactions.repo.js';
import { firstDelivery } from './inbound.service.js';

export interface StatusReport {
  accountId: string;
  provider: string;
  eventId: string;
  providerMessageId: string;
  status: MessageStatus;
  at: number;
  error?: ProviderError;
}

const RANK: Record<string, number> = { queued: 0, sent: 1, delivered: 2, read: 3 };

/**
 * A provider's word on one of our messages. Duplicates are ignored and statuses only move forward
 * (a late `delivered` never overwrites `read`). A failure of the invite's channel falls back to the
 * next available channel of the call, as a failure at send time does.
 */
export async function applyStatus(
  deps: AppDeps,
  r: StatusReport,
): Promise<'duplicate' | 'applied' | 'stale' | 'unknown'> {
  if (!(await firstDelivery(deps, r.provider, r.eventId, r.accountId))) return 'duplicate';
  const message = await deps.db
    .selectFrom('messages')
    .select(['id', 'status', 'transaction_id', 'channel'])
    .where('account_id', '=', r.accountId)
    // not by provider: an Apple Messages link goes out as a Twilio SMS and is reported by Twilio
    .where('provider_message_id', '=', r.providerMessageId)
    .executeTakeFirst();
  if (!message) return 'unknown';
  const forward =
    r.status === 'failed'
      ? message.status === 'queued' || message.status === 'sent'
      : (RANK[r.status] ?? 0) > (RANK[message.status] ?? 99);
  if (!forward) return 'stale';
  await setMessageStatus(deps.db, message.id, {
    status: r.status,
    at: r.at,
    ...(r.error && { error: { code: r.error.errorCode, message: r.error.errorMessage } }),
  });
  if (!message.transaction_id) return 'applied';

  if (
    r.status === 'failed' &&
    (await fallBackAfterReceipt(deps, message.transaction_id, message.channel as ChannelName, r))
  ) {
    return 'applied';
  }
  await moveTransaction(deps.uow, message.transaction_id, {
    status: r.status,
    at: r.at,
    ...(r.error && { error: channelError(r.error) }),
  });
  return 'applied';
}

/**
 * A receipt's failure of the invite's current channel goes on to the channel after it among the
 * call's available ones; false when there is none left (or the invite is on another channel now).
 */
async function fallBackAfterReceipt(
  deps: AppDeps,
  transactionId: string,
  failed: ChannelName,
  r: StatusReport,
): Promise<boolean> {
  const tx = await findTransaction(deps.db, transactionId);
  if (!tx || tx.channel !== failed || tx.status === 'failed') return false;
  const call = await findCall(deps.db, tx.account_id, tx.call_id);
  const available = call?.decisions.filter((d) => d.eligible).map((d) => d.name) ?? [];
  // our clock, not the provider's timestamp: the retry is due now in c2m's time
  const now = deps.clock();
  const fellBack = await fallBack(
    deps.uow,
    {
      accountId: tx.account_id,
      transactionId: tx.id,
      failed,
      remaining: channelsAfter(available, failed),
      error: r.error ? channelError(r.error) : null,
      now,
    },
    (db, channels) =>
      enqueue(db, {
        accountId: tx.account_id,
        kind: 'send',
        payload: { transactionId: tx.id, channels },
        runAt: now,
        now,
      }),
  );
  if (fellBack) deps.nudgeOutbox();
  return fellBack;
}
