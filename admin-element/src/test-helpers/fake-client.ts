import { LitElement } from 'lit';
import { fixture, html } from '@open-wc/testing';
import { property } from 'lit/decorators.js';
import type {
  HandoffInput,
  HandoffListQuery,
  HandoffView,
} from '../../../backend/contract/handoffs.js';
import type { Role } from '../../../backend/contract/policy.js';
import type { SettingsInput, SettingsView } from '../../../backend/contract/settings.js';
import {
  templateVariables,
  type TemplateInput,
  type TemplateListQuery,
  type TemplateReviewInput,
  type TemplateView,
} from '../../../backend/contract/templates.js';
import {
  AdminApiError,
  type AdminClient,
  type CreatedCredential,
  type CredentialInput,
  type CredentialView,
} from '../api/admin-client.js';
import { provideSession } from '../shared/session.js';

/**
 * A fake of the HTTP boundary for component tests: an in-memory account that answers like the
 * admin API (pages, sort, filters), records each call, and can be told to fail the next one.
 */
export class FakeAdminClient implements AdminClient {
  calls: { method: string; args: unknown[] }[] = [];
  handoffs: HandoffView[];
  templates: TemplateView[];
  settings: SettingsView = {
    channels: [],
    deviceCheck: false,
    routing: [],
    defaultSkill: null,
    smsOptOutText: 'Reply STOP to opt out.',
    timezone: 'UTC',
    helpText: 'Reply to chat with us.',
    frequencyCapPerHour: 3,
    rateLimitPerSec: 30,
  };
  /** Thrown by the next call, then cleared. */
  failNext?: AdminApiError;
  /** While set, list calls wait for it: the loading state can be seen. */
  gate?: Promise<void>;
  private nextId = 1;

  constructor(init: { handoffs?: HandoffView[]; templates?: TemplateView[] } = {}) {
    this.handoffs = init.handoffs ?? [];
    this.templates = init.templates ?? [];
  }

  private record(method: string, ...args: unknown[]) {
    this.calls.push({ method, args });
    const failure = this.failNext;
    this.failNext = undefined;
    if (failure) throw failure;
  }

  async listHandoffs(query: Partial<HandoffListQuery>) {
    this.record('listHandoffs', query);
    await this.gate;
    const { offset = 0, limit = 20, sort = 'updatedAt', order = 'desc', title, channel } = query;
    const key = (h: HandoffView): string | number =>
      sort === 'lookback'
        ? h.lookback.days * 24 + h.lookback.hours
        : sort === 'channels'
          ? h.channels
              .filter((c) => c.enabled)
              .map((c) => c.name)
              .join(',')
          : h[sort];
    const items = this.handoffs
      .filter((h) => !title || h.title.toLowerCase().includes(title.toLowerCase()))
      .filter((h) => !channel || h.channels.some((c) => c.name === channel && c.enabled))
      .sort(
        (a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) * (order === 'asc' ? 1 : -1),
      );
    return { items: items.slice(offset, offset + limit), total: items.length, offset, limit };
  }

  getHandoff(id: string) {
    this.record('getHandoff', id);
    const found = this.handoffs.find((h) => h.id === id);
    if (!found) throw new AdminApiError(404, 'not_found', 'Not Found');
    return Promise.resolve(found);
  }

  createHandoff(input: HandoffInput) {
    this.record('createHandoff', input);
    const now = new Date().toISOString();
    const id = `H${String(this.nextId++).padStart(15, '0')}`;
    const view: HandoffView = { id, ...input, createdAt: now, updatedAt: now };
    this.handoffs.push(view);
    return Promise.resolve(view);
  }

  updateHandoff(id: string, input: HandoffInput) {
    this.record('updateHandoff', id, input);
    const i = this.handoffs.findIndex((h) => h.id === id);
    const view = { ...this.handoffs[i], ...input, updatedAt: new Date().toISOString() };
    this.handoffs[i] = view;
    return Promise.resolve(view);
  }

  deleteHandoff(id: string) {
    this.record('deleteHandoff', id);
    this.handoffs = this.handoffs.filter((h) => h.id !== id);
    return Promise.resolve();
  }

  listTemplates(query: Partial<TemplateListQuery>) {
    this.record('listTemplates', query);
    const items = this.templates.filter((t) => !query.status || t.status === query.status);
    return Promise.resolve({ items, total: items.length, offset: 0, limit: query.limit ?? 20 });
  }

  listTemplateStatus(query: Partial<TemplateListQuery>) {
    this.record('listTemplateStatus', query);
    const items = this.templates
      .filter((t) => t.status === 'approved')
      .map(({ name, language, status }) => ({ name, language, status }));
    return Promise.resolve({ items, total: items.length, offset: 0, limit: query.limit ?? 20 });
  }

  private storeTemplate(t: TemplateView) {
    const i = this.templates.findIndex((x) => x.id === t.id);
    if (i < 0) this.templates.push(t);
    else this.templates[i] = t;
    return Promise.resolve(t);
  }

  private findTemplate(id: string) {
    const found = this.templates.find((t) => t.id === id);
    if (!found) throw new AdminApiError(404, 'not_found', 'Not Found');
    return found;
  }

