import { z } from 'zod';
import { ANALYTICS_MAX_WINDOW_MS, AnalyticsFilters } from './reporting.js';
import { TimeZone } from './time-zone.js';

/**
 * The admin element's reporting dashboard (`/api/admin/account/:accountId/reports/…`, session
 * auth, the admin error shape). It asks the same questions as the reporting API's analytics, with
 * the window in the body beside the filters, and lists what the filter pickers may offer.
 */

const EpochMs = z.coerce
  .number({ error: 'must be a time in epoch milliseconds' })
  .int('must be a whole number of epoch milliseconds')
  .min(0, 'must be a time in epoch milliseconds');

const windowRules = <T extends { attemptedStartTime: number; attemptedEndTime: number }>(
  w: T,
  ctx: z.RefinementCtx,
) => {
  if (w.attemptedEndTime <= w.attemptedStartTime) {
    ctx.addIssue({
      code: 'custom',
      path: ['attemptedEndTime'],
      message: 'must be later than attemptedStartTime',
    });
  } else if (w.attemptedEndTime - w.attemptedStartTime > ANALYTICS_MAX_WINDOW_MS) {
    ctx.addIssue({ code: 'custom', path: ['attemptedEndTime'], message: 'at most 60 days' });
  }
};

/** POST …/reports/analytics: start inclusive, end exclusive, at most 60 days, plus filters. */
export const ReportsAnalyticsRequest = z
  .strictObject({
    attemptedStartTime: EpochMs,
    attemptedEndTime: EpochMs,
    /** The zone whose days the rows are counted in; the account's settings' when absent. */
    timezone: TimeZone.optional(),
    ...AnalyticsFilters.shape,
  })
  .superRefine(windowRules);
export type ReportsAnalyticsRequest = z.infer<typeof ReportsAnalyticsRequest>;

/** GET …/reports/dimensions?attemptedStartTime&attemptedEndTime */
export const ReportsDimensionsQuery = z
  .object({ attemptedStartTime: EpochMs, attemptedEndTime: EpochMs })
  .superRefine(windowRules);
export type ReportsDimensionsQuery = z.infer<typeof ReportsDimensionsQuery>;

/** The values seen in the window, for the filter pickers; each list sorted. */
export const ReportsDimensions = z.object({
  channels: z.array(z.string()),
  skills: z.array(z.string()),
  /** Handoffs with attempts in the window; `title` is null once the handoff was deleted. */
  handoffs: z.array(z.object({ id: z.string(), title: z.string().nullable() })),
  /** The IVR numbers the IVR sent (attempts without one are not listed). */
  ivrNumbers: z.array(z.string()),
});
export type ReportsDimensions = z.infer<typeof ReportsDimensions>;
