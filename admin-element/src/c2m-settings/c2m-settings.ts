import { LitElement, html, nothing } from 'lit';
import { localized, msg } from '@lit/localize';
import { state } from 'lit/decorators.js';
import { Task } from '@lit/task';
import { AdminSettingsInput } from '../../../backend/contract/settings.js';
import { AdminApiError, type AccountSettings } from '../api/admin-client.js';
import {
  accessDraftOf,
  accessErrors,
  accessInput,
  renderAccess,
  type AccessDraft,
} from './account-access.js';
import { SessionController } from '../shared/session.js';
import { C2mSettingsSavedEvent, type C2mChannelsChangeEvent } from '../events.js';
import { checkForm } from '../shared/check-form.js';
import { normaliseFieldErrors, sentence } from '../shared/field-errors.js';
import { fixFieldsMessage, focusFirstInvalid } from '../shared/refused-save.js';
import { channelLabel } from '../shared/labels.js';
// the elements it renders (each defines its tag)
import '../c2m-channel-order/c2m-channel-order.js';
import './wa-reachability.js';
import styles from './c2m-settings.styles.js';
import { loadView } from '../shared/task-states.js';
import { renderSaveStatus } from '../shared/save-status.js';

/** The form's copy: numbers stay text until they are checked. */
type Draft = Omit<AccountSettings, 'frequencyCapPerHour' | 'rateLimitPerSec'> & {
  frequencyCapPerHour: string;
  rateLimitPerSec: string;
} & AccessDraft;

const draftOf = (s: AccountSettings): Draft => ({
  ...s,
  ...accessDraftOf(s),
  channels: s.channels.map((c) => ({ ...c })),
  routing: s.routing.map((r) => ({ ...r })),
  frequencyCapPerHour: String(s.frequencyCapPerHour),
  rateLimitPerSec: String(s.rateLimitPerSec),
});

const toInput = ({ originsText, receiptTimeoutText, ...d }: Draft) => ({
  ...d,
  ...accessInput({ originsText, receiptTimeoutText }),
  frequencyCapPerHour: /^\s*\d+\s*$/.test(d.frequencyCapPerHour)
    ? Number(d.frequencyCapPerHour)
    : Number.NaN,
  rateLimitPerSec: /^\s*\d+\s*$/.test(d.rateLimitPerSec) ? Number(d.rateLimitPerSec) : Number.NaN,
});

/** The zones the browser knows, for the time zone's suggestions (UTC first). */
function timeZoneNames(): string[] {
  const known =
    typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return ['UTC', ...known.filter((z) => z !== 'UTC')];
}

/** Every rule broken, by field; the limits' zod wording is for developers, so it is replaced. */
function validate(d: Draft): Record<string, string> {
  const errors = accessErrors(checkForm(AdminSettingsInput, toInput(d)).errors);
  if (errors.frequencyCapPerHour) {
    errors.frequencyCapPerHour = msg('must be a whole number from 1 to 1000');
  }
  if (errors.rateLimitPerSec)
    errors.rateLimitPerSec = msg('must be a whole number from 0 to 100000');
  return errors;
}

/**
 * The account-wide settings: channels (enabled, priority order), device check, routing (the
 * skills C2M may route to and the default skill), the SMS opt-out and HELP texts, the frequency
 * cap, the rate limit and the time zone reporting counts days in. Roles that may only view
 * settings see them without controls.
 *
 * @summary Account settings of C2M.
 *
 * @fires c2m-settings-saved - {@link C2mSettingsSavedEvent} after the server stored them.
 *
 * @csspart form - The settings form.
 * @csspart save - The Save button.
 * @csspart error - A field's error.
 * @csspart state - The loading or error text.
 *
 * @cssprop [--c2m-color-border=#8a9099] - Borders of the groups.
 */
@localized()
export class C2mSettings extends LitElement {
  static override styles = styles;

  private readonly session = new SessionController(this);

  @state() private draft?: Draft;
  @state() private errors: Record<string, string> = {};
  @state() private formError = '';
  @state() private saving = false;
  @state() private announcement = '';

  private readonly settings = new Task(this, {
    task: async ([client], { signal }) => (client ? client.getSettings(signal) : undefined),
    args: () => [this.session.client] as const,
    onComplete: (s) => {
      this.draft = s && draftOf(s);
    },
  });

  private get editable() {
    return this.session.may('settings:create');
  }

  private edit(patch: Partial<Draft>, field: string) {
    if (!this.draft) return;
    this.draft = { ...this.draft, ...patch };
    this.announcement = '';
    const live = validate(this.draft);
    // a field's error shows (and clears) as it is edited; the others wait for Save
    this.errors = Object.fromEntries(
      Object.entries({ ...this.errors, [field]: live[field] }).filter(([, v]) => v !== undefined),
    );
  }

