import ky, { HTTPError, type KyInstance, type Options } from 'ky';
import { SenderList } from '../../../backend/contract/senders.js';
import { z } from 'zod';
import { AdminErrorBody, type AdminErrorCode } from '../../../backend/contract/errors.js';
import {
  HandoffView,
  type HandoffInput,
  type HandoffListQuery,
} from '../../../backend/contract/handoffs.js';
import { Page } from '../../../backend/contract/page.js';
import { SettingsView, type SettingsInput } from '../../../backend/contract/settings.js';
import {
  TemplateStatusView,
  TemplateView,
  type TemplateInput,
  type TemplateListQuery,
  type TemplateReviewInput,
} from '../../../backend/contract/templates.js';

import {
  ReportsDimensions,
  type ReportsAnalyticsRequest,
  type ReportsDimensionsQuery,
} from '../../../backend/contract/admin-reports.js';
import { AnalyticsResponse } from '../../../backend/contract/reporting.js';
import { watchReports, type ReportsFeedState } from '../reports/reports-socket.js';

import {
  CreatedCredential,
  CredentialView,
  type CredentialInput,
} from '../../../backend/contract/credentials.js';

/**
 * A failed admin API call, as the elements use it: the HTTP status (0 when no answer came), the
 * contract's error code, the server's message, and for `validation_failed` the rule each field
 * broke (`{title: 'must be unique'}`).
 */
export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: AdminErrorCode | 'network',
    message: string,
    readonly fieldErrors: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'AdminApiError';
  }
}

const HandoffPage = Page(HandoffView);
export type HandoffPage = z.infer<typeof HandoffPage>;

const TemplatePage = Page(TemplateView);
export type TemplatePage = z.infer<typeof TemplatePage>;

const TemplateStatusPage = Page(TemplateStatusView);
export type TemplateStatusPage = z.infer<typeof TemplateStatusPage>;

const CredentialList = z.object({ items: z.array(CredentialView) });
export type { CreatedCredential, CredentialInput, CredentialView };

/** What the elements ask of the admin API; tests hand them a fake with the same shape. */
export interface AdminClient {
  listHandoffs(query: Partial<HandoffListQuery>, signal?: AbortSignal): Promise<HandoffPage>;
  getHandoff(id: string, signal?: AbortSignal): Promise<HandoffView>;
  createHandoff(input: HandoffInput): Promise<HandoffView>;
  updateHandoff(id: string, input: HandoffInput): Promise<HandoffView>;
  deleteHandoff(id: string): Promise<void>;
  listTemplates(query: Partial<TemplateListQuery>, signal?: AbortSignal): Promise<TemplatePage>;
  /** Approved templates' status only: all an agent manager may see. */
  listTemplateStatus(
    query: Partial<TemplateListQuery>,
    signal?: AbortSignal,
  ): Promise<TemplateStatusPage>;
  createTemplate(input: TemplateInput): Promise<TemplateView>;
  updateTemplate(id: string, input: TemplateInput): Promise<TemplateView>;
  cloneTemplate(id: string): Promise<TemplateView>;
  submitTemplate(id: string): Promise<TemplateView>;
  /** The sandbox's stand-in for WhatsApp's review (accounts without a WhatsApp provider). */
  reviewTemplate(id: string, review: TemplateReviewInput): Promise<TemplateView>;
  deleteTemplate(id: string): Promise<void>;
  getSettings(signal?: AbortSignal): Promise<SettingsView>;
  listCredentials(signal?: AbortSignal): Promise<CredentialView[]>;
  /** The new credential with its secrets: the only time they are shown. */
  createCredential(input: CredentialInput): Promise<CreatedCredential>;
  rotateCredential(id: string): Promise<CreatedCredential>;
  revokeCredential(id: string): Promise<void>;
  updateSettings(input: SettingsInput): Promise<SettingsView>;
  /** The account's outbound numbers and WhatsApp Business Account ids, for pickers (optional). */
  listSenders?(signal?: AbortSignal): Promise<SenderList>;
  // The reporting dashboard's calls are optional, so a host's own client written before the
  // dashboard existed still compiles; the Reports view says so when they are missing.
  /** The funnel per channel × skill × day for a window of at most 60 days. */
  reportAnalytics?(
    request: ReportsAnalyticsRequest,
    signal?: AbortSignal,
  ): Promise<AnalyticsResponse>;
  /** The channels, skills, handoffs and IVR numbers with attempts in the window. */
  reportDimensions?(
    window: ReportsDimensionsQuery,
    signal?: AbortSignal,
  ): Promise<ReportsDimensions>;
  /** Calls `onChange` whenever the account's counts move; returns the function that stops it. */
  watchReports?(onChange: () => void, onState?: (state: ReportsFeedState) => void): () => void;
}

