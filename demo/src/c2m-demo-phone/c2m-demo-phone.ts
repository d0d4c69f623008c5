import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { channelLabels } from '../../../backend/contract/channels.js';
import type { SandboxMessageView } from '../../../backend/contract/sandbox.js';
import { describeError, type DemoApi } from '../demo-api.js';
import styles from './c2m-demo-phone.styles.js';
import { VisiblePollController } from './visible-poll.js';

const POLL_MS = 1000;

/**
 * The consumer's handset on the sandbox channel: the messages c2m sent to the followed number (and
 * app user id) and the consumer's own, polled while the page is visible. The consumer can mark a
 * message read, reply on the channel of the last message received, or send STOP. A message that
 * arrives after the phone is first shown is announced to screen readers.
 *
 * @summary The sandbox phone of the caller the demo follows.
 */
export class C2mDemoPhone extends LitElement {
  static override styles = styles;

  /** The demo's API; nothing is asked before it is set. */
  @property({ attribute: false }) api?: DemoApi;

  /** The consumer's number, in E.164. */
  @property() phone = '';

  /** The app user id the IVR passed, whose in-app messages the phone shows too. */
  @property({ attribute: 'consumer-id' }) consumerId?: string;

  /** Oldest first, as a phone shows them. */
  @state() private messages: SandboxMessageView[] = [];
  @state() private announcement = '';
  @state() private error = '';

  @query('#phone-messages') private thread?: HTMLOListElement;
  @query('#reply-text') private replyText?: HTMLInputElement;

  /** The messages as last shown (ids and statuses), to show and announce only what changed. */
  private shown = '';
  private seen = new Set<string>();
  private scrollToNewest = false;

  constructor() {
    super();
    new VisiblePollController(this, POLL_MS, () => this.refresh());
  }

  /** Asks c2m for the phone's messages now, not at the next poll. */
  async refresh() {
    const { api, phone, consumerId } = this;
    if (!api || !phone) return;
    try {
      const { messages } = await api.phoneMessages(phone, consumerId);
      // an answer for a number the phone no longer follows is dropped
      if (phone === this.phone && consumerId === this.consumerId) this.show(messages);
    } catch (err) {
      this.error = `The phone lost c2m: ${describeError(err)}`;
    }
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('phone') || changed.has('consumerId') || changed.has('api')) {
      this.shown = '';
      this.seen = new Set();
      this.messages = [];
      void this.refresh();
    }
  }

  protected override updated() {
    if (this.scrollToNewest && this.thread) this.thread.scrollTop = this.thread.scrollHeight;
    this.scrollToNewest = false;
  }

  private show(newestFirst: SandboxMessageView[]) {
    const key = JSON.stringify(newestFirst.map((m) => [m.id, m.status]));
    if (key === this.shown) return;
    const first = this.shown === '';
    this.shown = key;
    this.error = '';
    const messages = [...newestFirst].reverse();
    const fresh = messages.filter((m) => m.direction === 'outbound' && !this.seen.has(m.id));
    for (const m of messages) this.seen.add(m.id);
    // what is on the phone when it is first shown is not news; what arrives afterwards is
    const last = fresh.at(-1);
    if (!first && last) {
      this.announcement = `New ${channelLabels[last.channel]} message: ${last.text}`;
    }
    this.messages = messages;
    this.scrollToNewest = true;
  }

  private async reply(text: string): Promise<boolean> {
    this.error = '';
    const { api, phone, consumerId } = this;
    if (!api || !phone) {
      this.error = 'Type the caller’s number in the IVR simulator first.';
      return false;
    }
    try {
      // a reply goes back on the channel of the last message c2m sent, from the address it went to
      const { messages } = await api.phoneMessages(phone, consumerId);
      const last = messages.find((m) => m.direction === 'outbound');
      await api.sendFromPhone({ from: last?.to ?? phone, channel: last?.channel ?? 'sms', text });
      await this.refresh();
      return true;
    } catch (err) {
      this.error = `The message was not sent: ${describeError(err)}`;
      return false;
    }
  }

  private async sendReply(event: SubmitEvent) {
    event.preventDefault();
    const input = this.replyText!;
    const text = input.value.trim();
    if (!text) {
      this.error = 'Type a reply first.';
      input.focus();
      return;
    }
    if (await this.reply(text)) input.value = '';
  }

  private async markRead(messageId: string) {
    if (!this.api) return;
    try {
      await this.api.markRead(messageId);
      await this.refresh();
    } catch (err) {
      this.error = `Could not mark it read: ${describeError(err)}`;
    }
  }

  override render() {
    return html`<div class="handset">
      <p class="handset__number">
        <span class="muted">Number:</span> <span id="phone-number">${this.phone || '—'}</span>
      </p>
      <ol id="phone-messages" class="thread" aria-label="Messages on the phone">
        ${repeat(
          this.messages,
          (m) => m.id,
          (m) => this.renderBubble(m),
        )}
      </ol>
      ${
        this.messages.length === 0
          ? html`<p id="phone-empty" class="muted">No messages yet.</p>`
          : nothing
      }
      <div id="phone-announcer" class="visually-hidden" role="status" aria-live="polite">
        ${this.announcement}
      </div>
      <form
        id="reply-form"
        class="reply"
        novalidate
        @submit=${(e: SubmitEvent) => this.sendReply(e)}
      >
        <label for="reply-text">Reply</label>
        <div class="reply__row">
          <input id="reply-text" name="text" autocomplete="off" maxlength="4096" required />
          <button id="reply-send" type="submit">Send</button>
        </div>
        <button id="stop" type="button" class="secondary" @click=${() => this.reply('STOP')}>
          Send STOP
        </button>
      </form>
      <p id="phone-error" class="error" role="alert">${this.error}</p>
    </div>`;
  }

  private renderBubble(m: SandboxMessageView) {
    const inbound = m.direction === 'inbound';
    const channel = channelLabels[m.channel];
    const time = new Date(m.createdAt).toLocaleTimeString();
    const failure = m.errorCode ? ` (${m.errorCode})` : '';
    const meta = inbound
      ? `You · ${channel} · ${time}`
      : `${channel} · ${time} · ${m.status}${failure}`;
    const readable = !inbound && (m.status === 'delivered' || m.status === 'sent');
    return html`<li
      class="bubble bubble--${m.direction}"
      data-direction=${m.direction}
      data-status=${m.status}
    >
      <span class="visually-hidden">${inbound ? 'You: ' : 'Received: '}</span>
      <p class="bubble__text">${m.text}</p>
      <p class="bubble__meta">
        ${meta}
        ${
          readable
            ? // named by its content, so the name holds the visible "Mark read" and says which one
              html`<button type="button" @click=${() => this.markRead(m.id)}>
                Mark <span class="visually-hidden">the ${time} ${channel} message</span> read
              </button>`
            : nothing
        }
      </p>
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'c2m-demo-phone': C2mDemoPhone;
  }
}
