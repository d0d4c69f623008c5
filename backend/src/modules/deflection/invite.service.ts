import type { ChannelName, ChannelReason } from '../../../contract/channels.js';
import type { InviteRequest, InviteResponse } from '../../../contract/deflection.js';
import { IvrErrorCode } from '../../../contract/errors.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../../errors.js';
import { newUuid } from '../../ids.js';
import type { Account } from '../accounts/accounts.repo.js';
import { findSkill } from '../skills/skills.repo.js';
import type { SendJobPayload } from '../../outbox/jobs/payloads.js';
import { enqueue } from '../../outbox/outbox.repo.js';
import { findCall, type Call } from './calls.repo.js';
import { consumerBlock } from './eligibility.service.js';
import { findTransactionByCall, insertQueuedTransaction } from './transactions.repo.js';
import { recordEvent } from '../events/events.repo.js';

const BLOCKED: Partial<Record<ChannelReason, string>> = {
  opted_out: 'consumer opted out',
  open_conversation: 'an open conversation already exists',
  frequency_cap: 'too many invites to this number in the last hour',
};

/**
 * Turns an eligible call into a transaction and a queued send, in one database transaction. The
 * send happens after commit (outbox), so the IVR's answer never waits on a provider. Repeating an
 * invite for the same callId sends nothing new and answers the same.
 */
export async function invite(
  deps: AppDeps,
  account: Account,
  req: InviteRequest,
): Promise<InviteResponse> {
  const call = await findCall(deps.db, account.id, req.callId);
  if (!call) throw new AppError(404, IvrErrorCode.notFound, `Not Found: callId ${req.callId}`);
  if (await findTransactionByCall(deps.db, account.id, call.id)) return { callId: call.id };

  const now = deps.clock();
  if (now >= call.expiresAt) {
    throw new AppError(
      400,
      IvrErrorCode.callExpired,
      `callId ${call.id} has expired; call eligibility again`,
    );
  }
  if (!call.eligible) {
    throw new AppError(
      400,
      IvrErrorCode.cannotSend,
      'Message cannot be sent: consumer not eligible',
    );
  }
  const channels = channelOrder(call, req.overrideChannel);
  // overrideMessage is SMS-only in the product: it is kept and used if (and when) the message goes
  // by SMS, never rejected, so an IVR that always sends one keeps working for WhatsApp callers
  const skill = req.overrideSkill ?? call.skill;
  if (req.overrideSkill !== undefined) {
    const found = await findSkill(deps, account.id, req.overrideSkill);
    if (!found?.routingEnabled) {
      throw new AppError(
        400,
        IvrErrorCode.overrideSkillNotAvailable,
        `No engagement provided for the overridden skill ${req.overrideSkill}`,
      );
    }
  }
  // since eligibility a STOP may have come in, or a reply, or invites from other calls to the
  // same number (which would otherwise get past the frequency cap): never send then
  const blocked = await consumerBlock(deps, account, call.consumerPhone, now, call.consumerId);
  if (blocked) {
    throw new AppError(400, IvrErrorCode.cannotSend, `Message cannot be sent: ${BLOCKED[blocked]}`);
  }

  const transactionId = newUuid();
  const payload: SendJobPayload = {
    transactionId,
    channels,
    ...(req.overrideMessage !== undefined && { overrideMessage: req.overrideMessage }),
  };
  const created = await deps.uow.run(async (w) => {
    const inserted = await insertQueuedTransaction(w.db, {
      id: transactionId,
      account_id: account.id,
      call_id: call.id,
      handoff_id: call.handoffId,
      skill,
      channel: channels[0],
      consumer_phone: call.consumerPhone,
      consumer_id: call.consumerId,
      ivr_number: call.ivrNumber,
      error_source: null,
      error_code: null,
      error_message: null,
      consent_json: JSON.stringify({
        source: 'ivr',
        callId: call.id,
        ivrNumber: call.ivrNumber,
        eligibilityAt: call.createdAt,
        invitedAt: now,
      }),
      attempted_at: call.createdAt,
      eligible_at: call.createdAt,
      invited_at: now,
      sent_at: null,
      delivered_at: null,
      read_at: null,
      failed_at: null,
      updated_at: now,
    });
    if (!inserted) return false;
    await enqueue(w.db, { accountId: account.id, kind: 'send', payload, runAt: now, now });
    await recordEvent(w, {
      type: 'transaction.queued',
      accountId: account.id,
      transactionId,
      payload: { callId: call.id, channel: channels[0], skill },
      at: now,
    });
    return true;
  });
  if (created) deps.nudgeOutbox();
  return { callId: call.id };
}

/** The override first (it must be available), then the other available channels in priority. */
function channelOrder(call: Call, override: InviteRequest['overrideChannel']): ChannelName[] {
  const available = call.decisions.filter((d) => d.eligible).map((d) => d.name);
  if (override === undefined) return available;
  const wanted: ChannelName = override === 'twilio' ? 'sms' : override;
  if (!available.includes(wanted)) {
    throw new AppError(
      400,
      IvrErrorCode.overrideChannelNotAvailable,
      `Overridden channel is not available: ${override}`,
    );
  }
  return [wanted, ...available.filter((c) => c !== wanted)];
}
