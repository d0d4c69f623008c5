import type { ChannelName } from '../../../contract/channels.js';
import { isE164 } from '../../../contract/phone.js';
import { inTransaction, type Db } from '../../db/database.js';
import { newUuid } from '../../ids.js';
import { attachToConversation, storeInbound } from '../../outbox/messages.repo.js';
import { enqueue } from '../../outbox/outbox.repo.js';
import type { Account } from '../accounts/accounts.repo.js';
import { findCall } from '../deflection/calls.repo.js';
import { moveTransaction } from '../deflection/transactions.repo.js';
import {
  conversationOfTransaction,
  findOpenConversation,
  latestReachedTransaction,
  type ConversationRow,
} from './conversations.repo.js';
import { enqueueSinkEvent } from './sink.js';
import type { AppUnitOfWork, AppWork, ConversationRef } from '../events/domain-events.js';
import { recordEvent } from '../events/events.repo.js';

/** How far a provider's timestamp may lag ours. */
const CLOCK_SKEW_MS = 5 * 60_000;

export interface InboundMessage {
  account: Account;
  channel: ChannelName;
  provider: string;
  /** The consumer: an E.164 number, or the consumerId for in-app. */
  from: string;
  to: string;
  text: string;
  providerMessageId: string;
  at: number;
}

/**
 * Where a consumer's message goes. An open conversation takes it. Otherwise, a reply within the
 * lookback of a deflection that has not opened a conversation yet opens one on the call's skill
 * (or its override) with the call's context. Anything else — after the lookback, or after that
 * deflection's conversation was closed — is an ordinary inbound conversation on the default skill.
 */
export function routeInbound(uow: AppUnitOfWork, m: InboundMessage): Promise<ConversationRow> {
  return uow.run(async (w) => {
    const conversation =
      (await findOpenConversation(w.db, m.account.id, m.from)) ?? (await openConversation(w, m));
    await storeInbound(w.db, inboundRow(m, conversation.id));
    await enqueueSinkEvent(w.db, {
      accountId: m.account.id,
      conversationId: conversation.id,
      type: 'conversation.consumer_message',
      data: { channel: m.channel, from: m.from, text: m.text },
      now: m.at,
    });
    return conversation;
  });
}

/**
 * A keyword the consumer sent (STOP, START, HELP): c2m answers it, no agent does, so it opens no
 * conversation and goes to no agent desk. It is kept, like every message the consumer sent, in
 * the sandbox thread and in the transcript of the consumer's open conversation if there is one.
 */
export async function recordKeyword(db: Db, m: InboundMessage): Promise<void> {
  const open = await findOpenConversation(db, m.account.id, m.from);
  await storeInbound(db, inboundRow(m, open?.id ?? null));
}

const inboundRow = (m: InboundMessage, conversationId: string | null) => ({
  accountId: m.account.id,
  conversationId,
  channel: m.channel,
  provider: m.provider,
  from: m.from,
  to: m.to,
  body: m.text,
  providerMessageId: m.providerMessageId,
  at: m.at,
});

function conversationRef(c: ConversationRow): ConversationRef {
  return {
    conversationId: c.id,
    transactionId: c.transaction_id,
    consumerPhone: c.consumer_phone,
    consumerId: c.consumer_id,
  };
}

