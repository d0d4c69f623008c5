/**
 * How deep a request's JSON may nest: the top-level object is level 1. The deepest body c2m itself
 * takes (SDEs inside an eligibility request) is 4; 32 leaves room for any SDE's own `info`.
 */
export const MAX_JSON_DEPTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = new Set([0x5b, 0x7b]); // [ {
const CLOSE = new Set([0x5d, 0x7d]); // ] }

/**
 * The top-level field whose value nests deeper than `limit` ('body' when the top level itself is
 * not an object), or undefined. One pass over the text counting brackets outside strings: no
 * recursion, so no depth can overflow it, and it runs before JSON.parse builds anything.
 */
export function tooDeepField(text: string, limit = MAX_JSON_DEPTH): string | undefined {
  let depth = 0;
  let inString = false;
  let stringStart = 0;
  let lastTopLevelString: string | undefined;
  let field: string | undefined;
  let topIsObject = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) {
        inString = false;
        // in an object at level 1, the last string before a nested value opens is its key
        if (depth === 1) lastTopLevelString = text.slice(stringStart, i + 1);
      }
    } else if (c === QUOTE) {
      inString = true;
      stringStart = i;
    } else if (OPEN.has(c)) {
      depth++;
      if (depth === 1) topIsObject = c === 0x7b;
      if (depth === 2) field = topIsObject ? keyOf(lastTopLevelString) : undefined;
      if (depth > limit) return field ?? 'body';
    } else if (CLOSE.has(c)) {
      depth--;
    }
  }
  return undefined;
}

/** The key as the error names it: decoded, and short enough for a message. */
function keyOf(quoted: string | undefined): string | undefined {
  if (quoted === undefined) return undefined;
  try {
    return (JSON.parse(quoted) as string).slice(0, 64) || undefined;
  } catch {
    return undefined;
  }
}

/** `field: nested deeper than 32 levels` when the JSON text nests too deep, else undefined. */
export function nestingProblem(text: string): string | undefined {
  const field = tooDeepField(text);
  return field === undefined ? undefined : `${field}: nested deeper than ${MAX_JSON_DEPTH} levels`;
}
