import { z } from 'zod';
import {
  AnalyticsBody,
  AnalyticsResponse,
  AnalyticsWindow,
  ExportFormat,
  ExportWindow,
  TransactionsBody,
  TransactionsResponse,
  TransactionsWindow,
} from '../../contract/reporting.js';
import { ReportingErrorBody } from '../../contract/errors.js';
import { ACCOUNT, json, type Operation } from './operation.js';

const EXPORTS = ['transactions', 'optouts'].flatMap((what) =>
  ExportFormat.options.map((format) => `${what}.${format}`),
);
const ExportParams = z.object({ name: z.enum(EXPORTS) });
const TransactionsQuery = z.object({
  v: z.literal('2.0').describe('Transactions v1 (page cursors) is retired'),
  ...TransactionsWindow.shape,
});

/** The reporting API, on the product's paths; each also answers with a trailing slash. */
export function reportingOperations(): Operation[] {
  const base = `${ACCOUNT}/app/c2m`;
  const tag = 'Reporting';
  const access = { credential: ['reporting'] } as const;
  const limited = { 429: 'Over the reporting rate limit (Retry-After)' };
  const operations: Operation[] = [
    {
      method: 'get',
      path: `${base}/analytics`,
      tag,
      summary: 'The funnel per channel, skill and day (at most 60 days)',
      access,
      query: AnalyticsWindow,
      responses: { 200: json(AnalyticsResponse, 'One row per channel, skill and day') },
      errors: limited,
    },
    {
      method: 'post',
      path: `${base}/analytics`,
      tag,
      summary: 'The funnel, filtered and grouped',
      access,
      query: AnalyticsWindow,
      body: AnalyticsBody,
      optionalBody: true,
      example: { channels: ['sms'], groupby: ['handoff'] },
      responses: { 200: json(AnalyticsResponse, 'One row per group and day') },
      errors: limited,
    },
    {
      method: 'post',
      path: `${base}/transactions`,
      tag,
      summary: 'One record per call (at most 24 hours)',
      access,
      query: TransactionsQuery,
      body: TransactionsBody,
      optionalBody: true,
      example: { offset: 0, limit: 100, filters: { messagestatus: ['FAILED'] } },
      responses: { 200: json(TransactionsResponse, 'One page of records') },
      errors: limited,
    },
    {
      method: 'get',
      path: `${base}/exports/:name`,
      tag,
      summary: 'Stream transactions or the opt-out ledger, any window',
      description:
        'Rows are `TransactionRecord` or `OptOutLedgerRecord`: CSV with a header, or one JSON ' +
        'object per line.',
      access,
      params: ExportParams,
      query: ExportWindow,
      responses: {
        200: {
          description: 'The export, as an attachment',
          body: [{ contentType: 'text/csv' }, { contentType: 'application/x-ndjson' }],
        },
      },
      errors: limited,
    },
  ];
  // the reporting API answers errors in the product's shape: `{code, requestTraceId, message}`
  return operations.map((op) => ({ ...op, errorBody: ReportingErrorBody }));
}
