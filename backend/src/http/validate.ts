import type { z } from 'zod';
import { fieldErrors, type AppError } from '../errors.js';
import { fieldRules, plainRule } from '../../contract/issues.js';

/**
 * `input` as `schema` reads it, or a 400 naming every field that broke a rule: the message is the
 * first (`consumerPhoneNumber: must be E.164 …`), the admin API also lists them all per field.
 * `refuse` may answer an issue with an error of its own (a product code for one field).
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  opts: { root?: string; refuse?: (issue: z.core.$ZodIssue) => AppError | undefined } = {},
): z.output<S> {
  const parsed = schema.safeParse(input, { error: plainRule });
  if (parsed.success) return parsed.data;
  const own = opts.refuse?.(parsed.error.issues[0]);
  if (own) throw own;
  throw fieldErrors(fieldRules(parsed.error, opts.root));
}
