import type { ChannelName } from '../../../contract/channels.js';
import { isE164 } from '../../../contract/phone.js';
import type { AppDeps } from '../deps.js';
import type { WebhookEvent } from '../../channels/types.js';
import { newUuid } from '../../ids.js';
import { enqueue } from '../../outbox/outbox.repo.js';
import { findAccount } from '../accounts/accounts.repo.js';
import { recordKeyword, routeInbound } from '../conversations/conversations.service.js';
import { optIn, optOut } from '../optouts/optouts.repo.js';
import { keywordOf } from './keywords.js';

/** A provider's inbound event, with whose it is and where it came from. */
export type Inbound = Omit<Extract<WebhookEvent, { kind: 'inbound' }>, 'kind'> & {
  accountId: string;
  channel: ChannelName;
  provider: string;
};

export type InboundOutcome = 'duplicate' | 'opted_out' | 'opted_in' | 'help' | 'conversation';

export const OPT_OUT_CONFIRMATION =
  'You are unsubscribed and will receive no more messages from us. Reply START to resubscribe.';
export const OPT_IN_CONFIRMATION =
  'You are subscribed again. Reply STOP to unsubscribe, HELP for help.';

const CONSENT = {
  stop: { change: optOut, confirmation: OPT_OUT_CONFIRMATION, outcome: 'opted_out' },
  start: { change: optIn, confirmation: OPT_IN_CONFIRMATION, outcome: 'opted_in' },
} as const;

/**
 * One consumer message, from any provider or the sandbox. STOP and its synonyms opt the number out
 * of every channel of the account at once (with one confirmation), START opts back in, HELP gets the
 * account's help text; anything else continues or opens a conversation.
 */
export async function receiveInbound(deps: AppDeps, m: Inbound): Promise<InboundOutcome> {
  if (!(await firstDelivery(deps, m.provider, m.eventId, m.accountId))) return 'duplicate';
  const account = await findAccount(deps, m.accountId);
  if (!account) return 'duplicate';
  const keyword = keywordOf(m.text);
  const source = `${m.channel}:${m.provider}`;
  const message = {
    account,
    channel: m.channel,
    provider: m.provider,
    from: m.from,
    to: m.to,
    text: m.text,
    providerMessageId: m.providerMessageId,
    at: m.at,
  };
  // the consumer's own STOP / START / HELP is part of the thread, before c2m's answer to it
  if (keyword) await recordKeyword(deps.db, message);
  const reply = (body: string) =>
    enqueue(deps.db, {
      accountId: m.accountId,
      kind: 'reply',
      payload: {
        messageId: newUuid(),
        channel: m.channel,
        to: m.from,
        ...(isE164(m.to) && { from: m.to }),
        body,
        system: true,
      },
      runAt: m.at,
      now: m.at,
    });

  if (keyword === 'stop' || keyword === 'start') {
    const consent = CONSENT[keyword];
    await consent.change(deps.uow, {
      accountId: m.accountId,
      phone: m.from,
      source,
      keyword: m.text.trim(),
      now: m.at,
    });
    await reply(consent.confirmation);
    deps.nudgeOutbox();
    return consent.outcome;
  }
  if (keyword === 'help') {
    await reply(account.helpText);
    deps.nudgeOutbox();
    return 'help';
  }
  await routeInbound(deps.uow, message);
  deps.nudgeSink();
  return 'conversation';
}

/** At-least-once webhooks: records the event id, and says whether this is its first delivery. */
export async function firstDelivery(
  deps: AppDeps,
  provider: string,
  eventId: string,
  accountId: string,
): Promise<boolean> {
  const res = await deps.db
    .insertInto('webhook_receipts')
    .values({ provider, event_id: eventId, account_id: accountId, received_at: deps.clock() })
    .onConflict((oc) => oc.columns(['provider', 'account_id', 'event_id']).doNothing())
    .executeTakeFirst();
  return (res.numInsertedOrUpdatedRows ?? 0n) > 0n;
}
