import { z } from 'zod';
import { ChannelName } from './channels.js';
import { PageQuery } from './page.js';
import { consumerText, identifier, identifierRule } from './text.js';
import { variablesOf } from './template-values.js';

/** The longest default of one message variable. */
export const VARIABLE_DEFAULT_MAX = 256;

/** One channel of a handoff, in the handoff's priority order. */
export const HandoffChannel = z.object({
  name: ChannelName,
  enabled: z.boolean(),
  /** Plain text; `{{1}}`, `{{2}}` … are filled from the IVR's templateVariables. */
  message: consumerText(1600).default(''),
  outboundNumber: identifier(32).optional(),
  templateName: identifier(512).optional(),
  templateLanguage: identifier(16).optional(),
  apps: z.array(identifier(128).min(1)).max(3).optional(),
  /**
   * Not WhatsApp (its defaults are in its message): the value of each `{{n}}` the message uses
   * for an IVR that sends no `templateVariables.n`, keyed `"1"`, `"2"` …
   */
  defaults: z
    .record(
      z.string().regex(/^[1-9]\d?$/, 'must be a variable number, 1 to 99'),
      consumerText(VARIABLE_DEFAULT_MAX, { trim: true }),
    )
    .optional(),
});
export type HandoffChannel = z.infer<typeof HandoffChannel>;

export const Handoff = z.object({
  id: z.string().regex(/^H\d{15}$/),
  title: z.string(),
  active: z.boolean(),
  lookbackMinutes: z
    .number()
    .int()
    .min(60)
    .max(30 * 24 * 60),
  channels: z.array(HandoffChannel),
});
export type Handoff = z.infer<typeof Handoff>;

/** Lookback as the product's screen takes it: days (0–30) and hours (0–23), 60 min to 30 days. */
export const Lookback = z
  .object({ days: z.number().int().min(0).max(30), hours: z.number().int().min(0).max(23) })
  .refine((l) => l.days * 24 + l.hours >= 1, 'at least 1 hour')
  .refine((l) => l.days * 24 + l.hours <= 30 * 24, 'at most 30 days');

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
      // the IVR may leave any variable out, and the consumer must never read a blank
      if (c.name !== 'wa') {
        for (const n of variablesOf(c.message)) {
          if (c.defaults?.[String(n)]?.trim()) continue;
          ctx.addIssue({
            code: 'custom',
            path: ['channels', i, 'defaults', String(n)],
            message: `is required: the value of {{${n}}} when the IVR sends none`,
          });
        }
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

export const HandoffListQuery = PageQuery.extend({
  sort: z
    .enum(['title', 'id', 'createdAt', 'updatedAt', 'lookback', 'channels'])
    .default('updatedAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  title: z.string().max(100).optional(),
  channel: ChannelName.optional(),
});
export type HandoffListQuery = z.infer<typeof HandoffListQuery>;
