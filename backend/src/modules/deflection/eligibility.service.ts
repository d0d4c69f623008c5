import type { ChannelName, ChannelReason } from '../../../contract/channels.js';
import type {
  ChannelDecision,
  EligibilityRequest,
  EligibilityResponse,
} from '../../../contract/deflection.js';
import { IvrErrorCode } from '../../../contract/errors.js';
import { isValidE164, offlineDeviceLookup, type DeviceLookup } from '../../channels/phone.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../../errors.js';
import { newUuid } from '../../ids.js';
import type { Account } from '../accounts/accounts.repo.js';
import { findChannelTemplate, findHandoff, type HandoffRecord } from '../handoffs/handoffs.repo.js';
import { fillValues } from '../../../contract/template-values.js';
import { findSkill } from '../skills/skills.repo.js';
import { waReachabilityOf } from '../reachability/wa-reachability.repo.js';
import { consumerStanding, insertCall } from './calls.repo.js';

const HOUR_MS = 3_600_000;
/** Channels a landline cannot receive. */
const MOBILE_ONLY: ReadonlySet<ChannelName> = new Set(['sms', 'wa', 'apple', 'rcs']);

export function invalidPhone(detail: string) {
  return new AppError(
    400,
    IvrErrorCode.invalidPhoneNumber,
    `Invalid customerPhoneNumber: ${detail}`,
  );
}

/**
 * Decides, channel by channel in the handoff's priority order, whether this caller can be reached,
 * and stores the call context under a new callId. Configuration errors (unknown handoff, skill) are
 * 4xx and store nothing; a caller who cannot be reached is a 200 with `eligible: false`.
 */
export async function checkEligibility(
  deps: AppDeps,
  account: Account,
  req: EligibilityRequest,
  devices: DeviceLookup = offlineDeviceLookup,
): Promise<EligibilityResponse> {
  const handoff = await findHandoff(deps, account.id, req.handoffId);
  if (!handoff || !handoff.active) {
    throw new AppError(400, IvrErrorCode.noHandoff, `No handoff is available: ${req.handoffId}`);
  }
  const accountEnabled = new Set(account.channels.filter((c) => c.enabled).map((c) => c.name));
  if (!handoff.channels.some((c) => c.enabled && accountEnabled.has(c.name))) {
    throw new AppError(
      400,
      IvrErrorCode.noHandoffChannel,
      `No handoff channel is available: ${handoff.id} has no channel enabled on the account`,
    );
  }
  const skill = await findSkill(deps, account.id, req.skill);
  if (!skill?.routingEnabled) {
    throw new AppError(
      400,
      IvrErrorCode.noEngagementForSkill,
      `No engagement found for skill ${req.skill}`,
    );
  }
  if (!isValidE164(req.consumerPhoneNumber)) {
    throw invalidPhone('not a valid number for its country code');
  }
  const whatsApp = handoff.channels.find((c) => c.name === 'wa' && c.enabled);
  if (whatsApp && accountEnabled.has('wa')) {
    await requireTemplateVariables(deps, account.id, whatsApp, req.templateVariables ?? {});
  }

  const now = deps.clock();
  const blocked = await consumerBlock(deps, account, req.consumerPhoneNumber, now, req.consumerId);
  const lineType =
    account.deviceCheck && !blocked ? await devices.lineType(req.consumerPhoneNumber) : 'unknown';

  // what the account's own WhatsApp sends taught about this number: one read by its key
  const waReachability = handoff.channels.some((c) => c.name === 'wa')
    ? await waReachabilityOf(
        deps.db,
        account.id,
        req.consumerPhoneNumber,
        now,
        account.waUnreachableDays,
      )
    : undefined;

  const decisions: ChannelDecision[] = [];
  for (const channel of handoff.channels) {
    const decide = (reason: ChannelReason) =>
      decisions.push({
        name: channel.name,
        eligible: reason === 'eligible',
        reason,
        ...(channel.name === 'wa' && waReachability && { reachability: waReachability }),
      });
    if (blocked) decide(blocked);
    else if (!accountEnabled.has(channel.name)) decide('disabled_for_account');
    else if (!channel.enabled) decide('disabled_for_handoff');
    else if (channel.name === 'inapp' && !req.consumerId) decide('consumer_id_required');
    else if (lineType === 'landline' && MOBILE_ONLY.has(channel.name)) decide('landline');
    else if (channel.name === 'wa' && waReachability === 'learned_unreachable') {
      decide('not_reachable');
    } else {
      const adapter = await deps.channels.adapterFor(account.id, channel.name);
      const reachable = await adapter.reachable({
        accountId: account.id,
        channel: channel.name,
        phone: req.consumerPhoneNumber,
        consumerId: req.consumerId,
        apps: channel.apps,
      });
      decide(reachable ? 'eligible' : 'not_reachable');
    }
  }

  const available = decisions.filter((d) => d.eligible).map((d) => d.name);
  const callId = newUuid();
  await insertCall(deps.uow, {
    id: callId,
    accountId: account.id,
    handoffId: handoff.id,
    skill: req.skill,
    consumerPhone: req.consumerPhoneNumber,
    consumerId: req.consumerId ?? null,
    ivrNumber: req.ivrNumber ?? null,
    sdes: req.sdes ?? [],
    templateVariables: req.templateVariables ?? {},
    eligible: available.length > 0,
    decisions,
    createdAt: now,
    expiresAt: now + deps.config.callTtlSeconds * 1000,
  });
  for (const d of decisions) {
    deps.metrics.eligibilityDecisions.inc({ channel: d.name, reason: d.reason });
  }
  return {
    availableChannels: available,
    recommendedChannelName: available[0] ?? '',
    eligible: available.length > 0,
    callId,
    channels: decisions,
  };
}

/**
 * A WhatsApp template cannot be sent with a variable left empty (Meta refuses the send), so a
 * variable that has neither a value from the IVR nor a default saved with the handoff is the IVR's
 * request missing a field: 400 naming it, nothing stored, rather than a send that fails later.
 */
async function requireTemplateVariables(
  deps: AppDeps,
  accountId: string,
  channel: HandoffRecord['channels'][number],
  ivr: Record<string, string>,
): Promise<void> {
  const template = await findChannelTemplate(deps.db, accountId, channel);
  if (!template) return; // the send fails and falls back; the handoff screen says why
  const [missing] = fillValues(template.body, channel.message, ivr).missing;
  if (missing === undefined) return;
  throw new AppError(
    400,
    IvrErrorCode.invalidRequest,
    `templateVariables.${missing}: is required: WhatsApp template ${template.name} uses {{${missing}}} and the handoff saves no default for it`,
  );
}

/**
 * Reasons that make the consumer ineligible on every channel at once. Invite asks again: a STOP,
 * a reply or other invites may have come in since this call's eligibility.
 */
export async function consumerBlock(
  deps: AppDeps,
  account: Account,
  phone: string,
  now: number,
  consumerId?: string | null,
): Promise<ChannelReason | undefined> {
  // a STOP sent from the app opts out the app user, who is known by consumerId
  const s = await consumerStanding(deps.db, account.id, phone, consumerId, now - HOUR_MS);
  if (s.optedOut) return 'opted_out';
  if (s.openConversation) return 'open_conversation';
  if (s.recentInvites >= account.frequencyCapPerHour) return 'frequency_cap';
  return undefined;
}
