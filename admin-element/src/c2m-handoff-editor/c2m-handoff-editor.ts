import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { Task, TaskStatus } from '@lit/task';
import type { HandoffView } from '../../../backend/contract/handoffs.js';
import { can } from '../../../backend/contract/policy-table.js';
import type { HandoffChannel } from '../../../backend/contract/handoffs.js';
import { AdminApiError } from '../api/admin-client.js';
import { SessionController } from '../shared/session.js';
import {
  C2mHandoffDeletedEvent,
  C2mHandoffEditCancelledEvent,
  C2mHandoffSavedEvent,
  type C2mChannelChangeEvent,
  type C2mChannelsChangeEvent,
  type C2mOptOutTextChangeEvent,
} from '../events.js';
import { errorsUnder, normaliseFieldErrors } from '../shared/field-errors.js';
import { fixFieldsMessage, focusFirstInvalid } from '../shared/refused-save.js';
import { channelLabel } from '../shared/labels.js';
import { confirmRow } from '../shared/row-actions.js';
import {
  describeErrors,
  draftOf,
  errorsUpTo,
  normaliseNumbers,
  inputOf,
  stepLabel,
  stepOf,
  STEPS,
  validate,
  type Draft,
  type Step,
} from './handoff-draft.js';
import { renderDetailsStep } from './handoff-details.js';
import { renderHandoffPreview } from './handoff-preview.js';
// the elements it renders (each defines its tag)
import '../c2m-channel-composer/c2m-channel-composer.js';
import '../c2m-channel-order/c2m-channel-order.js';
import styles from './c2m-handoff-editor.styles.js';

/**
 * Creates or edits an API handoff in steps: title and lookback (days and hours) →
 * channels and their priority order → the message of each enabled channel → preview, then
 * confirm, go back, or cancel. Checked against the contract's `HandoffInput` before anything is
 * sent; the server's field errors are shown next to their fields. For a role that may only view
 * handoffs it shows the preview alone.
 *
 * @summary Step-by-step editor of one API handoff.
 *
 * @fires c2m-handoff-saved - {@link C2mHandoffSavedEvent} after the server stored the handoff.
 * @fires c2m-handoff-deleted - {@link C2mHandoffDeletedEvent} after the server deleted it.
 * @fires c2m-handoff-edit-cancelled - {@link C2mHandoffEditCancelledEvent} on Cancel (or Back to list).
 *
 * @csspart base - The editor's section.
 * @csspart steps - The list of steps, the current one marked.
 * @csspart form-error - The error of the whole form (a failed save).
 * @csspart title - The title input.
 * @csspart preview - The summary of the handoff on the last step.
 * @csspart next - The Next / Save button.
 * @csspart back - The Back button.
 * @csspart cancel - The Cancel button.
 * @csspart delete - The Delete button (editing, for roles that may delete).
 *
 * @cssprop [--c2m-color-accent=#0b5cad] - The current step and the primary button.
 * @cssprop [--c2m-color-danger=#b3261e] - Errors and the delete button.
 * @cssprop [--c2m-gap=0.75rem] - Spacing.
 */
@localized()
export class C2mHandoffEditor extends LitElement {
  static override styles = styles;

  private readonly session = new SessionController(this);

  /** The handoff to edit; unset to create a new one. */
  @property({ attribute: false }) handoff?: HandoffView;

  @state() private step: Step = 'details';
  @state() private draft: Draft = draftOf();
  /** Steps the user tried to leave: their client-side errors are shown from then on. */
  @state() private checked = new Set<Step>();
  @state() private serverErrors: Record<string, string> = {};
  @state() private formError = '';
  @state() private saving = false;
  @state() private confirmingDelete = false;
  @state() private optOutText = '';
  @state() private optOutEdited = false;

  /** Set when the user moved between steps, so the new step's heading takes focus. */
  private focusStepHeading = false;

  /** The account's opt-out text, which every SMS carries and counts towards its maximum. */
  private readonly settings = new Task(this, {
    task: async ([client, role], { signal }) =>
      client && role && can(role, 'settings:view') ? client.getSettings(signal) : undefined,
    args: () => [this.session.client, this.session.role] as const,
    onComplete: (settings) => {
      if (settings && !this.optOutEdited) this.optOutText = settings.smsOptOutText;
    },
  });

  private get mode(): 'create' | 'edit' | 'view' {
    if (!this.handoff) return 'create';
    return this.session.may('handoffs:edit') ? 'edit' : 'view';
  }

