// The one wording of a broken zod rule as `field: rule`, for the APIs, the CLI, the sockets, the
// providers' webhooks and the configuration: browser-safe, so the elements may word alike.
import { ZodError, type z } from 'zod';

/** What the wording reads of an issue, raw (in zod's error map) or finished. */
interface IssueFacts {
  code: string;
  expected?: unknown;
  origin?: unknown;
  maximum?: unknown;
  minimum?: unknown;
  path?: readonly PropertyKey[];
}

/**
 * The one wording of a broken rule, for every API, the CLI and the sockets; undefined keeps
 * zod's words (an enum's options, a format).
 */
function wordRule(issue: IssueFacts, missing: boolean): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (missing) return 'is required';
      if (issue.expected === 'int') return 'must be a whole number';
      return issue.expected === 'object' && !issue.path?.length
        ? 'must be a JSON object'
        : `must be of type ${String(issue.expected)}`;
    case 'too_big':
      return `at most ${String(issue.maximum)}${unitOf(issue.origin, issue.maximum)}`;
    case 'too_small':
      // an empty text where one is needed is missing, however the schema says "not empty"
      if (issue.origin === 'string' && issue.minimum === 1) return 'is required';
      // a list's minimum reads as a count ("events: at least 1"), a text's in characters
      return `at least ${String(issue.minimum)}${issue.origin === 'array' ? '' : unitOf(issue.origin, issue.minimum)}`;
    default:
      return undefined;
  }
}

/** As zod's error map, so a schema's own message ("enable at least one channel") wins. */
export const plainRule: z.core.$ZodErrorMap = (issue) => wordRule(issue, issue.input === undefined);

function unitOf(origin: unknown, count: unknown): string {
  if (origin === 'string') return count === 1 ? ' character' : ' characters';
  return origin === 'array' ? ' items' : '';
}

/**
 * Each field that broke a rule with its first rule, in the schema's order. A rule of the whole
 * value is filed under `root` ("body"; "" names no field); unknown keys are the field themselves.
 */
export function fieldRules(error: z.ZodError, root = 'body'): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      fields[issue.keys.join(', ')] ??= 'unknown field';
      continue;
    }
    fields[issue.path.length ? issue.path.join('.') : root] ??= issue.message;
  }
  return fields;
}

/**
 * The first issue of an error parsed elsewhere (a socket payload, a CLI flag) as `field: rule`,
 * in the same words. Such an error kept zod's own message for the codes worded here, so a
 * schema's message for them is not told from zod's and the plain rule is used.
 */
export function describeIssue(
  error: z.ZodError,
  root = 'body',
  prefix: readonly PropertyKey[] = [],
): string {
  const first = error.issues[0];
  const issue = prefix.length ? { ...first, path: [...prefix, ...first.path] } : first;
  const missing = issue.code === 'invalid_type' && issue.message.endsWith('received undefined');
  const worded = { ...issue, message: wordRule(issue, missing) ?? issue.message };
  const [field, text] = Object.entries(fieldRules(new ZodError([worded]), root))[0];
  return field ? `${field}: ${text}` : text;
}
