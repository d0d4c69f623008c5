import type { z } from 'zod';

/** A field's key in error maps: its zod path joined with dots (`channels.0.message`). */
export const fieldKey = (path: readonly PropertyKey[]): string => path.map(String).join('.');

/** The first rule each field broke, keyed like the server's `fieldErrors`. */
export function issuesByField(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = fieldKey(issue.path) || 'form';
    out[key] ??= issue.message;
  }
  return out;
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

/** A rule as shown under its field: `must be unique` → `Must be unique`. */
export const sentence = (rule: string) => rule.charAt(0).toUpperCase() + rule.slice(1);
