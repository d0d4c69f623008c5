import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { LocaleController } from '../../../l10n/locale.js';
import { locale } from '../locale.js';
import type { HandoffView } from '../../../backend/contract/handoffs.js';
import { can, isRole, type Action, type Role } from '../../../backend/contract/policy-table.js';
import type { TemplateView } from '../../../backend/contract/templates.js';
import { createAdminClient, type AdminClient } from '../api/admin-client.js';
import type {
  C2mHandoffDeletedEvent,
  C2mHandoffSavedEvent,
  C2mHandoffSelectedEvent,
  C2mTemplateSavedEvent,
  C2mTemplateSelectedEvent,
} from '../events.js';
import { C2mSignOutEvent } from '../events.js';
import { provideSession } from '../shared/session.js';
import { renderSaveStatus } from '../shared/save-status.js';
import styles from './c2m-admin.styles.js';

/** The views of the admin element, each offered to the roles that may see it. */
export type AdminView =
  | 'handoffs'
  | 'templates'
  | 'settings'
  | 'credentials'
  | 'reports'
  | 'providers'
  | 'users'
  | 'widget-keys';

/** Loads an element's module, which defines its tag (and those of the elements it renders). */
type Load = () => Promise<unknown>;

/**
 * Each view, the actions of which a role needs one to be offered it, and its element's module:
 * loaded the first time the view is shown, so the first paint carries only this shell. The
 * bundler makes each `import()` a chunk next to the entry file.
 */
const VIEWS: { view: AdminView; needs: Action[]; load: Load }[] = [
  {
    view: 'handoffs',
    needs: ['handoffs:view'],
    load: () => import('../c2m-handoff-list/c2m-handoff-list.js'),
  },
  {
    view: 'templates',
    needs: ['templates:view', 'templates:status'],
    load: () => import('../c2m-template-list/c2m-template-list.js'),
  },
  {
    view: 'settings',
    needs: ['settings:view'],
    load: () => import('../c2m-settings/c2m-settings.js'),
  },
  {
    view: 'credentials',
    needs: ['credentials:view'],
    load: () => import('../c2m-credentials/c2m-credentials.js'),
  },
  {
    view: 'reports',
    needs: ['reports:view'],
    load: () => import('../reports/c2m-reports.js'),
  },
  {
    view: 'providers',
    needs: ['providers:view'],
    load: () => import('../c2m-providers/c2m-providers.js'),
  },
  {
    view: 'users',
    needs: ['users:view'],
    load: () => import('../c2m-users/c2m-users.js'),
  },
  {
    view: 'widget-keys',
    needs: ['widget_keys:view'],
    load: () => import('../c2m-widget-keys/c2m-widget-keys.js'),
  },
];

/** A view's name in the navigation, in the shown language. */
function viewLabel(view: AdminView): string {
  switch (view) {
    case 'handoffs':
      return msg('API handoffs');
    case 'templates':
      return msg('WhatsApp templates');
    case 'settings':
      return msg('Settings');
    case 'credentials':
      return msg('API credentials');
    case 'reports':
      return msg('Reports');
    case 'providers':
      return msg('Messaging providers');
    case 'users':
      return msg('Users');
    case 'widget-keys':
      return msg('Widget keys');
  }
}

/** The editors of the handoffs and templates views, loaded the first time one is opened. */
const EDITORS: Record<'handoff' | 'template', Load> = {
  handoff: () => import('../c2m-handoff-editor/c2m-handoff-editor.js'),
  template: () => import('../c2m-template-editor/c2m-template-editor.js'),
};

/** The modules asked for, each once for every <c2m-admin> on the page; those that came; failed. */
const loading = new Map<Load, Promise<void>>();
const loaded = new Set<Load>();
const failed = new Set<Load>();

function load(module: Load): Promise<void> {
  let done = loading.get(module);
  if (!done) {
    done = module().then(
      () => void loaded.add(module),
      () => void failed.add(module),
    );
    loading.set(module, done);
  }
  return done;
}

