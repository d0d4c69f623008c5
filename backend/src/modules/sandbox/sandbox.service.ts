import { sql } from 'kysely';
import type { ChannelName } from '../../../contract/channels.js';
import type {
  SandboxInbound,
  SandboxMessageView,
  SandboxStatus,
} from '../../../contract/sandbox.js';
import type { AppDeps } from '../deps.js';
import type { Db } from '../../db/database.js';
import { notFound } from '../../errors.js';
import { newUuid } from '../../ids.js';
import { receiveInbound, type InboundOutcome } from '../messaging/inbound.service.js';
import { applyStatus } from '../messaging/status.service.js';

// the shape lives in the contract; re-exported for the callers that import it from here
export type { SandboxMessageView };

/**
 * The last 100 sandbox messages of an account, newest first; with `addresses`, only those to or
 * from one of them (a phone number, or a consumer id for in-app).
 */
export async function listSandboxMessages(
  db: Db,
  accountId: string,
  addresses: readonly string[] = [],
): Promise<SandboxMessageView[]> {
  let query = db
    .selectFrom('messages')
    .select([
      'id',
      'direction',
      'channel',
      'to_address',
      'from_address',
      'body',
      'status',
      'error_code',
      'conversation_id',
      'created_at',
    ])
    .where('account_id', '=', accountId)
    .where('provider', '=', 'sandbox')
    // what the phone received is what the provider took: a message still queued, or whose send
    // failed (…0002, …0003, …0004), never reached it, though the transcript shows the attempt
    .where((eb) =>
      eb.or([eb('direction', '=', 'inbound'), eb('provider_message_id', 'is not', null)]),
    );
  if (addresses.length > 0) {
    query = query.where((eb) =>
      eb.or([eb('to_address', 'in', addresses), eb('from_address', 'in', addresses)]),
    );
  }
  // newest first; messages of the same millisecond in the order they were stored (ids are random)
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy(sql`rowid`, 'desc')
    .limit(100)
    .execute();
  return rows.map((m) => ({
    id: m.id,
    direction: m.direction,
    channel: m.channel as ChannelName,
    to: m.to_address,
    from: m.from_address,
    text: m.body,
    status: m.status,
    errorCode: m.error_code,
    conversationId: m.conversation_id,
    createdAt: new Date(m.created_at).toISOString(),
  }));
}

/** The handset's receipt for an outbound sandbox message, through the real status pipeline. */
export async function reportSandboxStatus(
  deps: AppDeps,
  accountId: string,
  messageId: string,
  input: SandboxStatus,
): ReturnType<typeof applyStatus> {
  const message = await deps.db
    .selectFrom('messages')
    .select(['provider_message_id'])
    .where('account_id', '=', accountId)
    .where('provider', '=', 'sandbox')
    .where('direction', '=', 'outbound')
    .where('id', '=', messageId)
    .executeTakeFirst();
  if (!message?.provider_message_id) throw notFound('No such sandbox message');
  return applyStatus(deps, {
    accountId,
    provider: 'sandbox',
    eventId: newUuid(),
    providerMessageId: message.provider_message_id,
    status: input.status,
    at: deps.clock(),
    ...(input.status === 'failed' && {
      error: {
        errorSource: 'sandbox',
        errorCode: input.errorCode ?? 'failed',
        errorMessage: input.errorMessage ?? 'failed on the sandbox phone',
      },
    }),
  });
}

/** The consumer types on the sandbox phone: the same pipeline as a provider's inbound webhook. */
export function receiveSandboxInbound(
  deps: AppDeps,
  accountId: string,
  input: SandboxInbound,
): Promise<InboundOutcome> {
  const id = newUuid();
  return receiveInbound(deps, {
    accountId,
    channel: input.channel,
    provider: 'sandbox',
    eventId: id,
    providerMessageId: `SB${id.replace(/-/g, '')}`,
    from: input.from,
    to: 'sandbox',
    text: input.text,
    at: deps.clock(),
  });
}
