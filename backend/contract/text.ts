import { z } from 'zod';

// The two rules every string a tenant, an IVR or an agent gives c2m follows (README: "Text and
// identifiers"). Text a consumer reads is plain text: a handset shows tags literally, and control
// or bidi-override characters hide or reorder what the consumer sees (Trojan Source, CVE-2021-42574).
// Identifiers are compared, filtered and shown in lists and exports, where an invisible character
// makes two names look the same and a tag is never meant.

/** Where an HTML tag or comment may open: `<b`, `</p`, `<!`. `a < b` and `<3` are text. */
const TAG_OPEN = /<\/?[a-z!]/i;

/**
 * True when the text holds an HTML tag or comment: `<b>`, `</p>`, `<script …>`, `<!-- … -->`, that
 * is an opening with a `>` anywhere after it. Found in one pass: the first opening and a `>` after
 * it (a pattern with `[^>]*>` rescans the rest of the text from every `<`, quadratic on `<a<a<a…`).
 */
function hasTag(text: string): boolean {
  const open = TAG_OPEN.exec(text);
  return open !== null && text.includes('>', open.index + open[0].length);
}
/** C0 controls but tab, LF and CR (messages have lines), DEL and the C1 controls. */
// eslint-disable-next-line no-control-regex -- control characters are what this rule refuses
const TEXT_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
/** Bidi embeddings, overrides (U+202A–U+202E) and isolates (U+2066–U+2069). */
const BIDI_OVERRIDE = /[\u202a-\u202e\u2066-\u2069]/;
/**
 * In an identifier nothing invisible: every C0 and C1 control (tab and line breaks too), the bidi
 * marks, embeddings, overrides and isolates, zero-width characters, line and paragraph separators.
 * ZWJ and ZWNJ stay allowed in consumer text (emoji sequences, Persian), never in an identifier.
 */
const IDENTIFIER_INVISIBLE =
  // eslint-disable-next-line no-control-regex -- control characters are what this rule refuses
  /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

export const TEXT_RULES = {
  tag: 'must be plain text, without HTML tags',
  control: 'must be plain text, without control characters',
  bidi: 'must be plain text, without bidirectional override characters (U+202A–U+202E, U+2066–U+2069)',
  angle: 'must not contain < or >',
  invisible: 'must not contain control, bidirectional or zero-width characters',
} as const;

/** The first rule consumer-facing text breaks, or undefined when it is plain text. */
export function consumerTextProblem(text: string): string | undefined {
  if (hasTag(text)) return TEXT_RULES.tag;
  if (TEXT_CONTROL.test(text)) return TEXT_RULES.control;
  if (BIDI_OVERRIDE.test(text)) return TEXT_RULES.bidi;
  return undefined;
}

/** The first rule an identifier (a name, a number, an id) breaks, or undefined. */
export function identifierProblem(text: string): string | undefined {
  if (/[<>]/.test(text)) return TEXT_RULES.angle;
  if (IDENTIFIER_INVISIBLE.test(text)) return TEXT_RULES.invisible;
  return undefined;
}

const ruleOf =
  (problem: (text: string) => string | undefined) => (text: string, ctx: z.RefinementCtx) => {
    const message = problem(text);
    if (message) ctx.addIssue({ code: 'custom', message });
  };

/** The rules as `superRefine` steps, for a string schema that trims or checks more first. */
export const consumerTextRule = ruleOf(consumerTextProblem);
export const identifierRule = ruleOf(identifierProblem);

/**
 * Text a consumer reads (a message, an opt-out or HELP answer, a template variable's value), at
 * most `max` UTF-16 units; `trim` trims it first, as the settings screen does.
 */
export function consumerText(max: number, opts: { trim?: boolean } = {}) {
  const base = opts.trim ? z.string().trim() : z.string();
  return base.max(max, `at most ${max} characters`).superRefine(consumerTextRule);
}

/**
 * A name or id (skill, IVR number, consumerId, user, app, template name) of at most `max` units;
 * add `.min(1)` where an empty one means nothing.
 */
export function identifier(max: number) {
  return z.string().max(max, `at most ${max} characters`).superRefine(identifierRule);
}
