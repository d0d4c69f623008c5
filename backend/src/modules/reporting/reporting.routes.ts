import type { Context } from 'koa';
import { z } from 'zod';
import {
  AnalyticsBody,
  AnalyticsFilters,
  AnalyticsResponse,
  AnalyticsWindow,
  ExportFormat,
  ExportWindow,
  TransactionsBody,
  TransactionsResponse,
  TransactionsWindow,
  type ReportWindow,
} from '../../../contract/reporting.js';
import type { AppDeps } from '../deps.js';
import { invalidRequest } from '../../errors.js';
import { reportingErrors } from '../../http/error-models.js';
import { json } from '../../http/operation.js';
import { ApiRouter, optionalJson } from '../../http/route.js';
import { parseInput } from '../../http/validate.js';
import type { Account } from '../accounts/accounts.repo.js';
import { ivr } from '../accounts/ivr-auth.js';

const EXPORTS = ['transactions', 'optouts'].flatMap((what) =>
  ExportFormat.options.map((format) => `${what}.${format}`),
);
const ExportParams = z.object({ name: z.enum(EXPORTS) });
// the window's own rules (order, span) come along: spreading a shape leaves its checks behind
const TransactionsQuery = z
  .object({
    v: z.literal('2.0').describe('Transactions v1 (page cursors) is retired'),
    ...TransactionsWindow.shape,
  })
  .check(...((TransactionsWindow._zod.def.checks ?? []) as z.core.$ZodCheck<ReportWindow>[]));
const LIMITED = { 429: 'Over the reporting rate limit (Retry-After)' };

/**
 * The reporting API on the product's Outbound Reporting API paths (docs/migrating-from-liveperson.md), with the IVR API's
 * credentials (permission `reporting`) and its own rate limit per account. Each path also answers
 * with a trailing slash; errors are the product's `{code, requestTraceId, message}`.
 */
export function reportingRoutes(deps: AppDeps): ApiRouter {
  const router = new ApiRouter(reportingErrors, {
    prefix: '/api/account/:accountId/app/c2m',
    tag: 'Reporting',
  });
  const perSecond = () => deps.config.reportingRateLimitPerSec;
  const auth = ivr(deps, 'reporting', { bucket: 'reporting', perSecond });

  // days are the account's (its settings' time zone) unless the request names a zone
  const analytics = async (account: Account, window: ReportWindow, filters: AnalyticsFilters) => {
    const { timezone = account.timezone, ...times } = window;
    return {
      requestMetadata: {
        accountId: account.id,
        app: 'c2m',
        ...times,
        timezone,
        ...(Object.keys(filters).length > 0 && { filters }),
      },
      analytics: await deps.queries.run(
        account.id,
        'analytics',
        account.id,
        times,
        filters,
        timezone,
      ),
    } satisfies AnalyticsResponse;
  };

  router.add({
    name: 'getAnalytics',
    method: 'get',
    path: '/analytics',
    also: ['/analytics/'],
    summary: 'The funnel per channel, skill and day (at most 60 days)',
    auth,
    precheck: requireWindow,
    query: AnalyticsWindow,
    responses: { 200: json(AnalyticsResponse, 'One row per channel, skill and day') },
    errors: LIMITED,
    handle: (_ctx, { caller, query }) => analytics(caller.account, query, {}),
  });

  router.add({
    name: 'queryAnalytics',
    method: 'post',
    path: '/analytics',
    also: ['/analytics/'],
    summary: 'The funnel, filtered and grouped',
    auth,
    precheck: requireWindow,
    query: AnalyticsWindow,
    // read below: the product's body, or the older text's `{filters: {...}}` wrapper around it
    body: { contentType: 'application/json', schema: AnalyticsBody },
    optionalBody: true,
    example: { channels: ['sms'], groupby: ['handoff'] },
    responses: { 200: json(AnalyticsResponse, 'One row per group and day') },
    errors: LIMITED,
    handle: async (ctx, { caller, query }) => {
      const body = await optionalJson(ctx);
      const wrapped = typeof body === 'object' && body !== null && 'filters' in body;
      return analytics(
        caller.account,
        query,
        parseInput(AnalyticsFilters, wrapped ? body.filters : body),
      );
    },
  });

  router.add({
    name: 'listTransactions',
    method: 'post',
    path: '/transactions',
    also: ['/transactions/'],
    summary: 'One record per call (at most 24 hours)',
    auth,
    precheck: (ctx) => {
      if (ctx.query.v !== '2.0') {
        throw invalidRequest('v: use v=2.0 (transactions v1 with page cursors is deprecated)');
      }
      requireWindow(ctx);
    },
    query: TransactionsQuery,
    body: TransactionsBody,
    optionalBody: true,
    example: { offset: 0, limit: 100, filters: { messagestatus: ['FAILED'] } },
    responses: { 200: json(TransactionsResponse, 'One page of records') },
    errors: LIMITED,
    handle: async (_ctx, { caller: { account }, query: { v: _v, ...window }, body }) => {
      const { count, records } = await deps.queries.run(
        account.id,
        'transactions',
        account.id,
        window,
        body,
      );
      return {
        requestMetadata: {
          accountId: account.id,
          app: 'c2m',
          ...window,
          ...(body.filters && { filters: body.filters }),
        },
        page: { count, offset: body.offset, limit: body.limit },
        transactions: records,
      } satisfies TransactionsResponse;
    },
  });

  router.add({
    name: 'exportRecords',
    method: 'get',
    path: '/exports/:name',
    summary: 'Stream transactions or the opt-out ledger, any window',
    description:
      'Rows are `TransactionRecord` or `OptOutLedgerRecord`: CSV with a header, or one JSON ' +
      'object per line.',
    auth,
    params: ExportParams,
    refuse: (part) =>
      part === 'params'
        ? invalidRequest(
            'export: use transactions.csv, transactions.ndjson, optouts.csv or optouts.ndjson',
          )
        : undefined,
    precheck: requireWindow,
    query: ExportWindow,
    responses: {
      200: {
        description: 'The export, as an attachment',
        body: [{ contentType: 'text/csv' }, { contentType: 'application/x-ndjson' }],
      },
    },
    errors: LIMITED,
    handle: async (ctx, { caller: { account }, params, query: window }) => {
      const [name, format] = exportOf(params.name);
      // read and formatted on the export thread, counted against the account's share (429 past it)
      const stream = await deps.queries.export({ name, accountId: account.id, window, format });
      stream.on('error', (err) =>
        deps.log.error({ err, requestId: ctx.state.requestId }, 'export failed'),
      );
      ctx.type = format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson';
      ctx.set(
        'Content-Disposition',
        `attachment; filename="c2m-${name}-${window.attemptedStartTime}-${window.attemptedEndTime}.${format}"`,
      );
      ctx.body = stream;
    },
  });
  return router;
}

/** `transactions.csv` as what to export and how. */
function exportOf(name: string): ['transactions' | 'optouts', ExportFormat] {
  const [what, format] = name.split('.');
  return [what === 'optouts' ? 'optouts' : 'transactions', ExportFormat.parse(format)];
}

/** Both ends of the window must be given: an empty one is not read as 0. */
function requireWindow(ctx: Context): void {
  for (const name of ['attemptedStartTime', 'attemptedEndTime']) {
    if (typeof ctx.query[name] !== 'string' || ctx.query[name] === '') {
      throw invalidRequest(`${name}: is required (query, epoch milliseconds)`);
    }
  }
}
