import { z } from 'zod';
import { PageQuery } from './page.js';
import { E164 } from './phone.js';
import { consumerText, consumerTextRule } from './text.js';

/** Meta's template categories; Meta may re-categorise a template when it reviews it. */
export const TemplateCategory = z.enum(['MARKETING', 'UTILITY', 'AUTHENTICATION'], {
  error: (issue) =>
    issue.input === undefined ? 'is required' : 'must be MARKETING, UTILITY or AUTHENTICATION',
});
export type TemplateCategory = z.infer<typeof TemplateCategory>;

/**
 * A template's life: created as a draft, submitted (pending), then WhatsApp's verdict (approved or
 * rejected); Meta may later pause or disable an approved template for low quality.
 */
export const TemplateStatus = z.enum(
  ['draft', 'pending', 'approved', 'rejected', 'paused', 'disabled'],
  { error: 'must be draft, pending, approved, rejected, paused or disabled' },
);
export type TemplateStatus = z.infer<typeof TemplateStatus>;

/** Only these can be changed or (re)submitted; the rest are WhatsApp's: clone them to change. */
export const EDITABLE_TEMPLATE_STATUSES: readonly TemplateStatus[] = ['draft', 'rejected'];
export const templateEditable = (status: TemplateStatus): boolean =>
  EDITABLE_TEMPLATE_STATUSES.includes(status);

export const TEMPLATE_NAME_MAX = 512;
export const TEMPLATE_BODY_MAX = 1024;
export const TEMPLATE_EXAMPLE_MAX = 1024;

/** Anything in double braces; only `{{1}}`, `{{2}}` … are variables, the rest is a mistake. */
const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

/** How many variables a body takes: its highest `{{n}}`, 0 when it has none. */
export function templateVariables(body: string): number {
  let highest = 0;
  for (const [, inner] of body.matchAll(PLACEHOLDER)) {
    if (/^[1-9]\d*$/.test(inner)) highest = Math.max(highest, Number(inner));
  }
  return highest;
}

/** True when the body's placeholders are exactly `{{1}}` … `{{n}}` (each may repeat). */
export function templateVariablesSequential(body: string): boolean {
  const seen = new Set<number>();
  for (const [, inner] of body.matchAll(PLACEHOLDER)) {
    if (!/^[1-9]\d*$/.test(inner)) return false;
    seen.add(Number(inner));
  }
  // all are ≥ 1 and distinct, so n of them reach n only when none is missing
  return seen.size === templateVariables(body);
}

/** Meta's locale codes: a language, optionally with a region (`en`, `en_US`, `pt_BR`, `fil`). */
const LANGUAGE = /^[a-z]{2,3}(_[A-Z]{2})?$/;

export const TemplateInput = z
  .object({
    name: z
      .string()
      .min(1)
      .max(TEMPLATE_NAME_MAX)
      .regex(/^[a-z0-9_]+$/, 'lowercase letters, digits and underscores only'),
    category: TemplateCategory,
    language: z.string().regex(LANGUAGE, 'must be a language code such as en, en_US or pt_BR'),
    wabaId: z
      .string()
      .regex(/^\d{5,20}$/, 'must be a WhatsApp Business Account id (5 to 20 digits)'),
    phoneNumber: E164,
    body: z
      .string()
      .min(1)
      .max(TEMPLATE_BODY_MAX)
      .superRefine(consumerTextRule)
      .refine(
        templateVariablesSequential,
        'variables must be numbered {{1}} to {{n}} without gaps',
      ),
    /** One sample value per variable, in order: WhatsApp's reviewers read the body with them. */
    examples: z.array(consumerText(TEMPLATE_EXAMPLE_MAX, { trim: true }).min(1)).default([]),
  })
  .superRefine((t, ctx) => {
    const n = templateVariables(t.body);
    if (templateVariablesSequential(t.body) && t.examples.length !== n) {
      ctx.addIssue({
        code: 'custom',
        path: ['examples'],
        message: `must give exactly one example per variable: ${n} expected, ${t.examples.length} given`,
      });
    }
  });
export type TemplateInput = z.infer<typeof TemplateInput>;

export const TemplateView = z.object({
  id: z.string(),
  name: z.string(),
  category: TemplateCategory,
  language: z.string(),
  wabaId: z.string(),
  phoneNumber: z.string(),
  body: z.string(),
  examples: z.array(z.string()),
  /** Derived from the body, so a handoff form knows how many values to ask for. */
  variables: z.number().int(),
  status: TemplateStatus,
  /** Why WhatsApp (or the sandbox) rejected, paused or disabled it. */
  statusReason: z.string().nullable(),
  /** Meta's id once submitted through the WhatsApp Cloud API. */
  providerTemplateId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TemplateView = z.infer<typeof TemplateView>;

/** What the agent manager may see: approved templates' status, nothing of their content. */
export const TemplateStatusView = z.object({
  name: z.string(),
  language: z.string(),
  status: TemplateStatus,
});
export type TemplateStatusView = z.infer<typeof TemplateStatusView>;

export const TemplateListQuery = PageQuery.extend({
  status: TemplateStatus.optional(),
  /** Part of the name, any case. */
  name: z.string().max(TEMPLATE_NAME_MAX).optional(),
});
export type TemplateListQuery = z.infer<typeof TemplateListQuery>;

/** The sandbox's stand-in for WhatsApp's review, for accounts without a WhatsApp provider. */
export const TemplateReviewInput = z.object({
  decision: z.enum(['approve', 'reject'], {
    error: (issue) => (issue.input === undefined ? 'is required' : 'must be approve or reject'),
  }),
  reason: z.string().trim().min(1).max(512).optional(),
});
export type TemplateReviewInput = z.infer<typeof TemplateReviewInput>;
