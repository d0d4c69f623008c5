import ky, { HTTPError, type KyInstance, type Options } from 'ky';
import type { SenderList } from '../../../backend/contract/senders.js';
import type { z } from 'zod';
import { readAdminError, type AdminErrorCode } from '../../../backend/contract/admin-errors.js';
import type {
  HandoffInput,
  HandoffListQuery,
  HandoffView,
} from '../../../backend/contract/handoffs.js';
import type { Page } from '../../../backend/contract/page.js';
import type {
  AdminSettingsInput,
  SettingsInput,
  SettingsView,
} from '../../../backend/contract/settings.js';
import type {
  TemplateInput,
  TemplateListQuery,
  TemplateReviewInput,
  TemplateStatusView,
  TemplateView,
} from '../../../backend/contract/templates.js';

import type {
  ReportsAnalyticsRequest,
  ReportsDimensions,
  ReportsDimensionsQuery,
} from '../../../backend/contract/admin-reports.js';
import type { AnalyticsResponse } from '../../../backend/contract/reporting.js';
import type { ReportsFeedState } from '../reports/reports-socket.js';
import type {
  ProviderChange,
  ProvidersOfChannel,
  ProviderView,
} from '../../../backend/contract/providers.js';
import type { UserInput, UserList, UserView } from '../../../backend/contract/users.js';
import type { ChannelName } from '../../../backend/contract/channels.js';

import type {
  WaReachabilityInput,
  WaReachabilityView,
} from '../../../backend/contract/wa-reachability.js';

import type {
  CreatedCredential,
  CredentialInput,
  CredentialView,
} from '../../../backend/contract/credentials.js';
import type {
  CreatedWidgetKey,
  WidgetKeyInput,
  WidgetKeyView,
} from '../../../backend/contract/widget-keys.js';

// Types only from the contract: the answers are not checked again here (the server's presenters
// are typed from the same contract and tested), so no zod reaches the element's first paint.

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

export type HandoffPage = Page<HandoffView>;
export type TemplatePage = Page<TemplateView>;
export type TemplateStatusPage = Page<TemplateStatusView>;

type CredentialList = { items: CredentialView[] };
export type { CreatedCredential, CredentialInput, CredentialView };

/**
 * The settings as the admin API answers them: the element's, with the embedding origins and the
 * receipt time-out (optional, so a host's own client that leaves them out still fits).
 */
export type AccountSettings = SettingsView & {
  allowedOrigins?: string[];
  receiptTimeoutHours?: number;
};
export type AccountSettingsInput = SettingsInput & Partial<AdminSettingsInput>;