  private async save(e: Event) {
    e.preventDefault();
    if (!this.session.client || !this.draft || this.saving) return;
    const parsed = checkForm(AdminSettingsInput, toInput(this.draft));
    if (!parsed.data) {
      this.errors = validate(this.draft);
      this.formError = fixFieldsMessage();
      return focusFirstInvalid(this);
    }
    this.saving = true;
    this.formError = '';
    try {
      const saved = await this.session.client.updateSettings(parsed.data);
      this.draft = draftOf(saved);
      this.errors = {};
      this.announcement = msg('Settings saved');
      this.dispatchEvent(new C2mSettingsSavedEvent(saved));
    } catch (err) {
      if (!(err instanceof AdminApiError)) throw err;
      this.errors = accessErrors(normaliseFieldErrors(err.fieldErrors));
      this.formError = err.message;
    } finally {
      this.saving = false;
    }
  }

  private error(key: string) {
    const rule = this.errors[key];
    return rule
      ? html`<p id="${key}-error" part="error" class="error">${sentence(rule)}</p>`
      : nothing;
  }

  private aria(key: string, hint?: string) {
    const ids = [...(hint ? [hint] : []), ...(this.errors[key] ? [`${key}-error`] : [])];
    return {
      invalid: this.errors[key] ? 'true' : 'false',
      describedBy: ids.length ? ids.join(' ') : nothing,
    };
  }

  private renderNumber(
    key: 'frequencyCapPerHour' | 'rateLimitPerSec',
    label: string,
    hint: string,
    [min, max]: [number, number],
  ) {
    const a = this.aria(key, `${key}-hint`);
    return html`<div class="field">
      <label for=${key}>${label}</label>
      <input
        id=${key}
        type="number"
        inputmode="numeric"
        min=${min}
        max=${max}
        .value=${this.draft![key]}
        aria-invalid=${a.invalid}
        aria-describedby=${a.describedBy}
        @input=${(e: Event) => this.edit({ [key]: (e.target as HTMLInputElement).value }, key)}
      />
      <p class="hint" id="${key}-hint">${hint}</p>
      ${this.error(key)}
    </div>`;
  }

  private renderChannels(d: Draft) {
    if (!this.editable) {
      return html`<fieldset class="group">
        <legend>${msg('Channels, in priority order')}</legend>
        <ol class="read-only-list">
          ${d.channels.map(
            (c) =>
              html`<li>
                ${channelLabel(c.name)}: ${c.enabled ? msg('enabled') : msg('disabled')}
              </li>`,
          )}
        </ol>
      </fieldset>`;
    }
    return html`<c2m-channel-order
      .channels=${d.channels}
      .error=${this.errors.channels ?? ''}
      @c2m-channels-change=${(e: C2mChannelsChangeEvent) =>
        this.edit({ channels: e.channels }, 'channels')}
    ></c2m-channel-order>`;
  }

  private renderRouting(d: Draft) {
    const routed = d.routing.filter((r) => r.routingEnabled).map((r) => r.name);
    const a = this.aria('defaultSkill', 'defaultSkill-hint');
    return html`<fieldset class="group" ?disabled=${!this.editable}>
      <legend>${msg('Routing')}</legend>
      <p class="hint">${msg('The skills C2M may route conversations to.')}</p>
      ${
        d.routing.length === 0
          ? html`<p class="state">
              ${msg('No skills yet: create them in the contact centre first.')}
            </p>`
          : html`<ul class="skills">
              ${d.routing.map(
                (r, i) =>
                  html`<li>
                    <input
                      type="checkbox"
                      id="skill-${i}"
                      .checked=${r.routingEnabled}
                      @change=${(e: Event) =>
                        this.edit(
                          {
                            routing: d.routing.map((x, j) =>
                              j === i
                                ? { ...x, routingEnabled: (e.target as HTMLInputElement).checked }
                                : x,
                            ),
                          },
                          'routing',
                        )}
                    />
                    <label for="skill-${i}">${r.name}</label>
                  </li>`,
              )}
            </ul>`
      }
      <div class="field">
        <label for="defaultSkill">${msg('Default skill')}</label>
        <select
          id="defaultSkill"
          aria-invalid=${a.invalid}
          aria-describedby=${a.describedBy}
          @change=${(e: Event) =>
            this.edit(
              { defaultSkill: (e.target as HTMLSelectElement).value || null },
              'defaultSkill',
            )}
        >
          <option value="" ?selected=${d.defaultSkill === null}>${msg('None')}</option>
          ${routed.map(
            (name) =>
              html`<option value=${name} ?selected=${d.defaultSkill === name}>${name}</option>`,
          )}
        </select>
        <p class="hint" id="defaultSkill-hint">
          ${msg("Where replies go after a handoff's lookback period has passed.")}
        </p>
        ${this.error('defaultSkill')}
      </div>
    </fieldset>`;
  }