  private get errors(): Record<string, string> {
    const client = validate(this.draft, this.optOutText);
    const shown = [...this.checked].reduce<Record<string, string>>(
      (acc, step) => ({ ...acc, ...errorsUpTo(client, step) }),
      {},
    );
    return { ...shown, ...this.serverErrors };
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('handoff')) {
      this.draft = draftOf(this.handoff);
      this.step = this.mode === 'view' ? 'preview' : 'details';
      this.checked = new Set();
      this.serverErrors = {};
      this.formError = '';
      this.confirmingDelete = false;
    }
  }

  override updated() {
    if (!this.focusStepHeading) return;
    this.focusStepHeading = false;
    this.renderRoot.querySelector<HTMLElement>('#step-heading')?.focus();
  }

  /** Applies an edit and forgets the server's verdict on the fields it touched. */
  private edit(patch: Partial<Draft>, ...fields: string[]) {
    this.draft = { ...this.draft, ...patch };
    if (fields.length) {
      this.serverErrors = Object.fromEntries(
        Object.entries(this.serverErrors).filter(([k]) => !fields.some((f) => k.startsWith(f))),
      );
    }
  }

  private goTo(step: Step) {
    this.step = step;
    this.formError = '';
    this.focusStepHeading = true;
  }

  private async next(e: Event) {
    e.preventDefault();
    if (this.step === 'preview') return this.save();
    this.checked = new Set([...this.checked, this.step]);
    // the user sees the number as it will be sent
    if (this.step === 'messages') this.draft = normaliseNumbers(this.draft);
    const errors = errorsUpTo(this.errors, this.step);
    if (Object.keys(errors).length) {
      this.formError = fixFieldsMessage();
      // the first invalid field may be in a composer's shadow root
      return focusFirstInvalid(this, true);
    }
    this.goTo(STEPS[STEPS.indexOf(this.step) + 1]);
  }

  private back() {
    this.goTo(STEPS[Math.max(0, STEPS.indexOf(this.step) - 1)]);
  }

  private async save() {
    const client = this.session.client;
    if (!client || this.saving) return;
    this.checked = new Set(STEPS);
    const firstError = Object.keys(this.errors)[0];
    if (firstError) return this.goTo(stepOf(firstError));
    this.saving = true;
    this.formError = '';
    try {
      if (this.optOutEdited && this.session.may('settings:create')) {
        await client.updateSettings({ smsOptOutText: this.optOutText });
        this.optOutEdited = false;
      }
      const input = inputOf(this.draft);
      const saved = this.handoff
        ? await client.updateHandoff(this.handoff.id, input)
        : await client.createHandoff(input);
      this.dispatchEvent(new C2mHandoffSavedEvent(saved, !this.handoff));
    } catch (err) {
      this.showFailure(err);
    } finally {
      this.saving = false;
    }
  }

  private showFailure(err: unknown) {
    if (!(err instanceof AdminApiError)) throw err;
    this.serverErrors = normaliseFieldErrors(err.fieldErrors);
    // every field the server named, so none is out of sight on another step
    const fields = describeErrors(this.serverErrors, this.draft);
    const text = fields ? msg(str`Not saved. Please fix: ${fields}.`) : err.message;
    const first = Object.keys(this.serverErrors)[0];
    if (first && stepOf(first) !== this.step) this.goTo(stepOf(first));
    this.formError = text; // goTo clears it
  }

  private async deleteHandoff() {
    if (!this.session.client || !this.handoff) return;
    try {
      await this.session.client.deleteHandoff(this.handoff.id);
      this.dispatchEvent(new C2mHandoffDeletedEvent(this.handoff.id));
    } catch (err) {
      this.confirmingDelete = false;
      this.showFailure(err);
    }
  }

  private cancel() {
    this.dispatchEvent(new C2mHandoffEditCancelledEvent());
  }

  private renderChannels(errors: Record<string, string>) {
    return html`<c2m-channel-order
      exclusive
      .channels=${this.draft.channels}
      .error=${errors.channels ?? ''}
      @c2m-channels-change=${(e: C2mChannelsChangeEvent) =>
        // the element hands back the objects it was given: handoff channels, messages and all
        this.edit({ channels: e.channels as HandoffChannel[] }, 'channels')}
    ></c2m-channel-order>`;
  }

  private renderMessages(errors: Record<string, string>) {
    const enabled = this.draft.channels
      .map((channel, index) => ({ channel, index }))
      .filter(({ channel }) => channel.enabled);
    if (enabled.length === 0) {
      return html`<p class="state">${msg('No channel is enabled: go back and enable one.')}</p>`;
    }
    const replace = (index: number, channel: HandoffChannel) =>
      this.edit(
        { channels: this.draft.channels.map((c, i) => (i === index ? channel : c)) },
        `channels.${index}`,
      );
    const optOutEditable = this.session.may('settings:create');
    const settingsFailed = this.settings.status === TaskStatus.ERROR;
    return html`${
      settingsFailed
        ? html`<p class="hint" role="status">
            ${msg("The account's opt-out text could not be loaded; the counts leave it out.")}
          </p>`
        : nothing
    }
    ${enabled.map(
      ({ channel, index }) =>
        html`<section class="channel" aria-labelledby="channel-${channel.name}">
          <h4 id="channel-${channel.name}">${channelLabel(channel.name)}</h4>
          <c2m-channel-composer
            data-channel=${channel.name}
            .channel=${channel}
            .errors=${errorsUnder(errors, `channels.${index}`)}
            .optOutText=${this.optOutText}
            ?opt-out-editable=${optOutEditable}
            @c2m-channel-change=${(e: C2mChannelChangeEvent) => replace(index, e.channel)}
            @c2m-opt-out-text-change=${(e: C2mOptOutTextChangeEvent) => {
              this.optOutText = e.text;
              this.optOutEdited = true;
            }}
          ></c2m-channel-composer>
        </section>`,
    )}`;
  }

  private renderStep(errors: Record<string, string>) {
    switch (this.step) {
      case 'details':
        return renderDetailsStep({
          draft: this.draft,
          errors,
          id: this.handoff?.id,
          edit: (patch, ...fields) => this.edit(patch, ...fields),
        });
      case 'channels':
        return this.renderChannels(errors);
      case 'messages':
        return this.renderMessages(errors);
      case 'preview':
        return renderHandoffPreview(inputOf(this.draft), this.handoff?.id, this.optOutText);
    }
  }

  private renderActions() {
    if (this.mode === 'view') {
      return html`<div class="actions">
        <button type="button" part="cancel" @click=${() => this.cancel()}>
          ${msg('Back to list')}
        </button>
      </div>`;
    }
    const first = this.step === STEPS[0];
    const last = this.step === 'preview';
    const saveLabel = this.handoff ? msg('Save changes') : msg('Create handoff');
    return html`<div class="actions">
      ${
        first
          ? nothing
          : html`<button type="button" part="back" @click=${() => this.back()}>
              ${msg('Back')}
            </button>`
      }
      <button type="submit" part="next" class="primary" ?disabled=${this.saving}>
        ${last ? (this.saving ? msg('Saving…') : saveLabel) : msg('Next')}
      </button>
      <span class="spacer"></span>
      <button type="button" part="cancel" @click=${() => this.cancel()}>${msg('Cancel')}</button>
    </div>`;
  }

  private renderDelete() {
    if (this.mode !== 'edit' || !this.session.may('handoffs:delete')) return nothing;
    const title = this.handoff?.title ?? '';
    if (!this.confirmingDelete) {
      return html`<div class="actions">
        <button
          type="button"
          part="delete"
          class="danger"
          @click=${() => (this.confirmingDelete = true)}
        >
          ${msg('Delete handoff')}
        </button>
      </div>`;
    }
    return confirmRow(
      msg('Confirm deletion'),
      html`<span>${msg(str`Delete “${title}”? The IVR can no longer use its ID.`)}</span>
        <button type="button" part="delete" class="danger" @click=${() => this.deleteHandoff()}>
          ${msg('Delete')}
        </button>
        <button type="button" @click=${() => (this.confirmingDelete = false)}>
          ${msg('Keep it')}
        </button>`,
      'actions',
    );
  }

  override render() {
    const title = this.handoff?.title ?? '';
    const heading =
      this.mode === 'create'
        ? msg('New handoff')
        : this.mode === 'edit'
          ? msg(str`Edit handoff “${title}”`)
          : msg(str`Handoff “${title}”`);
    const errors = this.errors;
    const index = STEPS.indexOf(this.step);
    return html`<section part="base" aria-labelledby="heading">
      <h2 id="heading" tabindex="-1">${heading}</h2>
      ${
        this.mode === 'view'
          ? nothing
          : html`<ol part="steps" class="steps" aria-label=${msg('Steps')}>
              ${STEPS.map(
                (s, i) =>
                  html`<li aria-current=${s === this.step ? 'step' : nothing}>
                    ${i + 1}. ${stepLabel(s)}
                  </li>`,
              )}
            </ol>`
      }
      <h3 id="step-heading" class="step-heading" tabindex="-1">
        ${
          this.mode === 'view'
            ? msg('Preview')
            : msg(str`Step ${index + 1} of ${STEPS.length}: ${stepLabel(this.step)}`)
        }
      </h3>
      <p part="form-error" class="form-error" role="alert">${this.formError}</p>
      <form novalidate @submit=${(e: Event) => this.next(e)}>
        ${this.renderStep(errors)} ${this.renderActions()}
      </form>
      ${this.step === 'details' ? this.renderDelete() : nothing}
    </section>`;
  }
}

if (!customElements.get('c2m-handoff-editor'))
  customElements.define('c2m-handoff-editor', C2mHandoffEditor);

declare global {
  interface HTMLElementTagNameMap {
    'c2m-handoff-editor': C2mHandoffEditor;
  }
}
