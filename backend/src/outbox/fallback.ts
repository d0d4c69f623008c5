import type { ChannelName } from '../../contract/channels.js';
import type { ProviderError } from '../channels/types.js';
import type { Db } from '../db/database.js';
import type { AppUnitOfWork } from '../modules/events/domain-events.js';
import { recordEvent } from '../modules/events/events.repo.js';

/** Why a channel failed: the provider's error (or c2m's), as a transaction records one. */
export interface ChannelError {
  source: string;
  code: string;
  message: string;
}

/** A provider's error as a transaction records it. */
export function channelError(e: ProviderError): ChannelError {
  return { source: e.errorSource, code: e.errorCode, message: e.errorMessage };
}

/**
 * The payload of `transaction.channel_failed`, whichever way the channel failed (at send time or
 * by a provider's receipt): the event webhooks give `error` as it is, like any transaction error.
 */
export interface ChannelFailedPayload {
  channel: ChannelName;
  next: ChannelName;
  /** Null when a provider reported the failure without saying why. */
  error: ChannelError | null;
}

/**
 * The channel-fallback rule, the one place it is decided: when the invite's channel `failed` fails
 * for good and `remaining` (the channels after it, in priority order) is not empty, the transaction
 * is queued again on the next one, `transaction.channel_failed` records the move, and `requeue`
 * puts the send on the remaining channels, all in one database transaction. Returns false, having
 * written nothing, when no channel is left: then the caller fails the transaction.
 */
export async function fallBack(
  uow: AppUnitOfWork,
  f: {
    accountId: string;
    transactionId: string;
    failed: ChannelName;
    remaining: readonly ChannelName[];
    error: ChannelError | null;
    now: number;
  },
  requeue: (tx: Db, channels: ChannelName[]) => Promise<void>,
): Promise<boolean> {
  const [next, ...later] = f.remaining;
  if (next === undefined) return false;
  const payload: ChannelFailedPayload = { channel: f.failed, next, error: f.error };
  await uow.run(async (w) => {
    // not a step back in the funnel: the invite is queued again, on another channel
    await w.db
      .updateTable('transactions')
      .set({ status: 'queued', channel: next, updated_at: f.now })
      .where('id', '=', f.transactionId)
      .execute();
    await recordEvent(w, {
      type: 'transaction.channel_failed',
      accountId: f.accountId,
      transactionId: f.transactionId,
      payload,
      at: f.now,
    });
    await requeue(w.db, [next, ...later]);
  });
  return true;
}

/** The channels after `failed` in `order`; none when `failed` is not in it or is the last. */
export function channelsAfter(order: readonly ChannelName[], failed: ChannelName): ChannelName[] {
  const at = order.indexOf(failed);
  return at < 0 ? [] : order.slice(at + 1);
}

/**
 * A stored `transaction.channel_failed` payload. Events recorded before the payload had one shape
 * may still wait to be fanned out: the send path wrote its error as text, a receipt the provider's
 * `{errorSource, errorCode, errorMessage}`.
 */
export function readChannelFailed(payload: Record<string, unknown>): {
  channel: string;
  next: string;
  error: ChannelError | null;
} {
  return {
    channel: String(payload.channel),
    next: String(payload.next),
    error: errorOf(payload.error),
  };
}

function errorOf(error: unknown): ChannelError | null {
  if (typeof error === 'string') return { source: 'c2m', code: 'channel_failed', message: error };
  if (typeof error !== 'object' || error === null) return null;
  if ('errorSource' in error) return channelError(error as ProviderError);
  return error as ChannelError;
}
