import type { ChannelReason } from '../../backend/contract/channels.js';

/** What each eligibility reason means, after its code, for whoever tries the demo. */
export const reasonLabels: Record<ChannelReason, string> = {
  eligible: 'can be used',
  disabled_for_account: 'switched off for the account',
  disabled_for_handoff: 'switched off in this handoff',
  consumer_id_required: 'needs the app user id',
  landline: 'the number is a landline',
  not_reachable: 'the provider cannot reach this number',
  opted_out: 'the number sent STOP',
  open_conversation: 'a conversation is already open',
  frequency_cap: 'invited too often in the last hour',
};
