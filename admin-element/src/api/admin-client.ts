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
import {
  SettingsView,
  type AdminSettingsInput,
  type SettingsInput,
} from '../../../backend/contract/settings.js';
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
  ProviderView,
  ProvidersOfChannel,
  type ProviderChange,
} from '../../../backend/contract/providers.js';
import { UserList, UserView, type UserInput } from '../../../backend/contract/users.js';
import type { ChannelName } from '../../../backend/contract/channels.js';

import {
  WaReachabilityView,
  type WaReachabilityInput,
} from '../../../backend/contract/wa-reachability.js';

import {
  CreatedCredential,
  CredentialView,
  type CredentialInput,
} from '../../../backend/contract/credentials.js';
import {
  CreatedWidgetKey,
  WidgetKeyView,
  type WidgetKeyInput,
} from '../../../backend/contract/widget-keys.js';

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

/**
 * The settings as the admin API answers them: the element's, with the embedding origins and the
 * receipt time-out (optional, so a host's own client that leaves them out still fits).
 */
const AccountSettings = SettingsView.extend({
  allowedOrigins: z.array(z.string()).optional(),
  receiptTimeoutHours: z.number().int().optional(),
});
export type AccountSettings = z.infer<typeof AccountSettings>;
export type AccountSettingsInput = SettingsInput & Partial<AdminSettingsInput>;

/** The providers page: each channel's provider (no secrets) and who can serve each channel. */
const ProviderPage = z.object({
  providers: z.array(ProviderView),
  channels: z.array(ProvidersOfChannel),
});
export type ProviderPage = z.infer<typeof ProviderPage>;
export type { ProviderChange, ProviderView, UserInput, UserView };
const WidgetKeyList = z.object({ items: z.array(WidgetKeyView) });
export type { CreatedWidgetKey, WidgetKeyInput, WidgetKeyView };

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
  getSettings(signal?: AbortSignal): Promise<AccountSettings>;
  listCredentials(signal?: AbortSignal): Promise<CredentialView[]>;
  /** The new credential with its secrets: the only time they are shown. */
  createCredential(input: CredentialInput): Promise<CreatedCredential>;
  rotateCredential(id: string): Promise<CreatedCredential>;
  revokeCredential(id: string): Promise<void>;
  updateSettings(input: AccountSettingsInput): Promise<AccountSettings>;
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
  // What the account learned about numbers on WhatsApp; optional too (the panel hides without).
  getWaReachability?(signal?: AbortSignal): Promise<WaReachabilityView>;
  updateWaReachability?(input: WaReachabilityInput): Promise<WaReachabilityView>;
  /** Forgets every number's verdict. */
  clearWaReachability?(): Promise<WaReachabilityView>;
  // The providers and users pages' calls, optional like the reports' (a host's older client).
  /** Each channel's messaging provider, secrets only as set / not set. */
  listProviders?(signal?: AbortSignal): Promise<ProviderPage>;
  /** Sets or changes a channel's provider; a secret left out keeps the stored one. */
  setProvider?(channel: ChannelName, change: ProviderChange): Promise<ProviderView>;
  /** The channel goes back to the sandbox. */
  removeProvider?(channel: ChannelName): Promise<void>;
  listUsers?(signal?: AbortSignal): Promise<UserView[]>;
  addUser?(input: UserInput): Promise<UserView>;
  /** Sets the user's new password (the administrator tells it to them). */
  resetUserPassword?(id: string, password: string): Promise<void>;
  removeUser?(id: string): Promise<void>;
  // Widget installation keys (optional like the reports', for hosts' own clients)
  listWidgetKeys?(signal?: AbortSignal): Promise<WidgetKeyView[]>;
  /** The new key: the only time it is shown. */
  createWidgetKey?(input: WidgetKeyInput): Promise<CreatedWidgetKey>;
  revokeWidgetKey?(id: string): Promise<void>;
}

