import { LitElement, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { DemoContext } from '../../../backend/contract/demo.js';
import { C2mError } from '../../../client/src/errors.js';
import type { C2mDemoPhone } from '../c2m-demo-phone/c2m-demo-phone.js';
import { DemoApi, describeError } from '../demo-api.js';
import { takeDemoKey } from '../demo-key.js';
import type { C2mDemoCallerChangedEvent } from '../events.js';
import styles from './c2m-demo.styles.js';
import { demoIntro } from './demo-intro.js';

/** The caller the simulator, the phone and the widget start with. */
const FIRST_CALLER = '+14155550123';
/** Fetch fresh sessions this long before the current ones expire. */
const REFRESH_AHEAD_MS = 60_000;
/** However soon the sessions expire, ask again no sooner than this. */
const MIN_REFRESH_MS = 5_000;

/**
 * The demo page at `/`: an IVR simulator, the consumer's sandbox phone, the agent's
 * `<c2m-cx-widget>` following that consumer, and `<c2m-admin>` for the demo account. It talks to
 * c2m's `/demo` routes only, with this start's key: no credential of the account reaches it, just
 * short admin and agent sessions, refreshed before they expire. When the demo is not there (off,
 * or the page was opened without the printed URL) it says why instead.
 *
 * @summary The demo page: a deflection from the IVR to the phone, the widget and the admin.
 */
export class C2mDemo extends LitElement {
  static override styles = styles;

  /** How the page reaches c2m; made from the URL's `#demo=` key when not given. */
  @property({ attribute: false }) api?: DemoApi;

  @state() private context?: DemoContext;
  @state() private failure?: unknown;
  @state() private caller: { phone: string; consumerId?: string } = { phone: FIRST_CALLER };

  @query('c2m-demo-phone') private phone?: C2mDemoPhone;

  private refreshTimer?: ReturnType<typeof setTimeout>;

  override connectedCallback() {
    super.connectedCallback();
    this.api ??= new DemoApi(takeDemoKey());
    this.loadOrExplain();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    clearTimeout(this.refreshTimer);
  }

  /** The demo's context and fresh sessions; the agent's are fetched again before they expire. */
  private async load() {
    clearTimeout(this.refreshTimer);
    const context = await this.api!.context();
    this.context = context;
    this.failure = undefined;
    const expires = Date.parse(context.sessions.agent.expiresAt);
    this.refreshTimer = setTimeout(
      () => this.loadOrExplain(),
      Math.max(MIN_REFRESH_MS, expires - Date.now() - REFRESH_AHEAD_MS),
    );
  }

  /** Loads; a demo that is not there (any more) gives way to the reason why. */
  private loadOrExplain() {
    this.load().catch((err: unknown) => {
      this.failure = err;
    });
  }

  /**
   * The admin element asks for its token before each call; an expiring one is renewed first, and a
   * renewal c2m refuses is the admin element's error to show.
   */
  private readonly adminToken = async (): Promise<string> => {
    const expiresAt = Date.parse(this.context?.sessions.admin.expiresAt ?? '');
    if (!(expiresAt - Date.now() >= REFRESH_AHEAD_MS)) await this.load();
    return this.context?.sessions.admin.token ?? '';
  };

  private readonly follow = (event: C2mDemoCallerChangedEvent) => {
    const { phone, consumerId } = event;
    if (phone !== this.caller.phone || consumerId !== this.caller.consumerId) {
      this.caller = { phone, consumerId };
    }
  };

  private readonly invited = () => void this.phone?.refresh();

  // handoffs created, changed or deleted in the admin element show up in the simulator
  private readonly handoffsChanged = () => this.loadOrExplain();

  override render() {
    const context = this.failure === undefined ? this.context : undefined;
    const account = context
      ? html`<span class="muted">· ${context.accountName} (account ${context.accountId})</span>`
      : nothing;
    return html`<header class="page-header">
        <h1>c2m demo ${account}</h1>
        ${demoIntro}
        ${
          this.failure === undefined
            ? nothing
            : html`<p id="unavailable" class="notice" role="alert">${unavailable(this.failure)}</p>`
        }
      </header>
      ${context ? this.renderDemo(context) : nothing}`;
  }

  private renderDemo(context: DemoContext) {
    const origin = location.origin;
    const { phone, consumerId } = this.caller;
    return html`<main id="demo" class="demo">
      <section class="panel" aria-labelledby="ivr-title">
        <h2 id="ivr-title">IVR simulator</h2>
        <c2m-demo-ivr
          .api=${this.api}
          .handoffs=${context.handoffs}
          .skills=${context.skills}
          phone-number=${FIRST_CALLER}
          @c2m-demo-caller-changed=${this.follow}
          @c2m-demo-invited=${this.invited}
        ></c2m-demo-ivr>
      </section>

      <section class="panel" aria-labelledby="phone-title">
        <h2 id="phone-title">Consumer's phone</h2>
        <c2m-demo-phone
          .api=${this.api}
          phone=${phone}
          consumer-id=${ifDefined(consumerId)}
        ></c2m-demo-phone>
      </section>

      <section class="panel" aria-labelledby="agent-title">
        <h2 id="agent-title">Agent's widget</h2>
        <p class="hint">
          <code>&lt;c2m-cx-widget&gt;</code> following the caller's number, live over Socket.IO.
        </p>
        <c2m-cx-widget
          id="widget"
          api-base=${origin}
          account-id=${context.accountId}
          consumer-phone-number=${phone}
          consumer-id=${ifDefined(consumerId)}
          .token=${context.sessions.agent.token}
        ></c2m-cx-widget>
      </section>

      <section class="panel panel--wide" aria-labelledby="admin-title">
        <h2 id="admin-title">Brand administration</h2>
        <p class="hint">
          <code>&lt;c2m-admin&gt;</code> signed in as the demo account's administrator. Handoffs
          saved here show up in the IVR simulator.
        </p>
        <c2m-admin
          id="admin"
          session-role="admin"
          api-base=${origin}
          account-id=${context.accountId}
          .tokenProvider=${this.adminToken}
          @c2m-handoff-saved=${this.handoffsChanged}
          @c2m-handoff-deleted=${this.handoffsChanged}
        ></c2m-admin>
      </section>
    </main>`;
  }
}

/** Why the demo is not there, and what to do about it. */
function unavailable(err: unknown): string {
  const status = err instanceof C2mError ? err.status : undefined;
  if (status === 404) {
    const notFound = err instanceof C2mError && err.errorMessage === 'Not Found';
    return (
      'The demo is not available here. It runs when c2m listens on this machine only ' +
      '(HOST=127.0.0.1, the default) or starts with C2M_DEMO=1, and is opened from the URL ' +
      'c2m printed at start-up. The API reference and the admin sign-in above work everywhere.' +
      (notFound ? '' : ` (${describeError(err)})`)
    );
  }
  if (status === 401) {
    return (
      'Open the demo from the URL c2m printed at start-up (…/#demo=…): each start makes a ' +
      'new demo key, so a page opened before a restart or without it cannot use the demo.'
    );
  }
  return `The demo could not load: ${describeError(err)}`;
}

declare global {
  interface HTMLElementTagNameMap {
    'c2m-demo': C2mDemo;
  }
}
