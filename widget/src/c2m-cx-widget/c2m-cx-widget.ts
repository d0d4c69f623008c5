import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { LocaleController } from '../../../l10n/locale.js';
import { locale } from '../locale.js';
import { channelLabels as deflectionChannelLabels } from '../../../backend/contract/channel-names.js';
import type { OutboundMessageView, OutboundStatus } from '../../../backend/contract/outbound.js';
import { LiveOutboundController, type TokenProvider } from '../controllers/live-outbound.js';
import styles from './c2m-cx-widget.styles.js';

/**
 * What the widget is showing: data (`ready`), or why there is none yet. `expired`: the session
 * ran out (sign in again); `revoked`: the installation key (or credential) behind it was revoked;
 * `offline`: the connection to c2m was lost (it reconnects by itself).
 */
export type CxWidgetState =
  'loading' | 'ready' | 'error' | 'unauthorized' | 'expired' | 'revoked' | 'offline';

const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_MAX_ITEMS = 5;
const DEFAULT_MAX_AGE_DAYS = 30;
/** The bounds the server accepts for a subscription (WidgetSubject). */
const MAX_LIMIT = 50;
const MAX_DAYS = 90;

/** The happy path of a message; `queued`, `failed` and `skipped` lie off it. */
const STATUS_PATH: readonly OutboundStatus[] = ['sent', 'delivered', 'read', 'replied'];

/** A channel's name in the shown language: brand names stay; an unknown channel, its code. */
function channelLabel(channel: string): string {
  if (channel === 'inapp') return msg('In-app');
  if (channel === 'sandbox') return msg('Sandbox');
  return (deflectionChannelLabels as Record<string, string>)[channel] ?? channel;
}

/** A status as the agent reads it, in the shown language. */
function statusLabel(status: OutboundStatus): string {
  switch (status) {
    case 'queued':
      return msg('Queued');
    case 'sent':
      return msg('Sent');
    case 'delivered':
      return msg('Delivered');
    case 'read':
      return msg('Read');
    case 'replied':
      return msg('Replied');
    case 'failed':
      return msg('Failed');
    case 'skipped':
      return msg('Skipped');
  }
}