  createTemplate(input: TemplateInput) {
    this.record('createTemplate', input);
    return this.storeTemplate(template({ ...input, status: 'draft', id: `T${this.nextId++}` }));
  }

  updateTemplate(id: string, input: TemplateInput) {
    this.record('updateTemplate', id, input);
    return this.storeTemplate({
      ...this.findTemplate(id),
      ...input,
      variables: templateVariables(input.body),
    });
  }

  cloneTemplate(id: string) {
    this.record('cloneTemplate', id);
    const original = this.findTemplate(id);
    return this.storeTemplate({ ...original, id: `T${this.nextId++}`, status: 'draft' });
  }

  submitTemplate(id: string) {
    this.record('submitTemplate', id);
    return this.storeTemplate({ ...this.findTemplate(id), status: 'pending' });
  }

  reviewTemplate(id: string, review: TemplateReviewInput) {
    this.record('reviewTemplate', id, review);
    const status = review.decision === 'approve' ? 'approved' : 'rejected';
    return this.storeTemplate({ ...this.findTemplate(id), status });
  }

  deleteTemplate(id: string) {
    this.record('deleteTemplate', id);
    this.templates = this.templates.filter((t) => t.id !== id);
    return Promise.resolve();
  }

  credentials: CredentialView[] = [];

  listCredentials() {
    this.record('listCredentials');
    return Promise.resolve(this.credentials);
  }

  private issue(view: CredentialView): CreatedCredential {
    const secrets =
      view.kind === 'oauth1'
        ? { consumerKey: view.keyId, consumerSecret: 'cs', token: 'tk', tokenSecret: 'ts' }
        : { clientId: view.keyId, clientSecret: 'secret', tokenUrl: 'http://c2m/oauth/token' };
    return { ...view, secrets };
  }

  createCredential(input: CredentialInput) {
    this.record('createCredential', input);
    const view: CredentialView = {
      id: `C${this.nextId++}`,
      kind: input.kind,
      name: input.name,
      keyId: `key-${this.nextId}`,
      permissions: input.permissions,
      createdAt: new Date().toISOString(),
      revokedAt: null,
    };
    this.credentials.push(view);
    return Promise.resolve(this.issue(view));
  }

  rotateCredential(id: string) {
    this.record('rotateCredential', id);
    const view = this.credentials.find((c) => c.id === id)!;
    return Promise.resolve(this.issue(view));
  }

  revokeCredential(id: string) {
    this.record('revokeCredential', id);
    this.credentials = this.credentials.map((c) =>
      c.id === id ? { ...c, revokedAt: new Date().toISOString() } : c,
    );
    return Promise.resolve();
  }

  getSettings() {
    this.record('getSettings');
    return Promise.resolve(this.settings);
  }

  updateSettings(input: SettingsInput) {
    this.record('updateSettings', input);
    this.settings = { ...this.settings, ...input };
    return Promise.resolve(this.settings);
  }

  callsOf(method: keyof AdminClient) {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }
}

/** Provides a client and a role to the elements inside it, as <c2m-admin> does. */
export class C2mTestProvider extends LitElement {
  @property({ attribute: false })
  client?: AdminClient;

  @property({ attribute: 'session-role' })
  sessionRole?: Role;

  constructor() {
    super();
    provideSession(this, () => ({ client: this.client, role: this.sessionRole }));
  }

  override render() {
    return html`<slot></slot>`;
  }
}
if (!customElements.get('c2m-test-provider')) {
  customElements.define('c2m-test-provider', C2mTestProvider);
}

declare global {
  interface HTMLElementTagNameMap {
    'c2m-test-provider': C2mTestProvider;
  }
}

let counter = 0;

/** A handoff as the server answers it, with SMS enabled unless `channels` says otherwise. */
export function handoff(overrides: Partial<HandoffView> = {}): HandoffView {
  counter++;
  const at = new Date(Date.UTC(2026, 0, 1, 0, counter)).toISOString();
  return {
    id: `H${String(900000 + counter).padStart(15, '0')}`,
    title: `Handoff ${counter}`,
    active: true,
    lookback: { days: 0, hours: 1 },
    channels: [{ name: 'sms', enabled: true, message: 'Hi, reply here to chat.' }],
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

/** An approved WhatsApp template as the server answers it. */
export function template(overrides: Partial<TemplateView> & { body: string }): TemplateView {
  counter++;
  const at = new Date(Date.UTC(2026, 0, 1, 0, counter)).toISOString();
  const variables = templateVariables(overrides.body);
  return {
    id: `T${counter}`,
    name: `template_${counter}`,
    category: 'UTILITY',
    language: 'en',
    wabaId: '1234567890',
    phoneNumber: '+14155550100',
    examples: Array.from({ length: variables }, (_, i) => `example ${i + 1}`),
    variables,
    status: 'approved',
    statusReason: null,
    providerTemplateId: null,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

/**
 * Puts `element` inside a provider of `client` and `role`, as <c2m-admin> does, and waits for its
 * first render.
 */
export async function inSession<T extends HTMLElement & { updateComplete: Promise<unknown> }>(
  element: T,
  client: AdminClient | undefined,
  role: Role = 'admin',
): Promise<T> {
  await fixture(
    html`<c2m-test-provider .client=${client} session-role=${role}>${element}</c2m-test-provider>`,
  );
  await element.updateComplete;
  return element;
}
