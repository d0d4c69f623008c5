// Checking a form with the contract's schema runs zod: kept apart from the plain field-error
// helpers (field-errors.ts), so a view that only shows errors never loads zod's chunk.
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
