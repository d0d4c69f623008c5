// The one place that turns a WhatsApp handoff into the values of its template's variables: the
// handoff's message is the template's text with each `{{n}}` either replaced by a default value or
// kept as `{{n}}` (no default: the IVR must send it); the IVR's templateVariables win over the
// defaults. The text stored, shown and sent, the template's parameters, the handoff rules and the
// admin element's template picker all read and write the message through these functions.

const VARIABLE = /\{\{\s*(\d{1,2})\s*\}\}/g;

/** True for a text that holds a `{{n}}` somewhere. */
export const hasPlaceholder = (text: string) => new RegExp(VARIABLE.source).test(text);

/** The variable numbers a template's body uses, in ascending order, each once. */
export function variablesOf(body: string): number[] {
  const found = new Set([...body.matchAll(VARIABLE)].map((m) => Number(m[1])));
  return [...found].sort((a, b) => a - b);
}

/** Replaces each `{{n}}` by its value; a variable without one is left empty. */
export function fillTemplate(text: string, values: Record<string, string>): string {
  return text.replace(VARIABLE, (_, n: string) => values[String(Number(n))] ?? '');
}

/**
 * A handoff's message from its template's body and the defaults given: a variable without a
 * default (none, empty or blank) is kept as `{{n}}`, for the IVR to send.
 */
export function withDefaults(body: string, defaults: Readonly<Record<number, string>>): string {
  return body.replace(VARIABLE, (whole, n: string) => {
    const value = defaults[Number(n)];
    return value?.trim() ? value : whole;
  });
}

/**
 * The value given to each variable when `message` is the template's `body` with its `{{n}}`
 * replaced (or kept), or undefined when it is not. Each literal piece is found leftmost after at
 * least one character of value (the classic wildcard match, linear, where a regular expression of
 * lazy groups could backtrack exponentially on adjacent variables); a variable kept as its own
 * `{{n}}` is taken as such, and a value ends before the next variable's kept `{{n}}`, so adjacent
 * variables stay apart. A variable used twice keeps the first value.
 */
export function templateValues(body: string, message: string): Map<number, string> | undefined {
  const text = body.trim();
  const filled = message.trim();
  const literals = text.split(VARIABLE).filter((_, i) => i % 2 === 0);
  const numbers = [...text.matchAll(VARIABLE)].map((m) => Number(m[1]));
  const first = literals[0];
  const last = literals[literals.length - 1];
  if (numbers.length === 0) return filled === text ? new Map() : undefined;
  if (!filled.startsWith(first) || !filled.endsWith(last)) return undefined;
  if (filled.length < first.length + last.length + numbers.length) return undefined;
  const end = filled.length - last.length;
  const values = new Map<number, string>();
  let at = first.length;
  for (let i = 0; i < numbers.length; i++) {
    const literal = literals[i + 1];
    const isLast = i === numbers.length - 1;
    const kept = new RegExp(`^\\{\\{\\s*${numbers[i]}\\s*\\}\\}`).exec(filled.slice(at, end));
    const afterKept = kept ? at + kept[0].length : -1;
    const keptFits = isLast ? afterKept === end : kept && filled.startsWith(literal, afterKept);
    const next = keptFits
      ? afterKept
      : isLast
        ? end
        : pieceAfter(filled, at, literal, numbers[i + 1]);
    // no room for this value, or the piece found runs into the closing one
    if (next <= at || (!isLast && next + literal.length > end)) return undefined;
    if (!values.has(numbers[i])) values.set(numbers[i], filled.slice(at, next));
    at = next + literal.length;
  }
  return values;
}

/**
 * Where the literal after a value starts: right before the next variable's kept `{{n}}` when the
 * text has one (a default holds no `{{…}}`, so that is the end of this value), else leftmost.
 */
function pieceAfter(filled: string, at: number, literal: string, next: number): number {
  const escaped = literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const kept = new RegExp(`${escaped}\\{\\{\\s*${next}\\s*\\}\\}`).exec(filled.slice(at + 1));
  return kept ? at + 1 + kept.index : filled.indexOf(literal, at + 1);
}

/**
 * The defaults a handoff's message gives its template's variables: a variable kept as its own
 * `{{n}}` has none. Undefined when the message is not made from the template.
 */
export function savedDefaults(body: string, message: string): Map<number, string> | undefined {
  if (message.trim() === '') return new Map();
  const values = templateValues(body, message);
  if (!values) return undefined;
  const own = (n: number, v: string) => new RegExp(`^\\{\\{\\s*${n}\\s*\\}\\}$`).test(v);
  return new Map([...values].filter(([n, v]) => !own(n, v)));
}

/**
 * A handoff message's values (not a WhatsApp template's): the IVR's for each variable, unless blank,
 * else the handoff's default, so no `{{n}}` the message uses is ever sent as a blank.
 */
export function messageValues(
  defaults: Readonly<Record<string, string>> | undefined,
  ivr: Readonly<Record<string, string>>,
): Record<string, string> {
  const given = Object.entries(ivr).filter(([, v]) => v.trim() !== '');
  return { ...defaults, ...Object.fromEntries(given) };
}

export interface TemplateFill {
  /** Each variable's value, `"1"`, `"2"` …: the IVR's unless blank, else the handoff's default. */
  values: Record<string, string>;
  /** The template's body parameters in order ({{1}}, {{2}} …). */
  parameters: string[];
  /** Variables that got a value from neither. */
  missing: number[];
}

/** The IVR's values over the handoff's defaults, for each variable the template's body uses. */
export function fillValues(
  body: string,
  message: string,
  ivr: Readonly<Record<string, string>>,
): TemplateFill {
  const defaults = savedDefaults(body, message) ?? new Map<number, string>();
  const values: Record<string, string> = {};
  const missing: number[] = [];
  for (const n of variablesOf(body)) {
    const given = ivr[String(n)];
    const value = given?.trim() ? given : defaults.get(n);
    if (value === undefined) missing.push(n);
    else values[String(n)] = value;
  }
  return {
    values,
    parameters: variablesOf(body).map((n) => values[String(n)] ?? ''),
    missing,
  };
}
