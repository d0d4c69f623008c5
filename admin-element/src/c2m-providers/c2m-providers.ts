import { LitElement, html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { Task } from '@lit/task';
import { localized, msg, str } from '@lit/localize';
import type { ChannelName } from '../../../backend/contract/channels.js';
import type { ProviderPage, ProviderView } from '../api/admin-client.js';
import { runChange } from '../shared/run-change.js';
import { SessionController } from '../shared/session.js';
import { channelLabel } from '../shared/labels.js';
import { locale } from '../locale.js';
import { normaliseFieldErrors, sentence } from '../shared/field-errors.js';
import { confirmRow } from '../shared/row-actions.js';
import { loadView } from '../shared/task-states.js';
import {
  changeOf,
  fieldsOf,
  HAS_WEBHOOKS,
  isSecret,
  providerLabel,
  secretSet,
  valuesOf,
  type ProviderField,
  type ProviderName,
} from './provider-fields.js';
import styles from './c2m-providers.styles.js';

/** The form open for one channel. */
interface Editing {
  channel: ChannelName;
  provider: ProviderName;
  values: Record<string, string>;
}

/**
 * The messaging provider of each channel (Twilio SMS, WhatsApp Cloud API, push, Apple Messages
 * for Business, Google RCS): which one sends, its settings, and the webhook URL to paste into the
 * provider's console, with a copy button. Secrets are write-only: the page shows whether one is
 * set, never its value, and a secret left empty when changing a provider keeps the stored one.
 * Roles that may only view providers see them without controls.
 *
 * @summary Messaging providers per channel: view, set, change; secrets write-only.
 *
 * @csspart channel - Each channel's card.
 * @csspart webhook - The webhook URL and its copy button.
 * @csspart form - The form that sets a channel's provider.
 * @csspart done - The visible confirmation of the last change.
 * @csspart state - The loading or error text.
 */
@localized()
export class C2mProviders extends LitElement {
  static override styles = styles;

  private readonly session = new SessionController(this);

  @state() private editing?: Editing;
  @state() private confirming?: ChannelName;
  @state() private errors: Record<string, string> = {};
  @state() private actionError = '';
  @state() private done = '';
  @state() private busy = false;

  private readonly page = new Task(this, {
    task: async ([client], { signal }) =>
      client?.listProviders ? client.listProviders(signal) : undefined,
    args: () => [this.session.client] as const,
  });

  private get manage() {
    return this.session.may('providers:manage');
  }

  private async run(change: () => Promise<unknown>, done: string) {
    const ok = await runChange(
      (state) => Object.assign(this, state),
      change,
      done,
      (err) => {
        const fields = normaliseFieldErrors(err.fieldErrors);
        // a rule the server names in its message only (`provider: …`, `baseUrl: …`) shows there too
        const named = /^(\w+): (.*)$/.exec(err.message);
        if (named && Object.keys(fields).length === 0) fields[named[1]] = named[2];
        return fields;
      },
    );
    if (ok) {
      this.editing = undefined;
      this.confirming = undefined;
      void this.page.run();
    }
  }

  private async open(channel: ChannelName, view: ProviderView | undefined, offered: string[]) {
    const provider = (view?.provider ?? offered.find((p) => p !== 'sandbox')) as ProviderName;
    this.editing = { channel, provider, values: valuesOf(view) };
    this.errors = {};
    this.actionError = '';
    this.done = '';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#provider')?.focus();
  }

  private save(e: Event) {
    e.preventDefault();
    const client = this.session.client;
    const editing = this.editing;
    if (!client?.setProvider || !editing || this.busy) return;
    const change = changeOf(editing.provider, editing.values);
    void this.run(
      () => client.setProvider!(editing.channel, change),
      msg(
        str`${channelLabel(editing.channel)} now sends through ${providerLabel(editing.provider)}.`,
      ),
    );
  }

  private async copy(url: string) {
    try {
      await navigator.clipboard.writeText(url);
      this.done = msg('Webhook URL copied.');
    } catch {
      this.done = msg('Copying was not allowed: select the URL and copy it.');
    }
  }

  private renderField(f: ProviderField, e: Editing, stored: ProviderView | undefined) {
    const id = `f-${f.key}`;
    const secret = isSecret(f.key);
    const same = stored?.provider === e.provider;
    const isSet = same && secretSet(stored, f.key);
    const error = this.errors[f.key];
    const hint = secret
      ? isSet
        ? msg('Set. Leave empty to keep it; type a new one to replace it.')
        : msg('Not set.')
      : f.hint;
    const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : '']
      .filter(Boolean)
      .join(' ');
    const onInput = (ev: Event) => {
      const value = (ev.target as HTMLInputElement | HTMLTextAreaElement).value;
      // the current form, not the one this handler was rendered with (several inputs per render)
      const now = this.editing ?? e;
      this.editing = { ...now, values: { ...now.values, [f.key]: value } };
    };
    const common = {
      invalid: error ? 'true' : 'false',
      described: described || nothing,
    };
    const input = f.multiline
      ? html`<textarea
          id=${id}
          .value=${e.values[f.key] ?? ''}
          autocomplete="off"
          spellcheck="false"
          aria-invalid=${common.invalid}
          aria-describedby=${common.described}
          @input=${onInput}
        ></textarea>`
      : html`<input
          id=${id}
          type=${secret ? 'password' : 'text'}
          autocomplete=${secret ? 'new-password' : 'off'}
          .value=${e.values[f.key] ?? ''}
          aria-invalid=${common.invalid}
          aria-describedby=${common.described}
          @input=${onInput}
        />`;
    return html`<div class="field">
      <label for=${id}
        >${f.label}${f.optional ? html` <span class="secret-state">${msg('(optional)')}</span>` : nothing}${
          secret
            ? html` <span class="secret-state" data-secret=${f.key}
                >(${isSet ? msg('set') : msg('not set')})</span
              >`
            : nothing
        }</label
      >
      ${input} ${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : nothing}
      ${error ? html`<p class="error" id="${id}-error">${sentence(error)}</p>` : nothing}
    </div>`;
  }

  private renderForm(e: Editing, stored: ProviderView | undefined, offered: string[]) {
    const channel = channelLabel(e.channel);
    return html`<form part="form" novalidate @submit=${(ev: Event) => this.save(ev)}>
      <div class="field">
        <label for="provider">${msg(str`Provider for ${channel}`)}</label>
        <select
          id="provider"
          aria-invalid=${this.errors.provider ? 'true' : 'false'}
          aria-describedby=${this.errors.provider ? 'provider-error' : nothing}
          @change=${(ev: Event) =>
            (this.editing = {
              ...e,
              provider: (ev.target as HTMLSelectElement).value as ProviderName,
              values:
                (ev.target as HTMLSelectElement).value === stored?.provider ? valuesOf(stored) : {},
            })}
        >
          ${offered.map(
            (p) =>
              html`<option value=${p} ?selected=${p === e.provider}>${providerLabel(p)}</option>`,
          )}
        </select>
        ${
          this.errors.provider
            ? html`<p class="error" id="provider-error">${sentence(this.errors.provider)}</p>`
            : nothing
        }
      </div>
      ${fieldsOf(e.provider).map((f) => this.renderField(f, e, stored))}
      <div class="actions">
        <button type="submit" class="primary" ?disabled=${this.busy}>
          ${msg(str`Save ${channel} provider`)}
        </button>
        <button
          type="button"
          @click=${() => {
            this.editing = undefined;
            this.errors = {};
            this.actionError = '';
          }}
        >
          ${msg('Cancel')}
        </button>
      </div>
    </form>`;
  }

  private renderWebhook(view: ProviderView) {
    const id = `webhook-${view.channel}`;
    return html`<div part="webhook" class="field">
      <label for=${id}>${msg('Webhook URL (paste it into the provider’s console)')}</label>
      <div class="webhook">
        <input
          id=${id}
          readonly
          .value=${view.webhookUrl}
          @focus=${(e: Event) => (e.target as HTMLInputElement).select()}
        />
        <button
          type="button"
          aria-label=${msg(str`Copy the ${channelLabel(view.channel)} webhook URL`)}
          @click=${() => this.copy(view.webhookUrl)}
        >
          ${msg('Copy')}
        </button>
      </div>
    </div>`;
  }

  private renderChannel(channel: ChannelName, page: ProviderPage) {
    const view = page.providers.find((p) => p.channel === channel);
    const offered = page.channels.find((c) => c.channel === channel)?.providers ?? ['sandbox'];
    const name = channelLabel(channel);
    const headingId = `channel-${channel}`;
    const editing = this.editing?.channel === channel ? this.editing : undefined;
    const client = this.session.client;
    return html`<li part="channel" class="channel" data-channel=${channel}>
      <h3 id=${headingId}>${name}</h3>
      <dl>
        <dt>${msg('Provider')}</dt>
        <dd>${view ? providerLabel(view.provider) : msg('Sandbox (no real messages)')}</dd>
        ${
          view
            ? html`<dt>${msg('Changed')}</dt>
                <dd>
                  ${locale.date(view.updatedAt, { dateStyle: 'medium', timeStyle: 'short' })}
                </dd>`
            : nothing
        }
      </dl>
      ${view && HAS_WEBHOOKS.includes(view.provider) ? this.renderWebhook(view) : nothing}
      ${
        editing
          ? this.renderForm(editing, view, offered)
          : this.manage
            ? this.confirming === channel
              ? confirmRow(
                  msg(str`Put ${name} back on the sandbox?`),
                  [
                    html`<button
                      type="button"
                      class="danger"
                      ?disabled=${this.busy}
                      @click=${() =>
                        this.run(
                          () => client!.removeProvider!(channel),
                          msg(str`${name} is back on the sandbox.`),
                        )}
                    >
                      ${msg('Remove provider')}
                    </button>`,
                    html`<button type="button" @click=${() => (this.confirming = undefined)}>
                      ${msg('Keep')}
                    </button>`,
                  ],
                  'actions',
                )
              : html`<div class="actions">
                  <button
                    type="button"
                    aria-describedby=${headingId}
                    ?disabled=${this.busy}
                    @click=${() => this.open(channel, view, offered)}
                  >
                    ${view ? msg('Change') : msg('Set provider')}
                  </button>
                  ${
                    view
                      ? html`<button
                          type="button"
                          class="danger"
                          aria-describedby=${headingId}
                          @click=${() => (this.confirming = channel)}
                        >
                          ${msg('Remove')}
                        </button>`
                      : nothing
                  }
                </div>`
            : nothing
      }
    </li>`;
  }

  private renderPage(page: ProviderPage) {
    return html`<ul class="channels">
      ${page.channels.map((c) => this.renderChannel(c.channel, page))}
    </ul>`;
  }

  override render() {
    const client = this.session.client;
    return html`<section aria-labelledby="heading">
      <h2 id="heading" tabindex="-1">${msg('Messaging providers')}</h2>
      <p class="hint">
        ${msg(
          'Which provider sends each channel. Secrets are never shown: only whether one is set.',
        )}
      </p>
      <p class="error" role="alert">${this.actionError}</p>
      <p part="done" class="done" role="status">${this.done}</p>
      ${
        client && !client.listProviders
          ? html`<p part="state" class="state">
              ${msg('This C2M client cannot manage providers.')}
            </p>`
          : loadView(this.page, msg('providers'), (page) => this.renderPage(page))
      }
    </section>`;
  }
}

if (!customElements.get('c2m-providers')) customElements.define('c2m-providers', C2mProviders);

declare global {
  interface HTMLElementTagNameMap {
    'c2m-providers': C2mProviders;
  }
}
