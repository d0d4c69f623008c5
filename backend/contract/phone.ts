import { z } from 'zod';
import { E164_PATTERN, E164_RULE } from './e164.js';

// The pattern, its rule and `isE164` are plain code in e164.ts (the browser's first paint checks
// numbers without zod); here is the zod field the server validates with.
export { E164_PATTERN, E164_RULE, isE164, normaliseE164 } from './e164.js';

/** A phone number field in E.164. */
export const E164 = z.string().regex(E164_PATTERN, E164_RULE);