  private renderTexts(d: Draft) {
    const optOut = this.aria('smsOptOutText', 'smsOptOutText-hint');
    const help = this.aria('helpText', 'helpText-hint');
    return html`<fieldset class="group" ?disabled=${!this.editable}>
      <legend>${msg('Texts')}</legend>
      <div class="field">
        <label for="smsOptOutText">${msg('SMS opt-out text')}</label>
        <input
          id="smsOptOutText"
          maxlength="160"
          .value=${d.smsOptOutText}
          aria-invalid=${optOut.invalid}
          aria-describedby=${optOut.describedBy}
          @input=${(e: Event) =>
            this.edit({ smsOptOutText: (e.target as HTMLInputElement).value }, 'smsOptOutText')}
        />
        <p class="hint" id="smsOptOutText-hint">
          ${msg('Added to the end of every SMS handoff message.')}
        </p>
        ${this.error('smsOptOutText')}
      </div>
      <div class="field">
        <label for="helpText">${msg('HELP reply')}</label>
        <textarea
          id="helpText"
          maxlength="640"
          .value=${d.helpText}
          aria-invalid=${help.invalid}
          aria-describedby=${help.describedBy}
          @input=${(e: Event) =>
            this.edit({ helpText: (e.target as HTMLTextAreaElement).value }, 'helpText')}
        ></textarea>
        <p class="hint" id="helpText-hint">${msg('Sent when a consumer texts HELP.')}</p>
        ${this.error('helpText')}
      </div>
    </fieldset>`;
  }

  /** Reporting's days: an IANA name, offered from the browser's list, checked by the server too. */
  private renderTimeZone(d: Draft) {
    const a = this.aria('timezone', 'timezone-hint');
    return html`<fieldset class="group" ?disabled=${!this.editable}>
      <legend>${msg('Time zone')}</legend>
      <div class="field">
        <label for="timezone">${msg('Reporting days in')}</label>
        <input
          id="timezone"
          list="timezones"
          autocomplete="off"
          spellcheck="false"
          maxlength="64"
          .value=${d.timezone}
          aria-invalid=${a.invalid}
          aria-describedby=${a.describedBy}
          @input=${(e: Event) =>
            this.edit({ timezone: (e.target as HTMLInputElement).value.trim() }, 'timezone')}
        />
        <datalist id="timezones">
          ${timeZoneNames().map((z) => html`<option value=${z}></option>`)}
        </datalist>
        <p class="hint" id="timezone-hint">
          ${msg('An IANA name such as America/New_York or Asia/Kolkata; the reports count days in it.')}
        </p>
        ${this.error('timezone')}
      </div>
    </fieldset>`;
  }

  private renderForm(d: Draft) {
    return html`<p class="error" role="alert">${this.formError}</p>
      <form part="form" novalidate @submit=${(e: Event) => this.save(e)}>
        ${this.renderChannels(d)}
        <fieldset class="group" ?disabled=${!this.editable}>
          <legend>${msg('Device check')}</legend>
          <input
            type="checkbox"
            id="deviceCheck"
            .checked=${d.deviceCheck}
            aria-describedby="deviceCheck-hint"
            @change=${(e: Event) =>
              this.edit({ deviceCheck: (e.target as HTMLInputElement).checked }, 'deviceCheck')}
          />
          <label for="deviceCheck">${msg("Check that the caller's number is a mobile")}</label>
          <p class="hint" id="deviceCheck-hint">
            ${
              d.deviceCheck
                ? msg('On: C2M invites a caller only when the number is a mobile.')
                : msg('Off: the IVR has already checked, and C2M does not ask a lookup service.')
            }
          </p>
        </fieldset>
        ${this.renderRouting(d)} ${this.renderTexts(d)} ${this.renderTimeZone(d)}
        <fieldset class="group" ?disabled=${!this.editable}>
          <legend>${msg('Limits')}</legend>
          ${this.renderNumber(
            'frequencyCapPerHour',
            msg('Messages per consumer per hour'),
            msg('At most this many deflection messages to one consumer in an hour (1–1000).'),
            [1, 1000],
          )}
          ${this.renderNumber(
            'rateLimitPerSec',
            msg('IVR requests per second'),
            msg('The account’s IVR API rate limit; 0 lifts it (0–100000).'),
            [0, 100_000],
          )}
        </fieldset>
        ${renderAccess(d, {
          editable: this.editable,
          error: (key) => this.error(key),
          aria: (key, hint) => this.aria(key, hint),
          edit: (patch, field) => this.edit(patch, field),
        })}
        ${
          this.editable
            ? html`<div class="actions">
                <button type="submit" part="save" class="primary" ?disabled=${this.saving}>
                  ${this.saving ? msg('Saving…') : msg('Save settings')}
                </button>
              </div>`
            : nothing
        }
      </form>`;
  }

  override render() {
    return html`<section aria-labelledby="heading">
      <h2 id="heading" tabindex="-1">${msg('Settings')}</h2>
      ${renderSaveStatus(this.announcement)}
      ${loadView(this.settings, msg('settings'), (s) => this.renderForm(this.draft ?? draftOf(s)))}
      <c2m-wa-reachability></c2m-wa-reachability>
    </section>`;
  }
}

if (!customElements.get('c2m-settings')) customElements.define('c2m-settings', C2mSettings);

declare global {
  interface HTMLElementTagNameMap {
    'c2m-settings': C2mSettings;
  }
}