/** Inside a view: its list, or the editor of one item (or of a new one). */
type Screen =
  | { kind: 'list' }
  | { kind: 'handoff'; handoff?: HandoffView }
  | { kind: 'template'; template?: TemplateView };

/**
 * C2M's administration for one account, to embed in a brand's portal: API handoffs (list,
 * create, edit, delete), WhatsApp templates (list with status, create, submit for approval), the
 * account settings, the IVR API credentials, a live reporting dashboard, the messaging providers
 * per channel and the users who sign in on C2M. It talks to the c2m server at `api-base` with the session token the
 * portal's backend minted, and offers only what the session's role (`session-role`) may do (the server checks
 * every request regardless). The API client and the role reach the views through Lit context.
 *
 * @summary The embeddable C2M admin: handoffs, templates, settings, credentials, reports, providers and users, by role.
 *
 * @fires c2m-handoff-selected - {@link C2mHandoffSelectedEvent} (from the list) a handoff was opened.
 * @fires c2m-handoff-saved - {@link C2mHandoffSavedEvent} a handoff was created or updated.
 * @fires c2m-handoff-deleted - {@link C2mHandoffDeletedEvent} a handoff was deleted.
 * @fires c2m-handoff-edit-cancelled - The editor was left without saving.
 * @fires c2m-handoff-create-requested - (from the list) New handoff was pressed.
 * @fires c2m-template-selected - (from the list) a template was opened to edit.
 * @fires c2m-template-create-requested - (from the list) New template was pressed.
 * @fires c2m-template-edit-cancelled - The template editor was left without saving.
 * @fires c2m-template-saved - {@link C2mTemplateSavedEvent} a template was saved (or submitted).
 * @fires c2m-template-changed - A template was submitted, cloned or reviewed from the list.
 * @fires c2m-template-deleted - A template was deleted.
 * @fires c2m-settings-saved - The account settings were saved.
 * @fires c2m-credential-changed - An IVR credential was created, rotated or revoked.
 * @fires c2m-sign-out - {@link C2mSignOutEvent} Sign out was pressed: c2m ended the session (when it
 *   could be reached: `AdminClient.signOut`), and the element forgot its token.
 *
 * @csspart base - The wrapper of the whole element.
 * @csspart header - Who is signed in (user, account, role) and the Sign out button.
 * @csspart sign-out - The Sign out button.
 * @csspart nav - The navigation between views.
 * @csspart no-access - The text shown to a role with no view.
 * @csspart status - The confirmation of the last save or delete (a polite live region too).
 *
 * @cssprop [--c2m-font-family=system-ui, sans-serif] - Font of every view.
 * @cssprop [--c2m-font-size=0.875rem] - Base font size.
 * @cssprop [--c2m-color-text=#1f1f1f] - Text colour.
 * @cssprop [--c2m-color-muted=#595959] - Hints and secondary text.
 * @cssprop [--c2m-color-background=#ffffff] - Background.
 * @cssprop [--c2m-color-surface=#f6f7f9] - Table headers, rows, message bubbles.
 * @cssprop [--c2m-color-border=#8a9099] - Borders of fields and tables.
 * @cssprop [--c2m-color-accent=#0b5cad] - Primary buttons, the current view and step.
 * @cssprop [--c2m-color-on-accent=#ffffff] - Text on the accent colour.
 * @cssprop [--c2m-color-danger=#b3261e] - Errors and delete buttons.
 * @cssprop [--c2m-color-warning=#7a4b00] - The SMS length warning.
 * @cssprop [--c2m-color-focus=#0b5cad] - The focus ring.
 * @cssprop [--c2m-radius=6px] - Corner radius.
 * @cssprop [--c2m-gap=0.75rem] - Spacing.
 */
@localized()
export class C2mAdmin extends LitElement {
  static override styles = styles;

  /** @internal Its `lang` (or the page's) picks the bundle's language: README, "Languages". */
  protected readonly localeController = new LocaleController(this, locale);

