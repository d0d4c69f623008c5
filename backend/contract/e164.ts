// E.164 as plain code, no zod, so the elements' first paint can check a number: phone.ts builds
// the zod field the server validates with from the same pattern and rule.

/**
 * E.164 as c2m stores and compares phone numbers: a `+`, a country code that does not start with 0,
 * at most 15 digits in all. Whether the number is valid for its country is a separate, server-side
 * check (libphonenumber's metadata, `channels/phone.ts`).
 */
export const E164_PATTERN = /^\+[1-9]\d{1,14}$/;

/** The rule as a field's error message says it. */
export const E164_RULE = 'must be E.164, e.g. +14155550100';

export const isE164 = (value: string): boolean => E164_PATTERN.test(value);

/** What people put between a number's digits: spaces, dots, dashes and parentheses. */
const SEPARATORS = /[\s().\-\u00a0]/g;

/**
 * A number as people write it (`+1 (415) 555-0100`) in E.164 (`+14155550100`) when, without its
 * separators, it is one; anything else comes back trimmed but otherwise as given, for the E.164
 * rule to refuse.
 */
export function normaliseE164(text: string): string {
  const compact = text.replace(SEPARATORS, '');
  return isE164(compact) ? compact : text.trim();
}
