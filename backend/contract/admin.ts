import { z } from 'zod';
import { ChannelName } from './channels.js';
import { AccountChannel, HandoffChannel } from './handoffs.js';
import { consumerText, identifier, identifierRule } from './text.js';

/** Roles of the brand's users, as the product's permission tables name them. */
export const Role = z.enum(['admin', 'campaign_manager', 'read_only', 'agent_manager', 'agent']);
export type Role = z.infer<typeof Role>;

/** Everything a user can do in the admin API; the policy table grants them per role. */
export const Action = z.enum([
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
]);
export type Action = z.infer<typeof Action>;

/**
 * The product's three tables (settings, API handoffs, WhatsApp templates), one row per role. The
 * agent manager sees only approved templates' status; agents see nothing here (they have the
 * widget). Credentials are the API keys page, open to the roles that may create keys.
 */
/** Admin and campaign manager have the same rights in all three of the guide's tables. */
const MANAGE: readonly Action[] = [
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
  'credentials:view',
  'credentials:manage',
  'reports:view',
];

export const POLICY: Record<Role, readonly Action[]> = {
  admin: MANAGE,
  campaign_manager: MANAGE,
  read_only: ['settings:view', 'handoffs:view', 'templates:view', 'reports:view'],
  agent_manager: ['templates:status'],
  agent: [],
};

export const can = (role: Role, action: Action): boolean => POLICY[role].includes(action);

/** The admin API's error body (the IVR API keeps the product's `{errorCode, errorMessage}`). */
export const AdminErrorCode = z.enum([
  'validation_failed',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'rate_limited',
  'internal',
  'unavailable',
]);
export type AdminErrorCode = z.infer<typeof AdminErrorCode>;

export const AdminErrorBody = z.object({
  error: z.object({
    code: AdminErrorCode,
    message: z.string(),
    /** For validation_failed: the first rule broken per field, e.g. `{title: 'must be unique'}`. */
    details: z.object({ fieldErrors: z.record(z.string(), z.string()) }).optional(),
    requestId: z.string().optional(),
  }),
});
export type AdminErrorBody = z.infer<typeof AdminErrorBody>;

/** A short-lived session for one of the brand's users, minted by the brand portal's backend. */
export const SessionRequest = z.object({
  userId: identifier(128).min(1),
  role: Role,
  /** Seconds, at most an hour; default 15 minutes. */
  ttlSeconds: z.number().int().min(60).max(3600).default(900),
});
export type SessionRequest = z.infer<typeof SessionRequest>;

export const SessionResponse = z.object({
  token: z.string(),
  expiresAt: z.string(),
  role: Role,
  actions: z.array(Action),
});
export type SessionResponse = z.infer<typeof SessionResponse>;

export const LoginRequest = z.object({
  accountId: identifier(32).min(1),
  username: identifier(128).min(1),
  password: z.string().min(1).max(256),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

/** Lookback as the product's screen takes it: days (0–30) and hours (0–23), 60 min to 30 days. */
export const Lookback = z
  .object({ days: z.number().int().min(0).max(30), hours: z.number().int().min(0).max(23) })
  .refine((l) => l.days * 24 + l.hours >= 1, 'at least 1 hour')
  .refine((l) => l.days * 24 + l.hours <= 30 * 24, 'at most 30 days');

export const SMS_MAX = 1600;
export const SMS_GUIDANCE = 140;

export const HandoffInput = z
  .object({
    title: z
      .string()
      .trim()
      .min(1, 'is required')
      .max(100, 'at most 100 characters')
      .superRefine(identifierRule),
    lookback: Lookback,
    active: z.boolean().default(true),
    /** In priority order; only enabled ones are used. */
    channels: z.array(HandoffChannel).min(1, 'enable at least one channel'),
  })
  .superRefine((h, ctx) => {
    const enabled = h.channels.filter((c) => c.enabled);
    const names = h.channels.map((c) => c.name);
    if (new Set(names).size !== names.length) {
      ctx.addIssue({ code: 'custom', path: ['channels'], message: 'each channel at most once' });
    }
    if (enabled.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['channels'], message: 'enable at least one channel' });
    }
    const inapp = enabled.some((c) => c.name === 'inapp');
    if (inapp && enabled.some((c) => c.name === 'sms' || c.name === 'wa')) {
      ctx.addIssue({
        code: 'custom',
        path: ['channels'],
        message: 'in-app cannot be combined with SMS or WhatsApp',
      });
    }
    h.channels.forEach((c, i) => {
      if (!c.enabled) return;
      if (c.name === 'inapp' && (c.apps?.length ?? 0) === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['channels', i, 'apps'],
          message: 'pick 1 to 3 apps',
        });
      }
      if (c.name === 'wa' && !c.templateName) {
        ctx.addIssue({
          code: 'custom',
          path: ['channels', i, 'templateName'],
          message: 'pick an approved WhatsApp template',
        });
      }
      if (c.name !== 'wa' && c.message.trim() === '') {
        ctx.addIssue({ code: 'custom', path: ['channels', i, 'message'], message: 'is required' });
      }
    });
  });
export type HandoffInput = z.infer<typeof HandoffInput>;

export const HandoffView = z.object({
  id: z.string(),
  title: z.string(),
  active: z.boolean(),
  lookback: z.object({ days: z.number(), hours: z.number() }),
  channels: z.array(HandoffChannel),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type HandoffView = z.infer<typeof HandoffView>;

export const HandoffListQuery = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  sort: z
    .enum(['title', 'id', 'createdAt', 'updatedAt', 'lookback', 'channels'])
    .default('updatedAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  title: z.string().max(100).optional(),
  channel: ChannelName.optional(),
});
export type HandoffListQuery = z.infer<typeof HandoffListQuery>;

export const Page = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int(),
    offset: z.number(),
    limit: z.number(),
  });

export const SettingsView = z.object({
  channels: z.array(AccountChannel),
  deviceCheck: z.boolean(),
  routing: z.array(z.object({ name: z.string(), routingEnabled: z.boolean() })),
  defaultSkill: z.string().nullable(),
  smsOptOutText: z.string(),
  helpText: z.string(),
  frequencyCapPerHour: z.number().int(),
  rateLimitPerSec: z.number().int(),
});
export type SettingsView = z.infer<typeof SettingsView>;

export const SettingsInput = z.object({
  channels: z
    .array(AccountChannel)
    .refine((cs) => new Set(cs.map((c) => c.name)).size === cs.length, 'each channel at most once')
    .optional(),
  deviceCheck: z.boolean().optional(),
  routing: z
    .array(z.object({ name: identifier(255).min(1), routingEnabled: z.boolean() }))
    .optional(),
  defaultSkill: identifier(255).min(1).nullable().optional(),
  smsOptOutText: consumerText(160, { trim: true }).optional(),
  helpText: consumerText(640, { trim: true }).min(1).optional(),
  frequencyCapPerHour: z.number().int().min(1).max(1000).optional(),
  /** 0 lifts the limit (a benchmark or a trusted IVR). */
  rateLimitPerSec: z.number().int().min(0).max(100_000).optional(),
});
export type SettingsInput = z.infer<typeof SettingsInput>;