  /** The c2m server's base URL (`https://c2m.example.com`); empty for the page's own origin. */
  @property({ attribute: 'api-base' }) apiBase = '';

  /** The account to administer. */
  @property({ attribute: 'account-id' }) accountId = '';

  /** The session token. Use `tokenProvider` instead when the host refreshes tokens. */
  @property({ attribute: false }) token?: string;

  /**
   * An async function returning a fresh session token; called before every request, and once more
   * when c2m answers 401 (the session expired), and the request is retried with it. Wins over
   * `token`.
   */
  @property({ attribute: false }) tokenProvider?: () => Promise<string>;

  /**
   * The session's role, from the session response; it decides which views and controls show.
   * (Not `role`: that is every element's ARIA role, and `role="admin"` would be an invalid one.)
   */
  @property({ attribute: 'session-role' })
  sessionRole?: Role;

  /**
   * The API client the views use. Made from `api-base` and `account-id`; set it to use another
   * (a test's fake, a host's own transport).
   */
  @property({ attribute: false })
  client?: AdminClient;

  /** The view shown; one the role may not see falls back to the first it may. */
  @property() view: AdminView = 'handoffs';

  @state() private screen: Screen = { kind: 'list' };

  /** Set when the screen changes, so the new screen's heading takes focus (the old one is gone). */
  private focusScreenHeading = false;
  @state() private announcement = '';
  /** Sign out was pressed; a new token signs in again. */
  @state() private signedOut = false;

  /** The client this element made; one set from outside is never replaced. */
  private madeClient?: AdminClient;

  /** The module of what is shown: its element is rendered once the module has come. */
  private shownModule?: Load;

  constructor() {
    super();
    // the views get the client willUpdate made (or the one set from outside), and the role
    provideSession(this, () => ({ client: this.client, role: this.sessionRole }));
  }

  override willUpdate(changed: PropertyValues<this>) {
    const own = this.client === undefined || this.client === this.madeClient;
    // a new token makes a new client too, so the views load again with it
    const inputs = ['apiBase', 'accountId', 'token', 'tokenProvider'] as const;
    if (
      (changed.has('token') && this.token) ||
      (changed.has('tokenProvider') && this.tokenProvider)
    ) {
      this.signedOut = false;
    }
    if (own && (this.client === undefined || inputs.some((k) => changed.has(k)))) {
      this.madeClient = this.accountId
        ? createAdminClient({
            apiBase: this.apiBase,
            accountId: this.accountId,
            getToken: () => (this.tokenProvider ? this.tokenProvider() : this.token),
            // a request refused with 401 is sent once more with a fresh token
            refreshToken: () =>
              this.tokenProvider ? this.tokenProvider() : Promise.resolve(undefined),
          })
        : undefined;
      this.client = this.madeClient;
    }
    this.loadShown();
  }

  /** Asks for the shown view's (or editor's) module, and updates again when it has come. */
  private loadShown() {
    const current = this.accountId ? this.current : undefined;
    const { kind } = this.screen;
    const module = current && (kind === 'list' ? current.load : EDITORS[kind]);
    this.shownModule = module;
    if (module && !loaded.has(module) && !failed.has(module)) {
      void load(module).then(() => this.requestUpdate());
    }
  }

