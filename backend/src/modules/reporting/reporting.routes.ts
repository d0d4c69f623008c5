import Router from '@koa/router';
import type { Context } from 'koa';
import type { z } from 'zod';
import {
  AnalyticsFilters,
  AnalyticsWindow,
  ExportFormat,
  ExportWindow,
  TransactionsBody,
  TransactionsWindow,
  type AnalyticsResponse,
  type TransactionsResponse,
} from '../../../contract/reporting.js';
import type { AppDeps } from '../deps.js';
import { readJson } from '../../http/body.js';
import { parseInput as parse } from '../../http/validate.js';
import { invalidRequest } from '../../errors.js';
import { ivrAuth, type IvrAuth } from '../accounts/ivr-auth.js';

/**
 * The reporting API on the Outbound Reporting API's paths (spec §9.3), with the IVR API's
 * credentials (permission `reporting`) and its own rate limit per account.
 */
export function reportingRoutes(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/account/:accountId/app/c2m' });
  const perSecond = () => deps.config.reportingRateLimitPerSec;
  router.use(ivrAuth(deps, 'reporting', { bucket: 'reporting', perSecond }));

  const analytics = async (ctx: Context, filters: AnalyticsFilters) => {
    const window = parseQuery(AnalyticsWindow, ctx);
    const { account } = ctx.state.auth as IvrAuth;
    ctx.body = {
      requestMetadata: {
        accountId: account.id,
        app: 'c2m',
        ...window,
        ...(Object.keys(filters).length > 0 && { filters }),
      },
      analytics: await deps.queries.run(account.id, 'analytics', account.id, window, filters),
    } satisfies AnalyticsResponse;
  };
  router.get(['/analytics', '/analytics/'], (ctx) => analytics(ctx, {}));
  router.post(['/analytics', '/analytics/'], async (ctx) => {
    // the product's body, or the older text's `{filters: {...}}` wrapper around it
    const body = await optionalJson(ctx);
    const wrapped = typeof body === 'object' && body !== null && 'filters' in body;
    await analytics(ctx, parse(AnalyticsFilters, wrapped ? body.filters : body));
  });

  router.post(['/transactions', '/transactions/'], async (ctx) => {
    if (ctx.query.v !== '2.0') {
      throw invalidRequest('v: use v=2.0 (transactions v1 with page cursors is deprecated)');
    }
    const window = parseQuery(TransactionsWindow, ctx);
    const body = parse(TransactionsBody, await optionalJson(ctx));
    const { account } = ctx.state.auth as IvrAuth;
    const { count, records } = await deps.queries.run(
      account.id,
      'transactions',
      account.id,
      window,
      body,
    );
    ctx.body = {
      requestMetadata: {
        accountId: account.id,
        app: 'c2m',
        ...window,
        ...(body.filters && { filters: body.filters }),
      },
      page: { count, offset: body.offset, limit: body.limit },
      transactions: records,
    } satisfies TransactionsResponse;
  });

  router.get('/exports/:name', async (ctx) => {
    const match = /^(transactions|optouts)\.([a-z]+)$/.exec(ctx.params.name ?? '');
    const format = ExportFormat.safeParse(match?.[2]);
    if (!match || !format.success) {
      throw invalidRequest(
        'export: use transactions.csv, transactions.ndjson, optouts.csv or optouts.ndjson',
      );
    }
    const window = parseQuery(ExportWindow, ctx);
    const { account } = ctx.state.auth as IvrAuth;
    // read and formatted on the export thread, counted against the account's share (429 past it)
    const stream = await deps.queries.export({
      name: match[1] as 'transactions' | 'optouts',
      accountId: account.id,
      window,
      format: format.data,
    });
    stream.on('error', (err) =>
      deps.log.error({ err, requestId: ctx.state.requestId }, 'export failed'),
    );
    ctx.type = format.data === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson';
    ctx.set(
      'Content-Disposition',
      `attachment; filename="c2m-${match[1]}-${window.attemptedStartTime}-${window.attemptedEndTime}.${format.data}"`,
    );
    ctx.body = stream;
  });
  return router;
}

function parseQuery<S extends z.ZodType>(schema: S, ctx: Context): z.infer<S> {
  for (const name of ['attemptedStartTime', 'attemptedEndTime']) {
    if (typeof ctx.query[name] !== 'string' || ctx.query[name] === '') {
      throw invalidRequest(`${name}: is required (query, epoch milliseconds)`);
    }
  }
  return parse(schema, {
    attemptedStartTime: ctx.query.attemptedStartTime,
    attemptedEndTime: ctx.query.attemptedEndTime,
  });
}

/** The product documents every body field as optional: no body at all means `{}`. */
async function optionalJson(ctx: Context): Promise<unknown> {
  const declared = ctx.get('Content-Length');
  if ((declared === '' || declared === '0') && !ctx.get('Transfer-Encoding')) return {};
  return readJson(ctx);
}
