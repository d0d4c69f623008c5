import type { ChannelName } from '../../contract/channels.js';

/** Fills `{{1}}`, `{{2}}` … from the IVR's templateVariables; a missing value leaves it empty. */
export function fillTemplate(text: string, variables: Record<string, string>): string {
  return text.replace(/\{\{\s*(\d{1,2})\s*\}\}/g, (_, n: string) => variables[n] ?? '');
}

/** The text a consumer receives: the handoff's message (or the IVR's SMS override) plus, for SMS, the opt-out line. */
export function renderMessage(m: {
  channel: ChannelName;
  template: string;
  variables: Record<string, string>;
  overrideMessage: string | undefined;
  smsOptOutText: string;
}): string {
  const body =
    m.channel === 'sms' && m.overrideMessage !== undefined
      ? m.overrideMessage
      : fillTemplate(m.template, m.variables);
  if (m.channel !== 'sms' || !m.smsOptOutText || body.includes(m.smsOptOutText)) return body.trim();
  return `${body.trim()} ${m.smsOptOutText}`;
}
