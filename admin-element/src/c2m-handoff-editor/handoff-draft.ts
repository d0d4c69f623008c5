import {
  HandoffInput,
  type HandoffChannel,
  type HandoffView,
} from '../../../backend/contract/handoffs.js';
import { SMS_MAX, smsWithOptOut } from '../../../backend/contract/sms.js';
import { E164_RULE, isE164, normaliseE164 } from '../../../backend/contract/phone.js';
import { variablesOf } from '../../../backend/contract/template-values.js';
import { CHANNEL_NAMES, type ChannelName } from '../../../backend/contract/channel-names.js';
import { msg, str } from '@lit/localize';
import { checkForm } from '../shared/check-form.js';
import { channelLabel } from '../shared/labels.js';

/** The guide's steps: title and lookback → channels and order → messages → preview and confirm. */
export const STEPS = ['details', 'channels', 'messages', 'preview'] as const;
export type Step = (typeof STEPS)[number];

/** A step's name, in the shown language. */
export function stepLabel(step: Step): string {
  switch (step) {
    case 'details':
      return msg('Title and lookback');
    case 'channels':
      return msg('Channels and order');
    case 'messages':
      return msg('Messages');
    case 'preview':
      return msg('Preview and confirm');
  }
}

/** A handoff as the form holds it: the number inputs keep their text until it is checked. */
export interface Draft {
  title: string;
  days: string;
  hours: string;
  active: boolean;
  /** Every channel, enabled or not, in priority order. */
  channels: HandoffChannel[];
}

const blankChannel = (name: ChannelName): HandoffChannel => ({ name, enabled: false, message: '' });

/** A new handoff (1 hour lookback, nothing enabled) or a saved one, with every channel listed. */
export function draftOf(handoff?: HandoffView): Draft {
  const saved = handoff?.channels ?? [];
  const missing = CHANNEL_NAMES.filter((n) => !saved.some((c) => c.name === n));
  return {
    title: handoff?.title ?? '',
    days: String(handoff?.lookback.days ?? 0),
    hours: String(handoff?.lookback.hours ?? 1),
    active: handoff?.active ?? true,
    channels: [...saved.map((c) => ({ ...c })), ...missing.map(blankChannel)],
  };
}

/** A lookback field's text as a number: empty is 0 ("2 days" needs no hours), else digits only. */
const wholeNumber = (text: string) =>
  text.trim() === '' ? 0 : /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;

/** Only what a channel uses goes to the server: no empty number, no apps on SMS. */
function cleanChannel(c: HandoffChannel): HandoffChannel {
  const out: HandoffChannel = { name: c.name, enabled: c.enabled, message: c.message };
  const number = normaliseE164(c.outboundNumber ?? '');
  if (number && (c.name === 'sms' || c.name === 'wa')) out.outboundNumber = number;
  if (c.name === 'wa' && c.templateName) {
    out.templateName = c.templateName;
    if (c.templateLanguage) out.templateLanguage = c.templateLanguage;
  }
  if (c.name === 'inapp') out.apps = (c.apps ?? []).map((a) => a.trim()).filter(Boolean);
  // a default for each variable the message uses, none for one it no longer does
  const used = c.name === 'wa' ? [] : variablesOf(c.message);
  if (used.length) {
    out.defaults = Object.fromEntries(used.map((n) => [String(n), c.defaults?.[String(n)] ?? '']));
  }
  return out;
}

/** The request body for POST / PUT. */
export function inputOf(d: Draft): HandoffInput {
  return {
    title: d.title,
    lookback: { days: wholeNumber(d.days), hours: wholeNumber(d.hours) },
    active: d.active,
    channels: d.channels.map(cleanChannel),
  };
}

/**
 * Every rule broken, keyed like the server's field errors (`title`, `lookback.days`,
 * `channels.0.message`): the contract's schema plus the rule that needs more than the
 * handoff (the opt-out text counts towards the SMS maximum). A WhatsApp template's variables need
 * no value here: a variable kept as `{{n}}` is the IVR's to send; the server checks the defaults.
 */
export function validate(d: Draft, optOutText: string): Record<string, string> {
  const input = inputOf(d);
  const { errors } = checkForm(HandoffInput, input);
  // zod's own range messages ("Too big: expected number to be <=30") are for developers
  for (const [field, text, range] of [
    ['days', d.days, msg('from 0 to 30 days')],
    ['hours', d.hours, msg('from 0 to 23 hours')],
  ] as const) {
    const key = `lookback.${field}`;
    if (Number.isNaN(wholeNumber(text))) errors[key] = 'must be a whole number';
    else if (errors[key]) errors[key] = range;
  }
  input.channels.forEach((c, i) => {
    if (!c.enabled) return;
    // the server's rule too (whether the number exists for its country only the server tells)
    if (c.outboundNumber !== undefined && !isE164(c.outboundNumber)) {
      errors[`channels.${i}.outboundNumber`] ??= E164_RULE;
    }
    const key = `channels.${i}.message`;
    if (c.name === 'sms' && smsWithOptOut(c.message, optOutText).length > SMS_MAX) {
      errors[key] ??= msg(str`at most ${SMS_MAX} characters including the opt-out text`);
    }
  });
  return errors;
}

/** The draft with each outbound number as it is sent: `+1 (415) 555-0100` → `+14155550100`. */
export function normaliseNumbers(d: Draft): Draft {
  return {
    ...d,
    channels: d.channels.map((c) =>
      c.outboundNumber ? { ...c, outboundNumber: normaliseE164(c.outboundNumber) } : c,
    ),
  };
}

/** A field as the form labels it, to name it in a message about the whole form. */
export function fieldLabel(field: string, d: Draft): string {
  const channel = /^channels\.(\d+)\.(\w+)/.exec(field);
  if (channel) {
    const name = d.channels[Number(channel[1])]?.name;
    const parts: Record<string, string> = {
      outboundNumber: msg('Outbound phone number'),
      message: msg('Message'),
      templateName: msg('WhatsApp template'),
      templateLanguage: msg('Template language'),
      apps: msg('Apps'),
    };
    const part = parts[channel[2]] ?? channel[2];
    return name ? `${channelLabel(name)}: ${part}` : part;
  }
  if (field.startsWith('lookback')) return msg('Lookback period');
  if (field === 'channels') return msg('Channels');
  if (field === 'title') return msg('Title');
  return field;
}

/**
 * Every field error in one line, each with its step, for the top of the form: the fields of the
 * other steps are out of sight, and their errors must not be.
 */
export function describeErrors(errors: Record<string, string>, d: Draft): string {
  return Object.entries(errors)
    .map(([field, rule]) => {
      const label = fieldLabel(field, d);
      const step = STEPS.indexOf(stepOf(field)) + 1;
      return msg(str`${label} (step ${step}): ${rule}`);
    })
    .join('; ');
}

/** The step that shows a field, so an error (the server's too) can be taken to it. */
export function stepOf(field: string): Step {
  if (field === 'channels' || /^channels\.\d+\.(name|enabled)$/.test(field)) return 'channels';
  if (field.startsWith('channels')) return 'messages';
  if (field.startsWith('title') || field.startsWith('lookback') || field === 'active') {
    return 'details';
  }
  return 'preview';
}

/** The errors of the steps up to and including `step`. */
export function errorsUpTo(errors: Record<string, string>, step: Step): Record<string, string> {
  const last = STEPS.indexOf(step);
  return Object.fromEntries(
    Object.entries(errors).filter(([field]) => STEPS.indexOf(stepOf(field)) <= last),
  );
}
