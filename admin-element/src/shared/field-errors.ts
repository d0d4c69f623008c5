import { msg, str } from '@lit/localize';
import { E164_RULE } from '../../../backend/contract/e164.js';

/**
 * The server may name a field `channels[0].message` or `channels.0.message`; both are read as the
 * dotted form the elements use.
 */
export function normaliseFieldErrors(errors: Readonly<Record<string, string>>) {
  const out: Record<string, string> = {};
  for (const [key, rule] of Object.entries(errors)) {
    out[key.replace(/\[(\d+)\]/g, '.$1').replace(/^\./, '')] = rule;
  }
  return out;
}

/** The errors under `prefix.`, with the prefix taken off (`channels.0.` → `message`). */
export function errorsUnder(errors: Record<string, string>, prefix: string) {
  const out: Record<string, string> = {};
  for (const [key, rule] of Object.entries(errors)) {
    if (key.startsWith(`${prefix}.`)) out[key.slice(prefix.length + 1)] = rule;
  }
  return out;
}

/**
 * A rule as shown under its field, the API's words made a label's: `must be unique` →
 * `Must be unique`, `is required` → `Required`, `at most 100 characters` → `At most 100 characters`.
 */
export function sentence(rule: string): string {
  const translated = ruleText(rule);
  if (translated) return translated;
  const text = rule.replace(/^is required/, 'required');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The contract's rules (the server's words, and the forms' own checks in them) as shown under a
 * field in the shown language; undefined for a rule worded nowhere here (shown as it came).
 */
function ruleText(rule: string): string | undefined {
  const count = /^(at most|at least) (\d+) characters?$/.exec(rule);
  if (count) {
    const n = count[2];
    return count[1] === 'at most'
      ? msg(str`At most ${n} characters`)
      : msg(str`At least ${n} characters`);
  }
  const variable = /^is required: the value of \{\{(\d+)\}\} when the IVR sends none$/.exec(rule);
  if (variable) {
    const n = variable[1];
    return msg(str`Required: the value of {{${n}}} when the IVR sends none`);
  }
  switch (rule) {
    case 'is required':
      return msg('Required');
    case 'must be a whole number':
      return msg('Must be a whole number');
    case 'must be unique':
      return msg('Must be unique');
    case E164_RULE:
      return msg('Must be E.164, e.g. +14155550100');
    case 'enable at least one channel':
      return msg('Enable at least one channel');
    case 'each channel at most once':
      return msg('Each channel at most once');
    case 'must be an origin like https://portal.example.com (no path)':
      return msg('Must be an origin like https://portal.example.com (no path)');
    case 'must look like AC + 32 hex digits':
      return msg('Must look like AC + 32 hex digits');
    case 'must look like MG + 32 hex digits':
      return msg('Must look like MG + 32 hex digits');
    default:
      return undefined;
  }
}
