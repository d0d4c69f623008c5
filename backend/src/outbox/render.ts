import type { ChannelName } from '../../contract/channels.js';
import { smsWithOptOut } from '../../contract/sms.js';
import { fillTemplate, fillValues, messageValues } from '../../contract/template-values.js';

export interface RenderedInvite {
  /** The text a consumer receives: stored, shown on the sandbox phone and in the agent's widget. */
  body: string;
  /** WhatsApp: the template's body parameters, the same values as in `body`. */
  parameters: string[];
}

/**
 * The invite of one channel: the handoff's message (or the IVR's SMS override) with the IVR's
 * templateVariables, plus, for SMS, the opt-out line. With a WhatsApp template (`templateBody`),
 * its variables take the IVR's values, else the handoff's saved defaults (template-values.ts), and
 * the text is the template's body filled with exactly the parameters the provider is sent.
 */
export function renderInvite(m: {
  channel: ChannelName;
  template: string;
  /** The WhatsApp template's body, when the channel sends one that c2m knows. */
  templateBody?: string;
  variables: Record<string, string>;
  /** The handoff channel's default of each variable, for one the IVR does not send. */
  defaults?: Record<string, string>;
  overrideMessage: string | undefined;
  smsOptOutText: string;
}): RenderedInvite {
  if (m.templateBody !== undefined) {
    const { values, parameters } = fillValues(m.templateBody, m.template, m.variables);
    return { body: fillTemplate(m.templateBody, values).trim(), parameters };
  }
  const body =
    m.channel === 'sms' && m.overrideMessage !== undefined
      ? m.overrideMessage
      : fillTemplate(m.template, messageValues(m.defaults, m.variables));
  return {
    body: m.channel === 'sms' ? smsWithOptOut(body, m.smsOptOutText) : body.trim(),
    parameters: templateParameters(m.variables),
  };
}

/** The IVR's templateVariables as body parameters, "1", "2", … in order (template unknown). */
export function templateParameters(variables: Record<string, string>): string[] {
  return Object.keys(variables)
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => variables[k] ?? '');
}
