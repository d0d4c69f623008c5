import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { locale } from '../locale.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ChannelName } from '../../../backend/contract/channels.js';
import type { AccountChannel } from '../../../backend/contract/settings.js';
import { C2mChannelsChangeEvent } from '../events.js';
import { channelLabel } from '../shared/labels.js';
import { sentence } from '../shared/field-errors.js';
import styles from './c2m-channel-order.styles.js';

type Direction = 'up' | 'down';

/** In-app messaging and the phone-number channels (SMS, WhatsApp) exclude each other. */
const PHONE_CHANNELS: readonly ChannelName[] = ['sms', 'wa'];

/** Why a channel cannot be switched on next to the others enabled, or undefined when it can. */
export function exclusionOf(name: ChannelName, channels: readonly AccountChannel[]) {
  const on = (n: ChannelName) => channels.some((c) => c.name === n && c.enabled);
  if (PHONE_CHANNELS.includes(name) && on('inapp')) return msg('Not available with In-app');
  if (name === 'inapp' && PHONE_CHANNELS.some(on)) return msg('Not available with SMS or WhatsApp');
  return undefined;
}

/**
 * Channels in priority order (a handoff's, or the account's): a checkbox enables each, Move up /
 * Move down buttons reorder them (keyboard-operable; each move is announced). With `exclusive`
 * (a handoff's channels), In-app and SMS/WhatsApp exclude each other: enabling one side disables
 * the other's checkboxes, with the reason next to them.
 *
 * @summary Enable channels and set their priority order.
 *
 * @fires c2m-channels-change - {@link C2mChannelsChangeEvent} when a channel is toggled or moved.
 *
 * @csspart base - The fieldset around the list.
 * @csspart list - The ordered list of channels.
 * @csspart channel - One channel's row.
 * @csspart move-up - A channel's Move up button.
 * @csspart move-down - A channel's Move down button.
 * @csspart error - The validation error of the channel choice.
 *
 * @cssprop [--c2m-color-surface=#f6f7f9] - Background of each row.
 * @cssprop [--c2m-color-border=#8a9099] - Borders.
 */
@localized()
export class C2mChannelOrder extends LitElement {
  static override styles = styles;

  /** All channels in priority order, enabled or not; other fields of each are kept as they are. */
  @property({ attribute: false }) channels: AccountChannel[] = [];

  /** Whether In-app excludes SMS and WhatsApp (the rule of a handoff, not of the account). */
  @property({ type: Boolean }) exclusive = false;

  /** A validation error about the channels as a whole, shown under the list. */
  @property() error = '';

  /** The last move or exclusion, read out by screen readers. */
  @state() private announcement = '';

  private async move(name: ChannelName, direction: Direction) {
    const from = this.channels.findIndex((c) => c.name === name);
    const to = direction === 'up' ? from - 1 : from + 1;
    if (from < 0 || to < 0 || to >= this.channels.length) return;
    const next = [...this.channels];
    [next[from], next[to]] = [next[to], next[from]];
    this.channels = next;
    const [label, position, count] = [channelLabel(name), to + 1, next.length];
    this.announcement = msg(str`${label} moved to position ${position} of ${count}`);
    this.dispatchEvent(new C2mChannelsChangeEvent(next));
    // moving a row moves its DOM node, which drops focus: put it back on the pressed button
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>(`#${direction}-${name}`)?.focus();
  }

  private toggle(name: ChannelName, enabled: boolean) {
    const next = this.channels.map((c) => (c.name === name ? { ...c, enabled } : c));
    this.channels = next;
    const excluded = this.exclusive
      ? next.filter((c) => exclusionOf(c.name, next) && !c.enabled)
      : [];
    const label = channelLabel(name);
    const others = locale.list(excluded.map((c) => channelLabel(c.name)));
    this.announcement =
      enabled && excluded.length
        ? msg(str`${label} on: ${others} unavailable`)
        : enabled
          ? msg(str`${label} on`)
          : msg(str`${label} off`);
    this.dispatchEvent(new C2mChannelsChangeEvent(next));
  }

  private renderChannel(c: AccountChannel, i: number) {
    const label = channelLabel(c.name);
    const exclusion = this.exclusive ? exclusionOf(c.name, this.channels) : undefined;
    const blocked = exclusion !== undefined && !c.enabled;
    const first = i === 0;
    const last = i === this.channels.length - 1;
    return html`<li part="channel" data-channel=${c.name}>
      <span class="position" aria-hidden="true">${i + 1}.</span>
      <span class="choice">
        <input
          type="checkbox"
          id="enable-${c.name}"
          .checked=${c.enabled}
          ?disabled=${blocked}
          aria-describedby=${blocked ? `why-${c.name}` : nothing}
          @change=${(e: Event) => this.toggle(c.name, (e.target as HTMLInputElement).checked)}
        />
        <label for="enable-${c.name}">${label}</label>
        ${blocked ? html`<span class="hint" id="why-${c.name}">${exclusion}</span>` : nothing}
      </span>
      ${this.renderMove(c, 'up', first)} ${this.renderMove(c, 'down', last)}
    </li>`;
  }

  /** Up or Down; at the end it is aria-disabled, not disabled, so it keeps the focus a move gave it. */
  private renderMove(c: AccountChannel, direction: 'up' | 'down', atEnd: boolean) {
    const label = channelLabel(c.name);
    const [arrow, text, name] =
      direction === 'up'
        ? ['↑', msg('Up'), msg(str`Move ${label} up`)]
        : ['↓', msg('Down'), msg(str`Move ${label} down`)];
    return html`<button
      type="button"
      part="move-${direction}"
      id="${direction}-${c.name}"
      aria-label=${name}
      aria-disabled=${atEnd ? 'true' : 'false'}
      @click=${() => this.move(c.name, direction)}
    >
      <span aria-hidden="true">${arrow}</span> ${text}
    </button>`;
  }

  override render() {
    return html`<fieldset
        part="base"
        aria-describedby=${this.error ? 'order-hint channels-error' : 'order-hint'}
      >
        <legend>${msg('Channels, in priority order')}</legend>
        <p class="hint" id="order-hint">
          ${msg(
            'C2M tries the enabled channels from the top: if the caller cannot get the first, the next is used.',
          )}
          ${this.exclusive ? msg('In-app cannot be combined with SMS or WhatsApp.') : ''}
        </p>
        <ol part="list">
          ${repeat(
            this.channels,
            (c) => c.name,
            (c, i) => this.renderChannel(c, i),
          )}
        </ol>
        ${
          this.error
            ? html`<p part="error" class="error" id="channels-error">${sentence(this.error)}</p>`
            : nothing
        }
      </fieldset>
      <div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>`;
  }
}

if (!customElements.get('c2m-channel-order'))
  customElements.define('c2m-channel-order', C2mChannelOrder);

declare global {
  interface HTMLElementTagNameMap {
    'c2m-channel-order': C2mChannelOrder;
  }
}