export interface AdminClientOptions {
  /** The c2m server's base URL, e.g. `https://c2m.example.com`; empty for the page's own origin. */
  apiBase: string;
  accountId: string;
  /** Called before every request, so a host that refreshes its token is always current. */
  getToken: () => string | undefined | Promise<string | undefined>;
  /**
   * A fresh token after c2m answered 401 (the session expired): the request is sent once more
   * with it. Without it, a 401 is the caller's.
   */
  refreshToken?: () => Promise<string | undefined>;
  fetch?: typeof fetch;
}

/**
 * The admin API of one account over ky: no retries (a write must not run twice) but one, after a
 * 401, with a fresh token (`refreshToken`: c2m refused the request before doing anything); typed
 * errors.
 */
export function createAdminClient(opts: AdminClientOptions): AdminClient {
  const base = `${opts.apiBase.replace(/\/+$/, '')}/api/admin/account/${encodeURIComponent(opts.accountId)}`;
  const http: KyInstance = ky.create({
    retry: 0,
    timeout: 15_000,
    ...(opts.fetch && { fetch: opts.fetch }),
  });
  const request = (path: string, options: Options, token: string | undefined) =>
    http(`${base}${path}`, {
      ...options,
      headers: { ...options.headers, ...(token && { Authorization: `Bearer ${token}` }) },
    });
  async function respond(path: string, options: Options) {
    try {
      return await request(path, options, await opts.getToken());
    } catch (err) {
      if (!(err instanceof HTTPError) || err.response.status !== 401 || !opts.refreshToken) {
        throw err;
      }
      const fresh = await opts.refreshToken();
      if (!fresh) throw err;
      return request(path, options, fresh);
    }
  }

  async function send<T>(
    schema: z.ZodType<T> | undefined,
    path: string,
    options: Options = {},
  ): Promise<T> {
    let body: unknown;
    try {
      const response = await respond(path, options);
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
    getSettings: (signal) => send(AccountSettings, '/settings', { signal }),
    updateSettings: (input) => send(AccountSettings, '/settings', { method: 'PUT', json: input }),
    listSenders: (signal) => send(SenderList, '/senders', { signal }),
    reportAnalytics: (request, signal) =>
      send(AnalyticsResponse, '/reports/analytics', { method: 'POST', json: request, signal }),
    reportDimensions: (window, signal) =>
      send(ReportsDimensions, `/reports/dimensions?${searchParams(window)}`, { signal }),
    listWidgetKeys: async (signal) => (await send(WidgetKeyList, '/widget-keys', { signal })).items,
    createWidgetKey: (input) =>
      send(CreatedWidgetKey, '/widget-keys', { method: 'POST', json: input }),
    revokeWidgetKey: (id) =>
      send(undefined, `/widget-keys/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    watchReports: (onChange, onState) =>
      watchReports({ apiBase: opts.apiBase, getToken: opts.getToken, onChange, onState }),
    getWaReachability: (signal) =>
      send(WaReachabilityView, '/settings/wa-reachability', { signal }),
    updateWaReachability: (input) =>
      send(WaReachabilityView, '/settings/wa-reachability', { method: 'PUT', json: input }),
    clearWaReachability: () =>
      send(WaReachabilityView, '/settings/wa-reachability/learned', { method: 'DELETE' }),
    listProviders: (signal) => send(ProviderPage, '/providers', { signal }),
    setProvider: (channel, change) =>
      send(ProviderView, `/providers/${encodeURIComponent(channel)}`, {
        method: 'PUT',
        json: change,
      }),
    removeProvider: (channel) =>
      send(undefined, `/providers/${encodeURIComponent(channel)}`, { method: 'DELETE' }),
    listUsers: async (signal) => (await send(UserList, '/users', { signal })).items,
    addUser: (input) => send(UserView, '/users', { method: 'POST', json: input }),
    resetUserPassword: (id, password) =>
      send(undefined, `/users/${encodeURIComponent(id)}/password`, {
        method: 'PUT',
        json: { password },
      }),
    removeUser: (id) => send(undefined, `/users/${encodeURIComponent(id)}`, { method: 'DELETE' }),
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