async function openConversation(w: AppWork, m: InboundMessage): Promise<ConversationRow> {
  const { db } = w;
  const candidate = await latestReachedTransaction(db, m.account.id, m.from);
  const withinLookback =
    candidate !== undefined &&
    m.at - candidate.invited_at <= candidate.lookback_minutes * 60_000 &&
    // a message older than the invite (beyond clock skew) is not a reply to it
    m.at >= candidate.invited_at - CLOCK_SKEW_MS &&
    (await conversationOfTransaction(db, candidate.id)) === undefined;
  const deflection = withinLookback ? candidate : undefined;

  let context: Record<string, unknown> = {};
  if (deflection) {
    const call = await findCall(db, m.account.id, deflection.call_id);
    const invite = await db
      .selectFrom('messages')
      .select(['id', 'body', 'channel', 'created_at'])
      .where('transaction_id', '=', deflection.id)
      .where('status', '!=', 'failed')
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    context = {
      callId: deflection.call_id,
      transactionId: deflection.id,
      handoffId: deflection.handoff_id,
      handoffTitle: deflection.handoff_title,
      ivrNumber: deflection.ivr_number,
      sdes: call?.sdes ?? [],
      firstMessage: invite && {
        id: invite.id,
        text: invite.body,
        channel: invite.channel,
        sentAt: new Date(invite.created_at).toISOString(),
      },
    };
  }
  const row = {
    id: newUuid(),
    account_id: m.account.id,
    transaction_id: deflection?.id ?? null,
    consumer_phone: m.channel === 'inapp' ? (deflection?.consumer_phone ?? null) : m.from,
    consumer_id: m.channel === 'inapp' ? m.from : (deflection?.consumer_id ?? null),
    channel: m.channel,
    skill: deflection?.skill ?? m.account.defaultSkill ?? 'default',
    status: 'open' as const,
    opened_at: m.at,
    closed_at: null,
    handoff_id: deflection?.handoff_id ?? null,
    deflection: deflection ? 1 : 0,
    context_json: JSON.stringify(context),
  };
  await db.insertInto('conversations').values(row).execute();
  if (deflection) {
    // the invite becomes the first message of the transcript
    await attachToConversation(db, deflection.id, row.id);
    await moveTransaction(w, deflection.id, { status: 'replied', at: m.at });
  }
  const opened = { ...row, sink_seq: 0, closed_at: null };
  await recordEvent(w, {
    type: 'conversation.opened',
    accountId: m.account.id,
    conversation: conversationRef(opened),
    payload: { skill: row.skill, deflection: !!deflection },
    at: m.at,
  });
  await enqueueSinkEvent(db, {
    accountId: m.account.id,
    conversationId: row.id,
    type: 'conversation.opened',
    data: {
      skill: row.skill,
      channel: row.channel,
      deflection: !!deflection,
      consumer: m.from,
      context,
    },
    now: m.at,
  });
  return opened;
}

/** An agent's (or the contact center's) message: stored, then sent on the conversation's channel. */
export async function postAgentMessage(
  db: Db,
  c: { conversation: ConversationRow; text: string; now: number },
): Promise<string> {
  const to = c.conversation.consumer_phone ?? c.conversation.consumer_id ?? '';
  const messageId = newUuid();
  // answer from the number the consumer last wrote to (or that invited them)
  const last = await db
    .selectFrom('messages')
    .select(['direction', 'to_address', 'from_address'])
    .where('conversation_id', '=', c.conversation.id)
    .orderBy('created_at', 'desc')
    .limit(20)
    .execute();
  const ours = last
    .map((m) => (m.direction === 'inbound' ? m.to_address : m.from_address))
    .find((n) => n !== null && isE164(n));
  await inTransaction(db, async (tx) => {
    await enqueue(tx, {
      accountId: c.conversation.account_id,
      kind: 'reply',
      payload: {
        messageId,
        // a conversation is on the channel its first message came in on, one of c2m's
        channel: c.conversation.channel as ChannelName,
        to,
        ...(ours && { from: ours }),
        body: c.text,
        conversationId: c.conversation.id,
      },
      runAt: c.now,
      now: c.now,
    });
    await enqueueSinkEvent(tx, {
      accountId: c.conversation.account_id,
      conversationId: c.conversation.id,
      type: 'conversation.agent_message',
      data: { messageId, text: c.text },
      now: c.now,
    });
  });
  return messageId;
}

export function closeConversation(
  uow: AppUnitOfWork,
  c: { conversation: ConversationRow; now: number },
): Promise<void> {
  return uow.run(async (w) => {
    await w.db
      .updateTable('conversations')
      .set({ status: 'closed', closed_at: c.now })
      .where('id', '=', c.conversation.id)
      .where('status', '=', 'open')
      .execute();
    await recordEvent(w, {
      type: 'conversation.closed',
      accountId: c.conversation.account_id,
      conversation: conversationRef(c.conversation),
      at: c.now,
    });
    await enqueueSinkEvent(w.db, {
      accountId: c.conversation.account_id,
      conversationId: c.conversation.id,
      type: 'conversation.closed',
      data: {},
      now: c.now,
    });
  });
}
