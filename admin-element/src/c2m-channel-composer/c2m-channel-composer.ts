import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { Task } from '@lit/task';
import { SessionController } from '../shared/session.js';
import { localized, msg, str } from '@lit/localize';
import { variablesOf } from '../../../backend/contract/template-values.js';
import type { HandoffChannel } from '../../../backend/contract/handoffs.js';
import {
  C2mChannelChangeEvent,
  C2mOptOutTextChangeEvent,
  type C2mTemplateChangeEvent,
} from '../events.js';
import { sentence } from '../shared/field-errors.js';
// the elements it renders (each defines its tag)
import '../c2m-sms-counter/c2m-sms-counter.js';
import '../c2m-wa-template-picker/c2m-wa-template-picker.js';
import styles from './c2m-channel-composer.styles.js';

const MAX_APPS = 3;

/**
 * The first outbound message of one handoff channel. SMS: the outbound number, plain text with a
 * live character and segment counter, and the account's editable opt-out text. WhatsApp: the
 * outbound number and an approved template with its variables. In-app: the text and up to three
 * apps. Apple Messages and RCS: the text.
 *
 * @summary Composer for one channel's outbound message.
 *
 * @fires c2m-channel-change - {@link C2mChannelChangeEvent} with the channel as edited.
 * @fires c2m-opt-out-text-change - {@link C2mOptOutTextChangeEvent} when the opt-out text is edited.
 *
 * @csspart message - The message textarea.
 * @csspart outbound-number - The outbound phone number input.
 * @csspart opt-out - The opt-out text input.
 * @csspart app - An app id input.
 * @csspart default - The default of one `{{n}}` of the message.
 * @csspart error - A field's validation error.
 *
 * @cssprop [--c2m-color-danger=#b3261e] - Validation errors.
 */
@localized()
export class C2mChannelComposer extends LitElement {
  static override styles = styles;

  private readonly session = new SessionController(this);

  /** The account's numbers for this channel, offered as the outbound number (typing stays allowed). */
  private readonly senders = new Task(this, {
    task: async ([client], { signal }) =>
      client?.listSenders ? (await client.listSenders(signal)).numbers : [],
    args: () => [this.session.client] as const,
  });

  /** The channel being composed. */
  @property({ attribute: false }) channel?: HandoffChannel;

  /** The account's SMS opt-out text (SMS only). */
  @property({ attribute: 'opt-out-text' }) optOutText = '';

  /** Whether the opt-out text may be edited (it is an account setting). */
  @property({ type: Boolean, attribute: 'opt-out-editable' }) optOutEditable = false;

  /** Validation errors keyed by the channel's field: `message`, `apps`, `templateName` … */
  @property({ attribute: false }) errors: Record<string, string> = {};

  private patch(patch: Partial<HandoffChannel>) {
    if (!this.channel) return;
    this.channel = { ...this.channel, ...patch };
    this.dispatchEvent(new C2mChannelChangeEvent(this.channel));
  }

  /** A field's error; for a list (apps) its first item's counts too. */
  private errorOf(field: string) {
    return this.errors[field] ?? this.errors[`${field}.0`];
  }

  private renderError(field: string, id: string) {
    const error = this.errorOf(field);
    return error ? html`<p id=${id} part="error" class="error">${sentence(error)}</p>` : nothing;
  }

  private describedBy(field: string, errorId: string, ...others: string[]) {
    const ids = [...others, ...(this.errorOf(field) ? [errorId] : [])];
    return ids.length ? ids.join(' ') : nothing;
  }

  private renderMessage(label: string, extra: TemplateResult | typeof nothing = nothing) {
    const message = this.channel?.message ?? '';
    const isSms = this.channel?.name === 'sms';
    return html`<div class="field">
        <label for="message">${label}</label>
        <p class="hint" id="message-hint">
          ${msg(
            "Plain text. {{1}}, {{2}} … are filled in from the IVR's template variables, else from their defaults.",
          )}
        </p>
        <textarea
          id="message"
          part="message"
          maxlength="1600"
          .value=${message}
          aria-invalid=${this.errorOf('message') ? 'true' : 'false'}
          aria-describedby=${this.describedBy('message', 'message-error', 'message-hint', ...(isSms ? ['counter'] : []))}
          @input=${(e: Event) => this.patch({ message: (e.target as HTMLTextAreaElement).value })}
        ></textarea>
        ${extra} ${this.renderError('message', 'message-error')}
      </div>
      ${this.renderDefaults(message)}`;
  }

  /** One default per `{{n}}` of the message: what the consumer reads when the IVR sends none. */
  private renderDefaults(message: string) {
    const used = variablesOf(message);
    if (used.length === 0) return nothing;
    const defaults = this.channel?.defaults ?? {};
    return html`<fieldset class="field">
      <legend>${msg('Defaults of the variables')}</legend>
      <p class="hint">
        ${msg('Sent when the IVR sends no value, so the message never has a gap.')}
      </p>
      ${used.map((n) => {
        const field = `defaults.${n}`;
        return html`<label for="default-${n}">${msg(str`Default for {{${n}}}`)}</label>
          <input
            id="default-${n}"
            part="default"
            maxlength="256"
            .value=${defaults[String(n)] ?? ''}
            aria-invalid=${this.errorOf(field) ? 'true' : 'false'}
            aria-describedby=${this.describedBy(field, `default-${n}-error`)}
            @input=${(e: Event) =>
              this.patch({
                defaults: { ...defaults, [String(n)]: (e.target as HTMLInputElement).value },
              })}
          />
          ${this.renderError(field, `default-${n}-error`)}`;
      })}
    </fieldset>`;
  }

