import {
  ReportsAnalyticsRequest,
  ReportsDimensions,
  ReportsDimensionsQuery,
} from '../../contract/admin-reports.js';
import { AnalyticsResponse } from '../../contract/reporting.js';
import { ADMIN, json, type Operation } from '../http/operation.js';

/* The admin API: a user's session, checked against the policy table per action. */

export function reportOperations(): Operation[] {
  const base = `${ADMIN}/reports`;
  const tag = 'Admin: reports';
  const access = { session: 'reports:view' } as const;
  return [
    {
      method: 'post',
      path: `${base}/analytics`,
      tag,
      summary: 'The funnel for a window of at most 60 days',
      access,
      body: ReportsAnalyticsRequest,
      example: { attemptedStartTime: 1767225600000, attemptedEndTime: 1767830400000 },
      responses: { 200: json(AnalyticsResponse, 'One row per channel, skill and day') },
    },
    {
      method: 'get',
      path: `${base}/dimensions`,
      tag,
      summary: "The values a window's filters may offer",
      access,
      query: ReportsDimensionsQuery,
      responses: { 200: json(ReportsDimensions, 'Each list sorted') },
    },
  ];
}