/** The providers page: each channel's provider (no secrets) and who can serve each channel. */
export type ProviderPage = {
  providers: ProviderView[];
  channels: z.infer<typeof ProvidersOfChannel>[];
};
export type { ProviderChange, ProviderView, UserInput, UserView };
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
  /**
   * Ends this session on the server (its token is refused from then on); <c2m-admin> calls it on
   * Sign out, before it forgets the token. Optional, for hosts' own clients.
   */
  signOut?(): Promise<void>;
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

  /** One call; `T` is the answer's type as the contract declares it (`void` for 204). */
  async function send<T>(path: string, options: Options = {}): Promise<T> {
    try {
      const response = await respond(path, options);
      return (response.status === 204 ? undefined : await response.json()) as T;
    } catch (err) {
      throw await toAdminApiError(err);
    }
  }

  const handoffPath = (id: string) => `/handoffs/${encodeURIComponent(id)}`;
  const templatePath = (id: string) => `/templates/${encodeURIComponent(id)}`;
  return {
    listHandoffs: (query, signal) =>
      send<HandoffPage>(`/handoffs?${searchParams(query)}`, { signal }),
    getHandoff: (id, signal) => send<HandoffView>(handoffPath(id), { signal }),
    createHandoff: (input) => send<HandoffView>('/handoffs', { method: 'POST', json: input }),
    updateHandoff: (id, input) =>
      send<HandoffView>(handoffPath(id), { method: 'PUT', json: input }),
    deleteHandoff: (id) => send<void>(handoffPath(id), { method: 'DELETE' }),
    listTemplates: (query, signal) =>
      send<TemplatePage>(`/templates?${searchParams(query)}`, { signal }),
    listTemplateStatus: (query, signal) =>
      send<TemplateStatusPage>(`/templates/status?${searchParams(query)}`, { signal }),
    createTemplate: (input) => send<TemplateView>('/templates', { method: 'POST', json: input }),
    updateTemplate: (id, input) =>
      send<TemplateView>(templatePath(id), { method: 'PUT', json: input }),
    cloneTemplate: (id) => send<TemplateView>(`${templatePath(id)}/clone`, { method: 'POST' }),
    submitTemplate: (id) => send<TemplateView>(`${templatePath(id)}/submit`, { method: 'POST' }),
    reviewTemplate: (id, review) =>
      send<TemplateView>(`${templatePath(id)}/review`, { method: 'POST', json: review }),
    deleteTemplate: (id) => send<void>(templatePath(id), { method: 'DELETE' }),
    listCredentials: async (signal) =>
      (await send<CredentialList>('/credentials', { signal })).items,
    createCredential: (input) =>
      send<CreatedCredential>('/credentials', { method: 'POST', json: input }),
    rotateCredential: (id) =>
      send<CreatedCredential>(`/credentials/${encodeURIComponent(id)}/rotate`, { method: 'POST' }),
    revokeCredential: (id) =>
      send<void>(`/credentials/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    getSettings: (signal) => send<AccountSettings>('/settings', { signal }),
    updateSettings: (input) => send<AccountSettings>('/settings', { method: 'PUT', json: input }),
    listSenders: (signal) => send<SenderList>('/senders', { signal }),
    reportAnalytics: (request, signal) =>
      send<AnalyticsResponse>('/reports/analytics', { method: 'POST', json: request, signal }),
    reportDimensions: (window, signal) =>
      send<ReportsDimensions>(`/reports/dimensions?${searchParams(window)}`, { signal }),
    listWidgetKeys: async (signal) =>
      (await send<{ items: WidgetKeyView[] }>('/widget-keys', { signal })).items,
    createWidgetKey: (input) =>
      send<CreatedWidgetKey>('/widget-keys', { method: 'POST', json: input }),
    revokeWidgetKey: (id) =>
      send<void>(`/widget-keys/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    watchReports: (onChange, onState) => {
      // Socket.IO's client is loaded with the dashboard that asks for it, not at first paint
      let stop: (() => void) | undefined;
      let stopped = false;
      void import('../reports/reports-socket.js').then(({ watchReports }) => {
        if (stopped) return;
        stop = watchReports({ apiBase: opts.apiBase, getToken: opts.getToken, onChange, onState });
      });
      return () => {
        stopped = true;
        stop?.();
      };
    },
    getWaReachability: (signal) =>
      send<WaReachabilityView>('/settings/wa-reachability', { signal }),
    updateWaReachability: (input) =>
      send<WaReachabilityView>('/settings/wa-reachability', { method: 'PUT', json: input }),
    clearWaReachability: () =>
      send<WaReachabilityView>('/settings/wa-reachability/learned', { method: 'DELETE' }),
    listProviders: (signal) => send<ProviderPage>('/providers', { signal }),
    setProvider: (channel, change) =>
      send<ProviderView>(`/providers/${encodeURIComponent(channel)}`, {
        method: 'PUT',
        json: change,
      }),
    removeProvider: (channel) =>
      send<void>(`/providers/${encodeURIComponent(channel)}`, { method: 'DELETE' }),
    listUsers: async (signal) => (await send<UserList>('/users', { signal })).items,
    addUser: (input) => send<UserView>('/users', { method: 'POST', json: input }),
    resetUserPassword: (id, password) =>
      send<void>(`/users/${encodeURIComponent(id)}/password`, {
        method: 'PUT',
        json: { password },
      }),
    removeUser: (id) => send<void>(`/users/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    // the token in hand only: a 401 (already ended, expired) must not end a refreshed one
    signOut: async () => {
      const token = await opts.getToken();
      if (!token) return;
      try {
        await request('/session', { method: 'DELETE' }, token);
      } catch (err) {
        throw await toAdminApiError(err);
      }
    },
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
  const error = readAdminError(await err.response.json().catch(() => undefined));
  if (!error) {
    return new AdminApiError(status, status >= 500 ? 'internal' : 'validation_failed', err.message);
  }
  const { code, message, details } = error;
  return new AdminApiError(status, code, message, details?.fieldErrors ?? {});
}