  private renderOutboundNumber() {
    return html`<div class="field">
      <label for="outbound">${msg('Outbound phone number')}</label>
      <p class="hint" id="outbound-hint">
        ${msg(
          "One of the account's numbers, or any in E.164, e.g. +14155550100 (spaces, dashes and brackets are dropped). Empty: the account's default.",
        )}
      </p>
      <input
        id="outbound"
        part="outbound-number"
        type="tel"
        autocomplete="off"
        list="outbound-numbers"
        .value=${this.channel?.outboundNumber ?? ''}
        aria-invalid=${this.errorOf('outboundNumber') ? 'true' : 'false'}
        aria-describedby=${this.describedBy('outboundNumber', 'outbound-error', 'outbound-hint')}
        @input=${(e: Event) => this.patch({ outboundNumber: (e.target as HTMLInputElement).value })}
      />
      <datalist id="outbound-numbers">
        ${(this.senders.value ?? [])
          .filter((s) => s.channel === this.channel?.name)
          .map((s) => html`<option value=${s.number}></option>`)}
      </datalist>
      ${this.renderError('outboundNumber', 'outbound-error')}
    </div>`;
  }

  private renderSms() {
    const counter = html`<c2m-sms-counter
      id="counter"
      .text=${this.channel?.message ?? ''}
      .optOutText=${this.optOutText}
    ></c2m-sms-counter>`;
    return html`${this.renderOutboundNumber()} ${this.renderMessage(msg('SMS text'), counter)}
      <div class="field">
        <label for="opt-out">${msg('Opt-out text')}</label>
        <p class="hint" id="opt-out-hint">
          ${msg(
            'Added to the end of every SMS so the consumer can stop messages. It is an account setting: a change applies to all SMS handoffs.',
          )}
        </p>
        <input
          id="opt-out"
          part="opt-out"
          maxlength="160"
          .value=${this.optOutText}
          ?readonly=${!this.optOutEditable}
          aria-describedby="opt-out-hint"
          @input=${(e: Event) => {
            this.optOutText = (e.target as HTMLInputElement).value;
            this.dispatchEvent(new C2mOptOutTextChangeEvent(this.optOutText));
          }}
        />
      </div>`;
  }

  private renderWhatsApp() {
    const c = this.channel!;
    return html`${this.renderOutboundNumber()}
      <c2m-wa-template-picker
        .templateName=${c.templateName ?? ''}
        .templateLanguage=${c.templateLanguage ?? ''}
        .message=${c.message}
        .error=${this.errorOf('templateName') ?? this.errorOf('templateLanguage') ?? ''}
        .messageError=${this.errorOf('message') ?? ''}
        @c2m-template-change=${(e: C2mTemplateChangeEvent) => {
          e.stopPropagation(); // re-fired below as the channel's change
          this.patch({
            templateName: e.templateName,
            templateLanguage: e.templateLanguage,
            message: e.message,
          });
        }}
      ></c2m-wa-template-picker>`;
  }

  private renderInApp() {
    const apps = this.channel?.apps ?? [];
    const setApp = (i: number, value: string) => {
      const next = [...apps];
      next[i] = value;
      this.patch({ apps: next });
    };
    return html`${this.renderMessage(msg('In-app message'))}
      <fieldset
        class="apps field"
        aria-describedby=${this.describedBy('apps', 'apps-error', 'apps-hint')}
      >
        <legend>${msg('Apps')}</legend>
        <p class="hint" id="apps-hint">
          ${msg('The app ids the message goes to: at least one, at most 3.')}
        </p>
        ${Array.from(
          { length: MAX_APPS },
          (_, i) =>
            html`<label for="app-${i}"
                >${i === 0 ? msg('App 1') : msg(str`App ${i + 1} (optional)`)}</label
              >
              <input
                id="app-${i}"
                part="app"
                .value=${apps[i] ?? ''}
                aria-invalid=${i === 0 && this.errorOf('apps') ? 'true' : 'false'}
                @input=${(e: Event) => setApp(i, (e.target as HTMLInputElement).value)}
              />`,
        )}
        ${this.renderError('apps', 'apps-error')}
      </fieldset>`;
  }

  override render() {
    switch (this.channel?.name) {
      case 'sms':
        return this.renderSms();
      case 'wa':
        return this.renderWhatsApp();
      case 'inapp':
        return this.renderInApp();
      case 'apple':
        return this.renderMessage(msg('Apple Messages text'));
      case 'rcs':
        return this.renderMessage(msg('RCS text'));
      default:
        return nothing;
    }
  }
}

if (!customElements.get('c2m-channel-composer'))
  customElements.define('c2m-channel-composer', C2mChannelComposer);

declare global {
  interface HTMLElementTagNameMap {
    'c2m-channel-composer': C2mChannelComposer;
  }
}
