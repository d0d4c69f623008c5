import ky, { HTTPError, type KyInstance, type Options } from 'ky';
import type { z } from 'zod';
import type {
  EligibilityRequest,
  EligibilityResponse,
  InviteRequest,
  InviteResponse,
} from '../../backend/contract/deflection.js';
import type {
  AnalyticsFilters,
  AnalyticsResponse,
  ExportFormat,
  OptOutLedgerRecord,
  ReportWindow,
  TransactionRecord,
  TransactionsBody,
  TransactionsResponse,
} from '../../backend/contract/reporting.js';
import { authHooks, type C2mAuth } from './auth.js';
import { C2mError } from './errors.js';
import { ndjsonRecords, textChunks } from './ndjson.js';
import { kyRetry, type C2mRetryOptions } from './retry.js';

export interface C2mClientOptions {
  /** Where c2m answers, e.g. `https://c2m.example.com` (a path prefix is kept). */
  baseUrl: string;
  accountId: string;
  auth: C2mAuth;
  retry?: C2mRetryOptions;
  /** Per attempt, until the response headers arrive (an export may stream longer). Default 10 s. */
  timeoutMs?: number;
  /** A fetch to use instead of the global one (a proxy agent, a test double). */
  fetch?: typeof fetch;
}

export interface IdempotentCallOptions {
  /** Reused by every attempt of this call; a fresh one is made when absent. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/** The transactions body as a caller writes it: offset, limit and filters all optional. */
export type TransactionsQuery = z.input<typeof TransactionsBody>;

export interface C2mClient {
  /**
   * `POST /eligibility` (README, "The IVR API"): which channels can reach this caller; the
   * answer's `callId` goes to `invite`.
   */
  eligibility(req: EligibilityRequest, opts?: IdempotentCallOptions): Promise<EligibilityResponse>;
  /** `POST /invite` (README, "The IVR API"): sends the deflection message for an eligible call. */
  invite(req: InviteRequest, opts?: IdempotentCallOptions): Promise<InviteResponse>;
  /** Funnel counts per channel × skill × day (≤ 60 days); with filters, grouped further. */
  analytics(window: ReportWindow, filters?: AnalyticsFilters): Promise<AnalyticsResponse>;
  /** One page of transactions (window ≤ 24 h). */
  transactions(window: ReportWindow, body?: TransactionsQuery): Promise<TransactionsResponse>;
  /** Every transaction of the window, fetching page after page as the loop asks for more. */
  iterateTransactions(
    window: ReportWindow,
    body?: TransactionsQuery,
  ): AsyncGenerator<TransactionRecord>;
  /** Any window, streamed: records as NDJSON arrives, or CSV text chunk by chunk. */
  exportTransactions(window: ReportWindow, format?: 'ndjson'): AsyncGenerator<TransactionRecord>;
  exportTransactions(window: ReportWindow, format: 'csv'): AsyncGenerator<string>;
  /** The opt-out ledger (opt-outs and opt-ins) of the window, streamed like exportTransactions. */
  exportOptOuts(window: ReportWindow, format?: 'ndjson'): AsyncGenerator<OptOutLedgerRecord>;
  exportOptOuts(window: ReportWindow, format: 'csv'): AsyncGenerator<string>;
}

const ITERATION_PAGE_SIZE = 1000;

export function createC2mClient(options: C2mClientOptions): C2mClient {
  const base: Options = {
    prefixUrl: options.baseUrl,
    retry: kyRetry(options.retry),
    timeout: options.timeoutMs ?? 10_000,
    ...(options.fetch && { fetch: options.fetch }),
  };
  const auth = authHooks(options.auth, ky.create(base));
  const api = ky.create({
    ...base,
    hooks: { beforeRequest: [auth.beforeRequest], afterResponse: [auth.afterResponse] },
  });
  const account = `api/account/${encodeURIComponent(options.accountId)}`;
  const reporting = `${account}/app/c2m`;

  const json = async <T>(path: string, init: Options): Promise<T> =>
    (await (await send(api, path, init)).json()) as T;

  const ivr = <T>(op: string, body: unknown, opts: IdempotentCallOptions = {}) =>
    json<T>(`${account}/${op}`, {
      method: 'post',
      searchParams: { v: '2.0' },
      json: body,
      headers: { 'Idempotency-Key': opts.idempotencyKey ?? newIdempotencyKey() },
      signal: opts.signal,
    });

  const transactions = (window: ReportWindow, body: TransactionsQuery = {}) =>
    json<TransactionsResponse>(`${reporting}/transactions`, {
      method: 'post',
      searchParams: { v: '2.0', ...windowQuery(window) },
      json: body,
    });

  async function* exportOf(name: string, window: ReportWindow, format: ExportFormat = 'ndjson') {
    const response = await send(api, `${reporting}/exports/${name}.${format}`, {
      searchParams: windowQuery(window),
    });
    if (!response.body) return;
    if (format === 'csv') yield* textChunks(response.body);
    else yield* ndjsonRecords(response.body);
  }

  return {
    eligibility: (req, opts) => ivr<EligibilityResponse>('eligibility', req, opts),
    invite: (req, opts) => ivr<InviteResponse>('invite', req, opts),
    analytics: (window, filters) =>
      json<AnalyticsResponse>(`${reporting}/analytics`, {
        // the product's GET has no filters; its POST takes them as the body
        method: filters ? 'post' : 'get',
        searchParams: windowQuery(window),
        json: filters,
      }),
    transactions,
    async *iterateTransactions(window, body = {}) {
      const limit = body.limit ?? ITERATION_PAGE_SIZE;
      for (let offset = body.offset ?? 0; ; offset += limit) {
        const page = await transactions(window, { ...body, offset, limit });
        yield* page.transactions;
        // a short page is the last; `page.count` is not needed to know it
        if (page.transactions.length < limit) return;
      }
    },
    exportTransactions: exportOf.bind(null, 'transactions') as C2mClient['exportTransactions'],
    exportOptOuts: exportOf.bind(null, 'optouts') as C2mClient['exportOptOuts'],
  };
}

/** One request; a non-2xx answer (after any retries) becomes a C2mError. */
async function send(api: KyInstance, path: string, init: Options): Promise<Response> {
  try {
    return await api(path, init);
  } catch (err) {
    if (err instanceof HTTPError) throw await C2mError.fromResponse(err.response);
    throw err;
  }
}

function windowQuery(window: ReportWindow): Record<string, string> {
  return {
    attemptedStartTime: String(window.attemptedStartTime),
    attemptedEndTime: String(window.attemptedEndTime),
  };
}

/** randomUUID exists only in secure contexts; getRandomValues everywhere. */
function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return hex.replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
}
