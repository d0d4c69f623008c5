import { savedDefaults, withDefaults } from '../../../backend/contract/template-values.js';

/**
 * The handoff's message: the body with each default filled in; a variable without one (empty or
 * blank) stays `{{n}}`, which the server reads as "the IVR sends it".
 */
export const fillVariables = withDefaults;

/**
 * The defaults a saved message gave each variable of `body` (editing a saved handoff), read the
 * way the server reads them; an empty object when the message was not made from that body.
 */
export function extractVariables(body: string, message: string): Record<number, string> {
  return Object.fromEntries(savedDefaults(body, message) ?? []);
}
