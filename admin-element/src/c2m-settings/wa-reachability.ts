import { LitElement, css, html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { Task } from '@lit/task';
import {
  WA_UNREACHABLE_DAYS_MAX,
  WA_UNREACHABLE_DAYS_MIN,
  type WaReachabilityView,
} from '../../../backend/contract/wa-reachability.js';
import { AdminApiError } from '../api/admin-client.js';
import { locale } from '../locale.js';
import { SessionController } from '../shared/session.js';
import { sharedStyles } from '../shared/styles.js';
import { confirmRow } from '../shared/row-actions.js';

/** A whole number of days in the allowed range, else undefined. */
function daysOf(text: string): number | undefined {
  if (!/^\s*\d+\s*$/.test(text)) return undefined;
  const days = Number(text);
  return days >= WA_UNREACHABLE_DAYS_MIN && days <= WA_UNREACHABLE_DAYS_MAX ? days : undefined;
}

/**
 * What the account learned about consumers' numbers on WhatsApp from its own sends (Meta forbids
 * asking beforehand): how many numbers are answered not reachable for WhatsApp now (a send was
 * refused as "not on WhatsApp") and how many are known reachable (a WhatsApp message was delivered
 * or read), how many days a refusal counts, and a way to forget it all. Roles that may only view
 * settings see the counts and the period without controls; the panel shows nothing when the
 * host's admin client lacks these calls.
 *
 * @summary WhatsApp reachability learned by C2M, in the settings.
 *
 * @csspart counts - The two counts.
 * @csspart save - The button that saves the period.
 * @csspart clear - The button that clears what was learned (and, once asked, confirms it).
 * @csspart error - An error of the period or of the panel.
 */
@localized()
export class C2mWaReachability extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      fieldset.group {
        margin: 0;
        padding: var(--c2m-gap, 0.75rem);
        border: 1px solid var(--c2m-color-border, #8a9099);
        border-radius: var(--c2m-radius, 6px);
        min-width: 0;
      }
      fieldset.group > legend {
        padding: 0 0.25em;
        font-weight: 600;
      }
      dl {
        display: grid;
        grid-template-columns: auto auto;
        justify-content: start;
        gap: 0.25em 1em;
        margin: 0 0 var(--c2m-gap, 0.75rem);
      }
      dd {
        margin: 0;
        font-variant-numeric: tabular-nums;
      }
      .period {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5em;
      }
      input[type='number'] {
        width: 6em;
      }
    `,
  ];

  private readonly session = new SessionController(this);

  @state() private view?: WaReachabilityView;
  @state() private days = '';
  @state() private error = '';
  @state() private busy = false;
  @state() private confirming = false;
  @state() private announcement = '';

  private readonly learning = new Task(this, {
    task: async ([client], { signal }) =>
      client?.getWaReachability ? client.getWaReachability(signal) : undefined,
    args: () => [this.session.client] as const,
    onComplete: (v) => {
      this.view = v;
      if (v) this.days = String(v.unreachableDays);
    },
  });

  private get editable() {
    return this.session.may('settings:create');
  }

  /** Runs one change, showing its answer or the API's reason. */
  private async change(
    call: () => Promise<WaReachabilityView> | undefined,
    done: string,
  ): Promise<void> {
    if (this.busy) return;
    const pending = call();
    if (!pending) return;
    this.busy = true;
    this.error = '';
    try {
      const view = await pending;
      this.view = view;
      this.days = String(view.unreachableDays);
      this.confirming = false;
      this.announcement = done;
    } catch (err) {
      if (!(err instanceof AdminApiError)) throw err;
      this.error = err.fieldErrors.unreachableDays ?? err.message;
    } finally {
      this.busy = false;
    }
  }

  private save(e: Event) {
    e.preventDefault();
    const days = daysOf(this.days);
    if (days === undefined) {
      this.error = msg(
        str`Enter a whole number of days from ${WA_UNREACHABLE_DAYS_MIN} to ${WA_UNREACHABLE_DAYS_MAX}.`,
      );
      this.renderRoot.querySelector<HTMLInputElement>('#wa-unreachable-days')?.focus();
      return;
    }
    const client = this.session.client;
    void this.change(
      () => client?.updateWaReachability?.({ unreachableDays: days }),
      msg('WhatsApp reachability period saved'),
    );
  }

  private clear() {
    const client = this.session.client;
    void this.change(() => client?.clearWaReachability?.(), msg('What C2M learned was cleared'));
  }

  private askToClear() {
    this.confirming = true;
    this.announcement = '';
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLButtonElement>('[part="clear"]')?.focus(),
    );
  }

  private renderClear(v: WaReachabilityView) {
    if (!this.editable) return nothing;
    if (!this.confirming) {
      return html`<div class="actions">
        <button
          type="button"
          part="clear"
          class="danger"
          ?disabled=${this.busy || v.learnedUnreachable + v.knownReachable === 0}
          @click=${() => this.askToClear()}
        >
          ${msg('Clear what was learned')}
        </button>
      </div>`;
    }
    const total = locale.number(v.learnedUnreachable + v.knownReachable);
    return confirmRow(
      msg(str`Forget what C2M learned about ${total} numbers?`),
      [
        html`<p class="hint">
          ${msg(str`Forget what C2M learned about ${total} numbers?`)}
          ${msg('WhatsApp is offered to each of them again until a send teaches otherwise.')}
        </p>`,
        html`<button
          type="button"
          part="clear"
          class="danger"
          ?disabled=${this.busy}
          @click=${() => this.clear()}
        >
          ${msg('Clear')}
        </button>`,
        html`<button type="button" ?disabled=${this.busy} @click=${() => (this.confirming = false)}>
          ${msg('Keep')}
        </button>`,
      ],
      'actions',
    );
  }

  private renderPanel(v: WaReachabilityView) {
    const invalid = this.error !== '' && daysOf(this.days) === undefined;
    return html`<fieldset class="group">
      <legend>${msg('WhatsApp reachability')}</legend>
      <p class="hint">
        ${msg(
          'WhatsApp does not say beforehand whether a number uses it, so C2M learns from its own sends: a number a send was refused for as not on WhatsApp gets SMS (or the next channel) straight away, and one a WhatsApp message reached is known to be on WhatsApp.',
        )}
      </p>
      <dl part="counts">
        <dt>${msg('Not on WhatsApp now')}</dt>
        <dd id="learned-unreachable">${locale.number(v.learnedUnreachable)}</dd>
        <dt>${msg('Known on WhatsApp')}</dt>
        <dd id="known-reachable">${locale.number(v.knownReachable)}</dd>
      </dl>
      <form novalidate @submit=${(e: Event) => this.save(e)}>
        <div class="field">
          <label for="wa-unreachable-days">${msg('Days a refusal counts')}</label>
          <div class="period">
            <input
              id="wa-unreachable-days"
              type="number"
              inputmode="numeric"
              min=${WA_UNREACHABLE_DAYS_MIN}
              max=${WA_UNREACHABLE_DAYS_MAX}
              .value=${this.days}
              ?disabled=${!this.editable}
              aria-invalid=${invalid ? 'true' : 'false'}
              aria-describedby="wa-unreachable-days-hint${this.error ? ' wa-error' : ''}"
              @input=${(e: Event) => {
                this.days = (e.target as HTMLInputElement).value;
                this.error = '';
              }}
            />
            ${
              this.editable
                ? html`<button type="submit" part="save" ?disabled=${this.busy}>
                    ${msg('Save period')}
                  </button>`
                : nothing
            }
          </div>
          <p class="hint" id="wa-unreachable-days-hint">
            ${msg(
              str`After this many days (${WA_UNREACHABLE_DAYS_MIN}–${WA_UNREACHABLE_DAYS_MAX}) C2M offers WhatsApp to the number again.`,
            )}
          </p>
          ${
            this.error
              ? html`<p id="wa-error" part="error" class="error" role="alert">${this.error}</p>`
              : nothing
          }
        </div>
      </form>
      ${this.renderClear(v)}
      <div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>
    </fieldset>`;
  }

  override render() {
    return this.learning.render({
      complete: () => (this.view ? this.renderPanel(this.view) : nothing),
      pending: () =>
        this.view
          ? this.renderPanel(this.view)
          : html`<p class="state">${msg('Loading WhatsApp reachability…')}</p>`,
      error: (err) =>
        html`<p part="error" class="state state--error" role="alert">
          ${msg('WhatsApp reachability could not be loaded:')}
          ${err instanceof AdminApiError ? err.message : msg('unexpected error')}
        </p>`,
    });
  }
}

if (!customElements.get('c2m-wa-reachability'))
  customElements.define('c2m-wa-reachability', C2mWaReachability);

declare global {
  interface HTMLElementTagNameMap {
    'c2m-wa-reachability': C2mWaReachability;
  }
}
