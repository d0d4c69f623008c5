import type { ChannelDecision } from '../../../contract/deflection.js';
import type { ChannelReason } from '../../../contract/channels.js';

export type ReportOutcome = 'eligible' | 'ineligible' | 'opted_out';

export interface AttemptReport {
  /** The channel the attempt counts under until an invite picks the final one. */
  channel: string;
  outcome: ReportOutcome;
  /** `errorSource_errorCode` of an ineligible attempt (the product's c2m_* error keys, README "Reporting"). */
  error: string | null;
}

/** Why no channel could take the message, as the product's reporting keys it. */
const ERROR_OF: Partial<Record<ChannelReason, string>> = {
  open_conversation: 'c2m_1400',
  frequency_cap: 'c2m_1029',
};

/**
 * How one eligibility answer enters the funnel: eligible on its first eligible channel; an opted-out
 * consumer is skipped, as the product's funnel counts it; anything else failed — c2m_1400 for an open conversation, and
 * c2m_1001 (ineligible: landline, unreachable, channel off) otherwise.
 */
export function attemptReport(decisions: readonly ChannelDecision[]): AttemptReport {
  const eligible = decisions.find((d) => d.eligible);
  if (eligible) return { channel: eligible.name, outcome: 'eligible', error: null };
  const first = decisions[0];
  const channel = first?.name ?? 'none';
  if (first?.reason === 'opted_out') return { channel, outcome: 'opted_out', error: null };
  return {
    channel,
    outcome: 'ineligible',
    error: ERROR_OF[first?.reason ?? 'eligible'] ?? 'c2m_1001',
  };
}