/** A date and time in the shown language (`lang="es-MX"`: Mexican format). */
const formatTime = (ms: number) => locale.date(ms, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * The agent asked to sign in again after the session expired: give the widget a new `token` (or
 * set `tokenProvider`, and it renews by itself).
 */
export class C2mSignInEvent extends Event {
  static readonly eventName = 'c2m-sign-in';
  constructor() {
    super(C2mSignInEvent.eventName, { bubbles: true, composed: true });
  }
}

/** Attributes removed or set to nonsense arrive as null or NaN; fall back to the default then. */
const finiteOr = (value: number | null, fallback: number): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : fallback;

const clamp = (value: number, max: number) => Math.min(max, Math.max(1, Math.floor(value)));

/** Attributes that change what the live widget follows, or as whom. */
const LIVE_PROPERTIES = [
  'apiBase',
  'token',
  'tokenProvider',
  'consumerPhoneNumber',
  'consumerId',
  'conversationId',
  'maxItems',
  'maxAgeDays',
] as const;

const shownAt = (m: OutboundMessageView): number => Date.parse(m.sentAt ?? m.createdAt);

const lastChangeAt = (m: OutboundMessageView): number =>
  Date.parse(m.statusHistory.at(-1)?.at ?? '') || 0;

const isOffPath = (status: OutboundStatus): boolean => status === 'failed' || status === 'skipped';

/** The most call-context entries shown per message. */
const MAX_CONTEXT_ENTRIES = 8;

/** Readable labels for the SDE fields agents look for (in the shown language); others: undefined. */
function contextLabel(key: string): string | undefined {
  switch (key) {
    case 'customerId':
      return msg('Customer ID');
    case 'cstatus':
      return msg('Customer status');
    case 'ctype':
      return msg('Customer type');
    case 'balance':
      return msg('Balance');
    case 'companyBranch':
      return msg('Branch');
    case 'language':
      return msg('Language');
    case 'gender':
      return msg('Gender');
    case 'company':
      return msg('Company');
    default:
      return undefined;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The call context the IVR passed (SDEs) as label → value pairs, text only: a `personal` SDE's
 * name, then the string and number values of each SDE's `info`, at most MAX_CONTEXT_ENTRIES.
 */
function callContext(sdes: readonly unknown[]): [string, string][] {
  const entries: [string, string][] = [];
  for (const sde of sdes) {
    if (!isRecord(sde)) continue;
    const type = typeof sde.type === 'string' ? sde.type : '';
    const info = isRecord(sde.info) ? sde.info : isRecord(sde[type]) ? sde[type] : undefined;
    if (!info) continue;
    const shown = (v: unknown): v is string | number =>
      (typeof v === 'string' && v.trim() !== '') || (typeof v === 'number' && Number.isFinite(v));
    let fields = Object.entries(info);
    if (type === 'personal') {
      const name = [info.firstname, info.lastname].filter(shown).join(' ');
      if (name) entries.push([msg('Name'), name]);
      fields = fields.filter(([key]) => key !== 'firstname' && key !== 'lastname');
    }
    for (const [key, value] of fields) {
      if (shown(value)) entries.push([contextLabel(key) ?? key, String(value)]);
    }
  }
  return entries.slice(0, MAX_CONTEXT_ENTRIES);
}

function describeStatus(m: OutboundMessageView): string {
  const label = statusLabel(m.status);
  return isOffPath(m.status) && m.failureReason ? `${label}: ${m.failureReason}` : label;
}

/**
 * Shows an agent the outbound (first) messages C2M sent to the consumer in the conversation: what
 * was sent, on which channel, for which handoff and skill, from which IVR number, and how far it got
 * (sent → delivered → read → replied, or failed with its reason). Newest first, at most `max-items`,
 * none older than `max-age-days` (LivePerson's CX-Widget shows five from the last 30 days).
 *
 * Given `api-base`, a `token` and a subject (`consumer-phone-number`, `consumer-id` and/or
 * `conversation-id`) it goes live: it follows that consumer over c2m's Socket.IO and keeps
 * `messages` and `state` up to date itself. Otherwise it shows the `messages` it is given.
 *
 * @summary The agent's CX widget: the latest outbound C2M messages and their delivery status.
 *
 * @csspart base - The wrapper around the whole widget.
 * @csspart title - The heading.
 * @csspart state - The loading, error, unauthorized, expired, revoked or offline text.
 * @csspart retry - The way back from an expired session, a revoked key or a lost connection.
 * @csspart empty - The text shown when there are no messages to show.
 * @csspart list - The list of messages.
 * @csspart message - One message.
 * @csspart text - A message's text.
 * @csspart meta - A message's channel, handoff, skill, IVR number and sent time.
 * @csspart context - The call context the IVR passed (SDEs), when there is any.
 * @csspart conversation - The conversation the message led to: its id, channel and start time.
 * @csspart status - A message's status path, or its failure.
 * @csspart step - One step of the status path.
 * @csspart step-reached - A step the message has reached (also has `step`).
 * @csspart failure - The failed or skipped line, with its reason.
 *
 * @cssprop [--c2m-font-family=system-ui, sans-serif] - Font of the widget.
 * @cssprop [--c2m-font-size=0.875rem] - Base font size.
 * @cssprop [--c2m-color-text=#1f1f1f] - Text colour.
 * @cssprop [--c2m-color-muted=#595959] - Secondary text, such as labels and steps not yet reached.
 * @cssprop [--c2m-color-background=#ffffff] - Widget background.
 * @cssprop [--c2m-color-surface=#f6f7f9] - Background of each message.
 * @cssprop [--c2m-color-border=#d0d4da] - Border of each message.
 * @cssprop [--c2m-color-accent=#0b5cad] - Status steps reached.
 * @cssprop [--c2m-color-danger=#b3261e] - Failures and the error states.
 * @cssprop [--c2m-radius=6px] - Corner radius of each message.
 * @cssprop [--c2m-gap=0.75rem] - Spacing inside and between messages.
 *
 * @fires c2m-sign-in - {@link C2mSignInEvent} the agent asked to sign in again after the
 * session expired.
 */
@localized()
export class C2mCxWidget extends LitElement {
  static override styles = styles;

  /** @internal Its `lang` (or the page's) picks the bundle's language: README, "Languages". */
  protected readonly localeController = new LocaleController(this, locale);

  /** The messages shown, worked out in willUpdate so render and the announcement agree. */
  private visible: OutboundMessageView[] = [];

  /** The latest status change, read out by screen readers through the live region. */
  @state() private announcement = '';

  /** The outbound messages for this consumer, in any order. */
  @property({ attribute: false }) messages: OutboundMessageView[] = [];

  /** The most messages to show. */
  @property({ type: Number, attribute: 'max-items' }) maxItems = DEFAULT_MAX_ITEMS;

  /** Messages sent longer ago than this many days are not shown. */
  @property({ type: Number, attribute: 'max-age-days' }) maxAgeDays = DEFAULT_MAX_AGE_DAYS;

  /** The time (ms since the epoch) ages are measured from; the time of rendering when unset. */
  @property({ attribute: false }) now?: number;

  /** Whether there is data to show, or why not. */
  @property() state: CxWidgetState = 'ready';

  /** The c2m server to go live with, e.g. `https://c2m.example.com`. */
  @property({ attribute: 'api-base' }) apiBase?: string;

  /**
   * The c2m account the messages belong to. The live connection takes the account from the
   * token; this names it for the host page and for the REST list (`/api/widget/account/:id`).
   */
  @property({ attribute: 'account-id' }) accountId?: string;

  /** The consumer to follow, by phone number (E.164). */
  @property({ attribute: 'consumer-phone-number' }) consumerPhoneNumber?: string;

  /** The consumer to follow, by the consumer id the IVR gave. */
  @property({ attribute: 'consumer-id' }) consumerId?: string;

  /** The conversation to follow. */
  @property({ attribute: 'conversation-id' }) conversationId?: string;

  /** A c2m session token (role agent or agent manager); a property only, never an attribute. */
  @property({ attribute: false }) token?: string;

  /**
   * An async function answering a fresh c2m session token: the widget uses it for its first
   * session when `token` is unset, renews the session on its open connection before it expires,
   * and connects again with it after one ended. Reject with an error whose `reason` is
   * `'revoked'` to show the revoked state, `'expired'` for the sign-in-again one, `'unauthorized'`
   * for the not-allowed one; any other rejection shows the lost connection.
   */
  @property({ attribute: false }) tokenProvider?: TokenProvider;

  private readonly live = new LiveOutboundController(this, () => this.liveOptions());

  /** What to follow live, or undefined when the widget only shows the `messages` it is given. */
  private liveOptions() {
    const { apiBase, consumerPhoneNumber, consumerId, conversationId } = this;
    if (!apiBase || !(consumerPhoneNumber || consumerId || conversationId)) return undefined;
    return {
      apiBase,
      token: this.token,
      tokenProvider: this.tokenProvider,
      subject: {
        ...(consumerPhoneNumber && { consumerPhoneNumber }),
        ...(consumerId && { consumerId }),
        ...(conversationId && { conversationId }),
        limit: clamp(finiteOr(this.maxItems, DEFAULT_MAX_ITEMS), MAX_LIMIT),
        days: clamp(finiteOr(this.maxAgeDays, DEFAULT_MAX_AGE_DAYS), MAX_DAYS),
      },
    };
  }

  override willUpdate(changed: PropertyValues<this>) {
    // while disconnected, hostConnected syncs instead
    if (this.isConnected && LIVE_PROPERTIES.some((p) => changed.has(p))) this.live.sync();
    const before = this.visible;
    this.visible = this.selectVisible();
    if (changed.has('messages')) this.announceStatusChange(before, this.visible);
  }

  private selectVisible(): OutboundMessageView[] {
    const now = this.now ?? Date.now();
    const oldest = now - finiteOr(this.maxAgeDays, DEFAULT_MAX_AGE_DAYS) * DAY_MS;
    const limit = Math.max(0, finiteOr(this.maxItems, DEFAULT_MAX_ITEMS));
    return this.messages
      .map((message) => ({ message, at: shownAt(message) }))
      .filter(({ at }) => at >= oldest) // an unparseable date (NaN) is dropped too
      .sort((a, b) => b.at - a.at)
      .slice(0, limit)
      .map(({ message }) => message);
  }

  /** Messages that are new to the list are not announced: only a status that moved. */
  private announceStatusChange(before: OutboundMessageView[], after: OutboundMessageView[]) {
    const previous = new Map(before.map((m) => [m.id, m.status]));
    const changed = after.filter((m) => previous.has(m.id) && previous.get(m.id) !== m.status);
    if (changed.length === 0) return;
    const latest = changed.reduce((a, b) => (lastChangeAt(b) > lastChangeAt(a) ? b : a));
    const [channel, status] = [channelLabel(latest.channel), describeStatus(latest)];
    this.announcement = msg(str`${channel} message: ${status}`);
  }

  private renderBody() {
    switch (this.state) {
      case 'loading':
        return html`<p part="state" class="widget__state">${msg('Loading outbound messages…')}</p>`;
      case 'error':
        return html`<p part="state" class="widget__state widget__state--error" role="alert">
          ${msg('Outbound messages could not be loaded. Try again later.')}
        </p>`;
      case 'unauthorized':
        return html`<p part="state" class="widget__state widget__state--error" role="alert">
          ${msg('Not signed in to C2M, or not allowed to see these outbound messages.')}
        </p>`;
      case 'expired':
        return this.renderWayBack(
          msg('Session expired — sign in again to see the outbound messages.'),
          msg('Sign in again'),
          () => this.signInAgain(),
        );
      case 'revoked':
        return this.renderWayBack(
          msg('This installation key was revoked — ask your admin for a new widget link.'),
          msg('Try again'),
          () => this.live.retry(),
        );
      case 'offline':
        return this.renderWayBack(msg('Connection lost — reconnecting…'), msg('Retry now'), () =>
          this.live.retry(),
        );
      default:
        return this.visible.length === 0 ? this.renderEmpty() : this.renderList();
    }
  }

  private renderWayBack(text: string, action: string, act: () => void) {
    return html`<div part="state" class="widget__state widget__state--error">
      <p role="alert">${text}</p>
      <button part="retry" class="widget__retry" type="button" @click=${act}>${action}</button>
    </div>`;
  }

  /** With a provider, a fresh session now; else the host page is asked for a new `token`. */
  private signInAgain() {
    this.dispatchEvent(new C2mSignInEvent());
    if (this.tokenProvider) this.live.retry();
  }

  private renderEmpty() {
    const days = finiteOr(this.maxAgeDays, DEFAULT_MAX_AGE_DAYS);
    const count = locale.number(days);
    return html`<p part="empty" class="widget__state">
      ${
        days === 1
          ? msg('No outbound messages in the last day.')
          : msg(str`No outbound messages in the last ${count} days.`)
      }
    </p>`;
  }

  private renderList() {
    return html`<ol part="list" class="messages">
      ${this.visible.map((m) => this.renderMessage(m))}
    </ol>`;
  }

  private renderMessage(m: OutboundMessageView) {
    return html`<li part="message" class="message">
      <p part="text" class="message__text">${m.text}</p>
      <dl part="meta" class="message__meta">
        <div>
          <dt>${msg('Channel')}</dt>
          <dd>${channelLabel(m.channel)}</dd>
        </div>
        <div>
          <dt>${msg('Handoff')}</dt>
          <dd>${m.handoffTitle}</dd>
        </div>
        <div>
          <dt>${msg('Skill')}</dt>
          <dd>${m.skill}</dd>
        </div>
        ${
          m.ivrNumber
            ? html`<div>
                <dt>${msg('IVR number')}</dt>
                <dd>${m.ivrNumber}</dd>
              </div>`
            : nothing
        }
        <div>
          <dt>${msg('Sent')}</dt>
          <dd>
            ${
              m.sentAt
                ? html`<time datetime=${m.sentAt}>${formatTime(Date.parse(m.sentAt))}</time>`
                : msg('Not sent yet')
            }
          </dd>
        </div>
      </dl>
      ${this.renderContext(m)} ${this.renderConversation(m)}
      <div part="status" class="status">${this.renderStatus(m)}</div>
    </li>`;
  }

  private renderContext(m: OutboundMessageView) {
    const entries = callContext(m.sdes);
    if (entries.length === 0) return nothing;
    return html`<div part="context" class="message__context">
      <p class="message__context-title">${msg('Call context')}</p>
      <dl class="message__meta">
        ${entries.map(
          ([label, value]) =>
            html`<div>
              <dt>${label}</dt>
              <dd>${value}</dd>
            </div>`,
        )}
      </dl>
    </div>`;
  }

  private renderConversation(m: OutboundMessageView) {
    const c = m.conversation;
    if (!c) return nothing;
    const opened = Date.parse(c.openedAt);
    const channel = channelLabel(c.channel);
    return html`<p part="conversation" class="message__conversation">
      ${msg(str`Conversation ${c.id} · ${channel} · started`)}
      <time datetime=${c.openedAt}>${Number.isNaN(opened) ? c.openedAt : formatTime(opened)}</time>
    </p>`;
  }

  private renderStatus(m: OutboundMessageView) {
    if (isOffPath(m.status)) {
      return html`<p part="failure" class="status__failure">${describeStatus(m)}</p>`;
    }
    const current = STATUS_PATH.indexOf(m.status); // -1 while queued: no step reached yet
    return html`${
        m.status === 'queued'
          ? html`<p class="status__note">${msg('Queued, not sent yet')}</p>`
          : nothing
      }
      <ol class="status__path" aria-label=${msg('Delivery status')}>
        ${STATUS_PATH.map(
          (step, i) =>
            html`<li
              part=${i <= current ? 'step step-reached' : 'step'}
              class=${i <= current ? 'status__step status__step--reached' : 'status__step'}
              aria-current=${i === current ? 'step' : nothing}
            >
              ${statusLabel(step)}
            </li>`,
        )}
      </ol>`;
  }

  override render() {
    return html`<section
      part="base"
      class="widget"
      lang=${locale.locale}
      aria-labelledby="title"
      aria-busy=${this.state === 'loading' ? 'true' : 'false'}
    >
      <h2 id="title" part="title" class="widget__title">${msg('Outbound messages')}</h2>
      ${this.renderBody()}
      <div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'c2m-cx-widget': C2mCxWidget;
  }
}
