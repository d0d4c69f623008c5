import type { z } from 'zod';
import { fieldRules, plainRule } from '../../../backend/contract/issues.js';

/**
 * `value` checked by a contract's schema the way the server checks it: the parsed data, or the
 * first rule each field broke (keyed like the server's `fieldErrors`, a rule of the whole value
 * under `form`) in the server's one wording ("is required", "at most 100 characters"), never
 * zod's own ("Too small: expected string to have >=1 characters").
 */
export function checkForm<S extends z.ZodType>(
  schema: S,
  value: unknown,
):
  | { data: z.output<S>; errors: Record<string, never> }
  | { data?: undefined; errors: Record<string, string> } {
  const parsed = schema.safeParse(value, { error: plainRule });
  return parsed.success
    ? { data: parsed.data, errors: {} }
    : { errors: fieldRules(parsed.error, 'form') };
}

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
  const text = rule.replace(/^is required/, 'required');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
