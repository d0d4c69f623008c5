import { DAY_MS, type ReportWindow } from '../../../contract/reporting.js';
import type { ReportsDimensions } from '../../../contract/admin-reports.js';
import type { Db } from '../../db/database.js';

/**
 * What the dashboard's filter pickers may offer: the channels, skills, handoffs and IVR numbers
 * with at least one attempt on the window's days (whole UTC days, as analytics counts them).
 */
export async function queryDimensions(
  db: Db,
  accountId: string,
  window: ReportWindow,
): Promise<ReportsDimensions> {
  const rows = await db
    .selectFrom('report_daily')
    .select(['channel', 'skill', 'handoff_id', 'ivr_number'])
    .distinct()
    .where('account_id', '=', accountId)
    .where('day', '>=', Math.floor(window.attemptedStartTime / DAY_MS))
    .where('day', '<=', Math.floor((window.attemptedEndTime - 1) / DAY_MS))
    .where('attempted', '>', 0)
    .execute();
  const distinct = (values: string[]) => [...new Set(values.filter(Boolean))].sort();
  const handoffIds = distinct(rows.map((r) => r.handoff_id));
  const titles = new Map(
    handoffIds.length === 0
      ? []
      : (
          await db
            .selectFrom('handoffs')
            .select(['id', 'title'])
            .where('account_id', '=', accountId)
            .where('id', 'in', handoffIds)
            .execute()
        ).map((h) => [h.id, h.title]),
  );
  return {
    channels: distinct(rows.map((r) => r.channel)),
    skills: distinct(rows.map((r) => r.skill)),
    handoffs: handoffIds.map((id) => ({ id, title: titles.get(id) ?? null })),
    ivrNumbers: distinct(rows.map((r) => r.ivr_number)),
  };
}
