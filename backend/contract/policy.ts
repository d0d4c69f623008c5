import { z } from 'zod';
import { ACTIONS, ROLES } from './policy-table.js';

// Who may do what: the roles, actions and the policy table are plain data in policy-table.ts (the
// browser's first paint reads them without zod); here are the zod enums the server validates with,
// built from those lists, and the IVR credentials' permissions.
export { POLICY, WIDGET_ROLES, can, canUseWidget, isRole } from './policy-table.js';

/** Roles of the brand's users, as the product's permission tables name them. */
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** Everything a user can do in the admin API; the policy table grants them per role. */
export const Action = z.enum(ACTIONS);
export type Action = z.infer<typeof Action>;

/**
 * What an IVR's credential may call, granted when it is created. `ivr` is the product's "IVR
 * Engagement" permission, which deflection requires.
 */
export const Permission = z.enum(['ivr', 'reporting', 'admin', 'conversations']);
export type Permission = z.infer<typeof Permission>;
