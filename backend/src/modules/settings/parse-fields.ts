import { z } from 'zod';
import { describeIssue } from '../../http/body.js';
import { fieldErrors } from '../../errors.js';

/**
 * Like `parseWith`, for the admin API: every field that broke a rule is named in
 * `details.fieldErrors` (the first rule per field), so a form can show each error beside its field.
 */
export function parseFields<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fields: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    // describeIssue words one issue as `field: rule`; reuse it so both APIs say the same thing
    const text = describeIssue(new z.ZodError([issue]));
    const colon = text.indexOf(': ');
    const [field, rule] =
      colon < 0 ? ['body', text] : [text.slice(0, colon), text.slice(colon + 2)];
    fields[field] ??= rule;
  }
  throw fieldErrors(fields);
}
