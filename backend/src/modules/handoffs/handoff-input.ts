import { z } from 'zod';
import { fieldErrors } from '../../errors.js';

// The handoff's input as the admin API and the CLI both take it: one wording for every field.

/**
 * Parses with a contract schema; on failure a 400 whose `fieldErrors` names every field that
 * broke a rule, with its first rule. A schema's own message ("enable at least one channel") wins;
 * the rest are worded by `plainRule`.
 */
export function parseHandoffFields<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input, { error: plainRule });
  if (parsed.success) return parsed.data;
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    errors[issue.path.length ? issue.path.join('.') : 'body'] ??= issue.message;
  }
  throw fieldErrors(errors);
}

/** Rules worded as describeIssue words them, for issues the schema gave no message of its own. */
const plainRule: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      if (issue.expected === 'int') return 'must be a whole number';
      return issue.expected === 'object' && !issue.path?.length
        ? 'must be a JSON object'
        : `must be of type ${issue.expected}`;
    case 'too_big':
      return `at most ${String(issue.maximum)}${unitOf(issue.origin)}`;
    case 'too_small':
      return `at least ${String(issue.minimum)}${unitOf(issue.origin)}`;
    default:
      return undefined; // zod's own wording, e.g. the options of an enum
  }
};

const unitOf = (origin: string) =>
  origin === 'string' ? ' characters' : origin === 'array' ? ' items' : '';
