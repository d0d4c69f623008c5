// Who may do what, in one place: the brand's users by role (the admin API's actions and the agent
// widget). Plain data, no zod, so the admin element's first paint can carry it: policy.ts builds the
// zod enums the server validates with from these lists. The server enforces the table; the admin
// element reads it only to hide what a role cannot use.

/** Roles of the brand's users, as the product's permission tables name them. */
export const ROLES = ['admin', 'campaign_manager', 'read_only', 'agent_manager', 'agent'] as const;
export type Role = (typeof ROLES)[number];

/** Everything a user can do in the admin API; the policy table grants them per role. */
export const ACTIONS = [
  'settings:view',
  'settings:create',
  'handoffs:view',
  'handoffs:create',
  'handoffs:edit',
  'handoffs:delete',
  'templates:view',
  'templates:create',
  'templates:edit',
  'templates:delete',
  'templates:publish',
  'templates:status',
  'credentials:view',
  'credentials:manage',
  /** The reporting dashboard in the admin element (read only: reports change nothing). */
  'reports:view',
  /** The messaging providers per channel: settings seen with each secret only as set / not set. */
  'providers:view',
  'providers:manage',
  /** The people who sign in on c2m's own page: list; add, reset a password, remove. */
  'users:view',
  'users:manage',
  /** Widget installation keys (the Agent Workspace page's): list them, create and revoke them. */
  'widget_keys:view',
  'widget_keys:manage',
] as const;
export type Action = (typeof ACTIONS)[number];

/** Whether `value` is one of the roles (a role attribute, a session's role). */
export const isRole = (value: unknown): value is Role => ROLES.includes(value as Role);

/**
 * Admin and campaign manager have the same rights in all three of the product's tables: every
 * action but `templates:status`, the agent manager's narrow view (they see templates whole);
 * only the list of users is the admin's alone.
 */
const MANAGE: readonly Action[] = ACTIONS.filter((a) => a !== 'templates:status');

/**
 * Who signs in is the administrator's: the product leaves user management to the account's
 * administrators, so a campaign manager runs the C2M pages but not the list of people.
 */
const ADMIN_ONLY: readonly Action[] = ['users:view', 'users:manage'];

/**
 * The product's three tables (settings, API handoffs, WhatsApp templates), one row per role. The
 * agent manager sees only approved templates' status; agents see nothing here (they have the
 * widget). Credentials are the API keys page, open to the roles that may create keys.
 */
export const POLICY: Record<Role, readonly Action[]> = {
  admin: MANAGE,
  campaign_manager: MANAGE.filter((a) => !ADMIN_ONLY.includes(a)),
  read_only: ['settings:view', 'handoffs:view', 'templates:view', 'reports:view', 'providers:view'],
  agent_manager: ['templates:status'],
  agent: [],
};

export const can = (role: Role, action: Action): boolean => POLICY[role].includes(action);

/** The roles whose users see consumers' messages in the agent widget (REST and Socket.IO). */
export const WIDGET_ROLES: readonly Role[] = [
  'agent',
  'agent_manager',
  'admin',
  'campaign_manager',
];

export const canUseWidget = (role: Role): boolean => WIDGET_ROLES.includes(role);
