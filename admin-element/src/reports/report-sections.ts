import { html } from 'lit';
import { msg, str } from '@lit/localize';
import type { AnalyticsRow } from '../../../backend/contract/reporting.js';
import { dataTable } from '../shared/data-table.js';
import { locale } from '../locale.js';
import { barList, chartCard, formatCount, groupedColumns } from './report-charts.js';
import {
  FUNNEL_EXITS,
  FUNNEL_STEPS,
  funnelOf,
  perChannel,
  perDay,
  topFailures,
  type DateRange,
} from './report-model.js';

// The dashboard's four charts, each with its one-sentence summary and its table.

/** What a chart needs from the dashboard: the range shown, and its table's toggle. */
export interface SectionView {
  range: DateRange;
  /** The IANA zone the days are of. */
  zone: string;
  table: (id: string) => { tableShown: boolean; onToggle: () => void };
}

export function funnelSection(rows: readonly AnalyticsRow[], v: SectionView) {
  const f = funnelOf(rows);
  const share = (n: number) =>
    f.attempted
      ? locale.number(n / f.attempted, { style: 'percent', maximumFractionDigits: 0 })
      : '–';
  const [attempted, sent, delivered, read, replied, skipped, failed] = [
    f.attempted,
    f.sent,
    f.delivered,
    f.read,
    f.conversationscreated,
    f.skipped,
    f.failed,
  ].map(formatCount);
  const all = [...FUNNEL_STEPS, ...FUNNEL_EXITS];
  return chartCard({
    id: 'funnel',
    title: msg('Funnel'),
    summary: msg(
      str`Of ${attempted} attempts, ${sent} sent, ${delivered} delivered, ${read} read and ${replied} replied; ${skipped} skipped and ${failed} failed.`,
    ),
    ...v.table('funnel'),
    figure: html`<div class="funnel">
      ${barList(FUNNEL_STEPS.map((s) => ({ key: s.key, label: s.label, value: f[s.key] })))}
      ${barList(
        FUNNEL_EXITS.map((s) => ({
          key: s.key,
          label: s.label,
          value: f[s.key],
          tone: s.key === 'failed' ? ('danger' as const) : ('muted' as const),
        })),
        f.attempted,
      )}
    </div>`,
    table: dataTable({
      caption: msg(str`Funnel, ${v.range.from} to ${v.range.to}`),
      columns: [msg('Step'), msg('Count'), msg('Share of attempts')],
      rows: all,
      row: (s) =>
        html`<tr data-key=${s.key}>
          <th scope="row">${s.label}</th>
          <td>${formatCount(f[s.key])}</td>
          <td>${share(f[s.key])}</td>
        </tr>`,
    }),
  });
}

export function trendSection(rows: readonly AnalyticsRow[], v: SectionView) {
  const points = perDay(rows, v.range);
  const busiest = points.reduce((a, p) => (p.attempted > (a?.attempted ?? 0) ? p : a), points[0]);
  const total = points.reduce((n, p) => n + p.attempted, 0);
  const series = [
    { key: 'attempted', label: msg('Attempted'), color: 1 },
    { key: 'sent', label: msg('Sent'), color: 2 },
    { key: 'replied', label: msg('Replied'), color: 3 },
  ] as const;
  return chartCard({
    id: 'trend',
    title: msg('Per day'),
    summary: total
      ? msg(
          str`${formatCount(total)} attempts over ${points.length} days; the most, ${formatCount(busiest.attempted)}, on ${busiest.day}.`,
        )
      : msg(str`No attempts over ${points.length} days.`),
    ...v.table('trend'),
    figure: groupedColumns(points, series, (p) => p.day),
    table: dataTable({
      caption: msg(str`Attempted, sent and replied per day (${v.zone})`),
      columns: [msg('Day'), ...series.map((s) => s.label)],
      rows: points,
      row: (p) =>
        html`<tr data-key=${p.day}>
          <th scope="row">${p.day}</th>
          ${series.map((s) => html`<td>${formatCount(p[s.key])}</td>`)}
        </tr>`,
    }),
  });
}

export function channelSection(rows: readonly AnalyticsRow[], v: SectionView) {
  const channels = perChannel(rows);
  const columns = [...FUNNEL_STEPS, ...FUNNEL_EXITS];
  const perChannelText = channels.map((c) => `${c.label} ${formatCount(c.attempted)}`).join(', ');
  return chartCard({
    id: 'channels',
    title: msg('Per channel'),
    summary: channels.length
      ? msg(str`Attempts per channel: ${perChannelText}.`)
      : msg('No attempts on any channel.'),
    ...v.table('channels'),
    figure: channels.length
      ? barList(channels.map((c) => ({ key: c.channel, label: c.label, value: c.attempted })))
      : html`<p class="hint">${msg('No attempts.')}</p>`,
    table: dataTable({
      caption: msg('The funnel per channel'),
      columns: [msg('Channel'), ...columns.map((c) => c.label)],
      rows: channels,
      row: (c) =>
        html`<tr data-key=${c.channel}>
          <th scope="row">${c.label}</th>
          ${columns.map((col) => html`<td>${formatCount(c[col.key])}</td>`)}
        </tr>`,
    }),
  });
}

export function failureSection(rows: readonly AnalyticsRow[], v: SectionView) {
  const reasons = topFailures(rows);
  const total = reasons.reduce((n, r) => n + r.count, 0);
  const reasonsText = reasons.map((r) => `${r.label}, ${formatCount(r.count)}`).join('; ');
  return chartCard({
    id: 'failures',
    title: msg('Top failure reasons'),
    summary: reasons.length
      ? msg(str`Most common of ${formatCount(total)} failures: ${reasonsText}.`)
      : msg('No failures.'),
    ...v.table('failures'),
    figure: reasons.length
      ? barList(
          reasons.map((r) => ({ key: r.key, label: r.label, value: r.count, tone: 'danger' })),
        )
      : html`<p class="hint">${msg('No failures.')}</p>`,
    table: dataTable({
      caption: msg('Top failure reasons'),
      columns: [msg('Reason'), msg('Code'), msg('Count')],
      rows: reasons,
      row: (r) =>
        html`<tr data-key=${r.key}>
          <th scope="row">${r.label}</th>
          <td class="id" translate="no">${r.key}</td>
          <td>${formatCount(r.count)}</td>
        </tr>`,
    }),
  });
}