export interface AdminClientOptions {
  /** The c2m server's base URL, e.g. `https://c2m.example.com`; empty for the page's own origin. */
  apiBase: string;
  accountId: string;
  /** Called before every request, so a host that refreshes its token is always current. */
  getToken: () => string | undefined | Promise<string | undefined>;
  fetch?: typeof fetch;
}

/** The admin API of one account over ky: no retries (a write must not run twice), typed errors. */
export function createAdminClient(opts: AdminClientOptions): AdminClient {
  const base = `${opts.apiBase.replace(/\/+$/, '')}/api/admin/account/${encodeURIComponent(opts.accountId)}`;
  const http: KyInstance = ky.create({
    retry: 0,
    timeout: 15_000,
    ...(opts.fetch && { fetch: opts.fetch }),
    hooks: {
      beforeRequest: [
        async (request) => {
          const token = await opts.getToken();
          if (token) request.headers.set('Authorization', `Bearer ${token}`);
        },
      ],
    },
  });

  async function send<T>(
    schema: z.ZodType<T> | undefined,
    path: string,
    options: Options = {},
  ): Promise<T> {
    let body: unknown;
    try {
      const response = await http(`${base}${path}`, options);
      body = response.status === 204 ? undefined : await response.json();
    } catch (err) {
      throw await toAdminApiError(err);
    }
    if (!schema) return undefined as T;
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new AdminApiError(
        200,
        'internal',
        'c2m sent an answer this element does not understand',
      );
    }
    return parsed.data;
  }

  const handoffPath = (id: string) => `/handoffs/${encodeURIComponent(id)}`;
  const templatePath = (id: string) => `/templates/${encodeURIComponent(id)}`;
  return {
    listHandoffs: (query, signal) =>
      send(HandoffPage, `/handoffs?${searchParams(query)}`, { signal }),
    getHandoff: (id, signal) => send(HandoffView, handoffPath(id), { signal }),
    createHandoff: (input) => send(HandoffView, '/handoffs', { method: 'POST', json: input }),
    updateHandoff: (id, input) =>
      send(HandoffView, handoffPath(id), { method: 'PUT', json: input }),
    deleteHandoff: (id) => send(undefined, handoffPath(id), { method: 'DELETE' }),
    listTemplates: (query, signal) =>
      send(TemplatePage, `/templates?${searchParams(query)}`, { signal }),
    listTemplateStatus: (query, signal) =>
      send(TemplateStatusPage, `/templates/status?${searchParams(query)}`, { signal }),
    createTemplate: (input) => send(TemplateView, '/templates', { method: 'POST', json: input }),
    updateTemplate: (id, input) =>
      send(TemplateView, templatePath(id), { method: 'PUT', json: input }),
    cloneTemplate: (id) => send(TemplateView, `${templatePath(id)}/clone`, { method: 'POST' }),
    submitTemplate: (id) => send(TemplateView, `${templatePath(id)}/submit`, { method: 'POST' }),
    reviewTemplate: (id, review) =>
      send(TemplateView, `${templatePath(id)}/review`, { method: 'POST', json: review }),
    deleteTemplate: (id) => send(undefined, templatePath(id), { method: 'DELETE' }),
    listCredentials: async (signal) =>
      (await send(CredentialList, '/credentials', { signal })).items,
    createCredential: (input) =>
      send(CreatedCredential, '/credentials', { method: 'POST', json: input }),
    rotateCredential: (id) =>
      send(CreatedCredential, `/credentials/${encodeURIComponent(id)}/rotate`, { method: 'POST' }),
    revokeCredential: (id) =>
      send(undefined, `/credentials/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    getSettings: (signal) => send(SettingsView, '/settings', { signal }),
    updateSettings: (input) => send(SettingsView, '/settings', { method: 'PUT', json: input }),
    listSenders: (signal) => send(SenderList, '/senders', { signal }),
    reportAnalytics: (request, signal) =>
      send(AnalyticsResponse, '/reports/analytics', { method: 'POST', json: request, signal }),
    reportDimensions: (window, signal) =>
      send(ReportsDimensions, `/reports/dimensions?${searchParams(window)}`, { signal }),
    watchReports: (onChange, onState) =>
      watchReports({ apiBase: opts.apiBase, getToken: opts.getToken, onChange, onState }),
  };
}

/** Query parameters without the ones left unset or empty. */
function searchParams(query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  return params.toString();
}

async function toAdminApiError(err: unknown): Promise<unknown> {
  if (err instanceof DOMException && err.name === 'AbortError') return err; // the caller gave up
  if (!(err instanceof HTTPError)) {
    return new AdminApiError(0, 'network', 'c2m could not be reached. Check the connection.');
  }
  const { status } = err.response;
  const parsed = AdminErrorBody.safeParse(await err.response.json().catch(() => undefined));
  if (!parsed.success) {
    return new AdminApiError(status, status >= 500 ? 'internal' : 'validation_failed', err.message);
  }
  const { code, message, details } = parsed.data.error;
  return new AdminApiError(status, code, message, details?.fieldErrors ?? {});
}