  /**
   * Also waits for the shown view's module, the update that renders its element, and that
   * element's first render: after `await admin.updateComplete` the view is there.
   */
  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await super.getUpdateComplete();
    const module = this.shownModule;
    if (module && !loaded.has(module) && !failed.has(module)) {
      await load(module);
      return this.getUpdateComplete();
    }
    const shown = [...this.renderRoot.querySelectorAll('*')].filter(
      (e): e is LitElement => e instanceof LitElement,
    );
    await Promise.all(shown.map((e) => e.updateComplete));
    return done;
  }

  protected override updated() {
    if (!this.focusScreenHeading) return;
    this.focusScreenHeading = false;
    // the screen's element may still be loading: its heading exists once it has rendered
    void this.updateComplete.then(() =>
      this.renderRoot
        .querySelector('[data-screen]')
        ?.shadowRoot?.querySelector<HTMLElement>('#heading')
        ?.focus(),
    );
  }

  /** Shows another screen of the current view, moving the keyboard focus to it. */
  private go(screen: Screen) {
    this.screen = screen;
    // a confirmation belongs to the list it returned to; opening something else moves on
    if (screen.kind !== 'list') this.announcement = '';
    this.focusScreenHeading = true;
  }

  private get views() {
    const role = this.sessionRole;
    return isRole(role) ? VIEWS.filter((v) => v.needs.some((a) => can(role, a))) : [];
  }

  /** The view shown: the one asked for, or the role's first when it may not see that one. */
  private get current() {
    const views = this.views;
    return views.find((v) => v.view === this.view) ?? views[0];
  }

  private show(view: AdminView) {
    this.view = view;
    this.screen = { kind: 'list' };
    this.announcement = '';
  }

  private onSelected(e: C2mHandoffSelectedEvent) {
    this.go({ kind: 'handoff', handoff: e.handoff });
  }

  private onTemplateSaved(e: C2mTemplateSavedEvent) {
    this.go({ kind: 'list' });
    const name = e.template.name;
    this.announcement = e.submitted
      ? msg(str`Template ${name} submitted for approval`)
      : e.created
        ? msg(str`Template ${name} created`)
        : msg(str`Template ${name} saved`);
  }

  private onSaved(e: C2mHandoffSavedEvent) {
    this.go({ kind: 'list' });
    const title = e.handoff.title;
    this.announcement = e.created
      ? msg(str`Handoff “${title}” created`)
      : msg(str`Handoff “${title}” saved`);
  }

  private onDeleted(e: C2mHandoffDeletedEvent) {
    if (this.screen.kind === 'handoff') this.go({ kind: 'list' });
    this.announcement = msg(str`Handoff ${e.id} deleted`);
  }

  private renderHandoffs() {
    if (this.screen.kind === 'handoff') {
      return html`<c2m-handoff-editor
        data-screen
        .handoff=${this.screen.handoff}
        @c2m-handoff-saved=${(e: C2mHandoffSavedEvent) => this.onSaved(e)}
        @c2m-handoff-deleted=${(e: C2mHandoffDeletedEvent) => this.onDeleted(e)}
        @c2m-handoff-edit-cancelled=${() => this.go({ kind: 'list' })}
      ></c2m-handoff-editor>`;
    }
    return html`<c2m-handoff-list
      data-screen
      @c2m-handoff-selected=${(e: C2mHandoffSelectedEvent) => this.onSelected(e)}
      @c2m-handoff-create-requested=${() => this.go({ kind: 'handoff' })}
      @c2m-handoff-deleted=${(e: C2mHandoffDeletedEvent) => this.onDeleted(e)}
    ></c2m-handoff-list>`;
  }

  private renderTemplates() {
    if (this.screen.kind === 'template') {
      return html`<c2m-template-editor
        data-screen
        .template=${this.screen.template}
        @c2m-template-saved=${(e: C2mTemplateSavedEvent) => this.onTemplateSaved(e)}
        @c2m-template-edit-cancelled=${() => this.go({ kind: 'list' })}
      ></c2m-template-editor>`;
    }
    return html`<c2m-template-list
      data-screen
      @c2m-template-selected=${(e: C2mTemplateSelectedEvent) =>
        this.go({ kind: 'template', template: e.template })}
      @c2m-template-create-requested=${() => this.go({ kind: 'template' })}
    ></c2m-template-list>`;
  }

  private renderNav(views: typeof VIEWS, current: AdminView) {
    return html`<nav part="nav" class="nav" aria-label=${msg('C2M administration')}>
      <ul>
        ${views.map(
          (v) =>
            html`<li>
              <button
                type="button"
                aria-current=${v.view === current ? 'page' : nothing}
                @click=${() => this.show(v.view)}
              >
                ${viewLabel(v.view)}
              </button>
            </li>`,
        )}
      </ul>
    </nav>`;
  }

  /** The user a session token names (its `sub`), read for display only; the server checks it. */
  private get userId(): string | undefined {
    const payload = this.token?.split('.')[1];
    if (!payload) return undefined;
    try {
      const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
      const sub = (JSON.parse(json) as { sub?: unknown }).sub;
      return typeof sub === 'string' ? sub : undefined;
    } catch {
      return undefined;
    }
  }

  private async signOut() {
    const userId = this.userId;
    // the session ends on the server first; if c2m cannot be reached, it ends here all the same
    try {
      await this.client?.signOut?.();
    } catch {
      // signed out locally: the token expires on its own
    }
    this.token = undefined;
    this.tokenProvider = undefined;
    this.signedOut = true;
    this.announcement = '';
    this.dispatchEvent(new C2mSignOutEvent(userId));
  }

  private renderHeader() {
    const user = this.userId;
    const account = this.accountId;
    const role = this.sessionRole ?? '';
    return html`<div part="header" class="header">
      <p>
        ${user ? msg(str`Signed in as ${user}`) : msg('Signed in')} ·
        ${msg(str`account ${account}`)}${role ? html` · ${msg(str`role ${role}`)}` : nothing}
      </p>
      <button type="button" part="sign-out" @click=${() => this.signOut()}>
        ${msg('Sign out')}
      </button>
    </div>`;
  }

  private renderBody() {
    if (this.signedOut) {
      return html`<p part="no-access" class="state" role="status">${msg('Signed out.')}</p>`;
    }
    if (!this.accountId) {
      return html`<p part="no-access" class="state state--error" role="alert">
        ${msg('No account: set the account-id attribute.')}
      </p>`;
    }
    const views = this.views;
    if (views.length === 0) {
      const role = this.sessionRole;
      return html`<p part="no-access" class="state" role="alert">
        ${
          role
            ? msg(
                str`The role “${role}” has no access to C2M administration. Ask an administrator of the account.`,
              )
            : msg(
                'This session has no access to C2M administration. Ask an administrator of the account.',
              )
        }
      </p>`;
    }
    const current = this.current;
    // one template whatever the view's state, so the header and the nav stay the same DOM while
    // a view loads (a button being pressed is never replaced under the pointer)
    return html`${this.renderHeader()} ${this.renderNav(views, current.view)}
    ${renderSaveStatus(this.announcement)} ${this.renderView(current.view)}`;
  }

  /** The shown view: its element once its module has come, else what is happening to it. */
  private renderView(view: AdminView) {
    const module = this.shownModule;
    if (module && failed.has(module)) {
      return html`<p part="state" class="state state--error" role="alert">
        ${msg(
          'This part of C2M administration could not be loaded. Check the connection and reload the page.',
        )}
      </p>`;
    }
    if (module && !loaded.has(module)) {
      return html`<p part="state" class="state" role="status">${msg('Loading…')}</p>`;
    }
    return view === 'templates'
      ? this.renderTemplates()
      : view === 'settings'
        ? html`<c2m-settings></c2m-settings>`
        : view === 'credentials'
          ? html`<c2m-credentials></c2m-credentials>`
          : view === 'reports'
            ? html`<c2m-reports></c2m-reports>`
            : view === 'providers'
              ? html`<c2m-providers></c2m-providers>`
              : view === 'users'
                ? html`<c2m-users></c2m-users>`
                : view === 'widget-keys'
                  ? html`<c2m-widget-keys></c2m-widget-keys>`
                  : this.renderHandoffs();
  }

  override render() {
    return html`<div part="base" class="admin" lang=${locale.locale}>${this.renderBody()}</div>`;
  }
}

if (!customElements.get('c2m-admin')) customElements.define('c2m-admin', C2mAdmin);

declare global {
  interface HTMLElementTagNameMap {
    'c2m-admin': C2mAdmin;
  }
}
