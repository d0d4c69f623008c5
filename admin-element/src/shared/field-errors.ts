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
