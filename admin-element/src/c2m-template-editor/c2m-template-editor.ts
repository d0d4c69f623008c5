import { localized, msg, str } from '@lit/localize';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task } from '@lit/task';
import {
  TemplateCategory,
  TemplateInput,
  templateVariables,
  type TemplateView,
} from '../../../backend/contract/templates.js';
import { AdminApiError } from '../api/admin-client.js';
import { fillVariables } from '../c2m-wa-template-picker/template-variables.js';
import { SessionController } from '../shared/session.js';
import { C2mTemplateEditCancelledEvent, C2mTemplateSavedEvent } from '../events.js';
import { checkForm } from '../shared/check-form.js';
import { normaliseFieldErrors, sentence } from '../shared/field-errors.js';
import { fixFieldsMessage, focusFirstInvalid } from '../shared/refused-save.js';
import { templateCategoryLabel } from '../shared/template-labels.js';
import styles from './c2m-template-editor.styles.js';

interface Draft {
  name: string;
  category: TemplateCategory | '';
  language: string;
  wabaId: string;
  phoneNumber: string;
  body: string;
  examples: string[];
}

const FIELDS = ['name', 'category', 'language', 'wabaId', 'phoneNumber', 'body'] as const;
type Field = (typeof FIELDS)[number];

/** The fields that offer choices (typing stays allowed), by their datalist's id. */
const LISTS: Partial<Record<Field, string>> = {
  language: 'languages',
  wabaId: 'waba-ids',
  phoneNumber: 'wa-numbers',
};

/** Each field's label, in the shown language. */
const labels = (): Record<Field, string> => ({
  name: msg('Name'),
  category: msg('Category'),
  language: msg('Language'),
  wabaId: msg('WhatsApp Business Account ID'),
  phoneNumber: msg('Outbound phone number'),
  body: msg('Message text'),
});

/** Each field's hint, in the shown language. */
const hints = (): Record<Field, string> => ({
  name: msg('Unique; lowercase letters, digits and underscores, no spaces.'),
  category: msg('The kind of message, as WhatsApp reviews it.'),
  language: msg('A language code such as en, en_US or pt_BR.'),
  wabaId: msg('The WhatsApp Business Account the template belongs to (digits).'),
  phoneNumber: msg('E.164, e.g. +14155550100.'),
  body: msg('Variables are {{1}}, {{2}} … numbered from 1 without gaps.'),
});

const COMMON_LANGUAGES = ['en', 'en_US', 'en_GB', 'es', 'es_MX', 'fr', 'de', 'it', 'pt_BR', 'nl'];

const draftOf = (t?: TemplateView): Draft => ({
  name: t?.name ?? '',
  category: t?.category ?? '',
  language: t?.language ?? 'en',
  wabaId: t?.wabaId ?? '',
  phoneNumber: t?.phoneNumber ?? '',
  body: t?.body ?? '',
  examples: [...(t?.examples ?? [])],
});

/**
 * Creates or edits a WhatsApp message template (a draft, or one WhatsApp rejected): name,
 * category, language, WhatsApp Business Account, outbound number and text with `{{n}}`
 * variables, one example value each. Every field is checked against the contract's
 * `TemplateInput` as it is typed; the server's field errors appear next to the fields too. The
 * preview shows the text with the examples filled in.
 *
 * @summary WhatsApp template form with live validation and preview.
 *
 * @fires c2m-template-saved - {@link C2mTemplateSavedEvent} after the server stored (and maybe submitted) it.
 * @fires c2m-template-edit-cancelled - {@link C2mTemplateEditCancelledEvent} on Cancel.
 *
 * @csspart form - The form.
 * @csspart preview - The text with the examples filled in.
 * @csspart save - The Save draft button.
 * @csspart submit - The Save and submit for approval button.
 * @csspart cancel - The Cancel button.
 * @csspart error - A field's error.
 *
 * @cssprop [--c2m-color-surface=#f6f7f9] - Background of the preview.
 */
@localized()
export class C2mTemplateEditor extends LitElement {
  static override styles = styles;

  private readonly session = new SessionController(this);

  /** The account's WhatsApp numbers and Business Account ids, offered in the two fields. */
  private readonly senders = new Task(this, {
    task: async ([client], { signal }) =>
      client?.listSenders ? client.listSenders(signal) : undefined,
    args: () => [this.session.client] as const,
  });

  /** The template to edit; unset for a new one. */
  @property({ attribute: false }) template?: TemplateView;

  @state() private draft: Draft = draftOf();
  /** Fields typed in (or all, after a save was tried): only their errors show. */
  @state() private touched = new Set<string>();
  @state() private serverErrors: Record<string, string> = {};
  @state() private formError = '';
  @state() private saving = false;

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('template')) {
      this.draft = draftOf(this.template);
      this.touched = new Set();
      this.serverErrors = {};
      this.formError = '';
    }
  }

  private get variableCount() {
    return templateVariables(this.draft.body);
  }

  private get input() {
    const n = this.variableCount;
    return {
      ...this.draft,
      category: this.draft.category || undefined, // unchosen reads "is required"
      examples: Array.from({ length: n }, (_, i) => this.draft.examples[i] ?? ''),
    };
  }

  private get errors(): Record<string, string> {
    const client = checkForm(TemplateInput, this.input).errors;
    const shown = Object.fromEntries(
      Object.entries(client).filter(
        ([k]) => this.touched.has(k.split('.')[0]) || this.touched.has(k),
      ),
    );
    return { ...shown, ...this.serverErrors };
  }

  private edit(field: string, patch: Partial<Draft>) {
    this.draft = { ...this.draft, ...patch };
    this.touched = new Set([...this.touched, field]);
    this.serverErrors = Object.fromEntries(
      Object.entries(this.serverErrors).filter(([key]) => key !== field),
    );
  }

  private async save(submit: boolean) {
    const client = this.session.client;
    if (!client || this.saving) return;
    this.touched = new Set([...FIELDS, 'examples']);
    const parsed = checkForm(TemplateInput, this.input);
    if (!parsed.data) {
      this.formError = fixFieldsMessage();
      return focusFirstInvalid(this);
    }
    this.saving = true;
    this.formError = '';
    try {
      let saved = this.template
        ? await client.updateTemplate(this.template.id, parsed.data)
        : await client.createTemplate(parsed.data);
      if (submit) saved = await client.submitTemplate(saved.id);
      this.dispatchEvent(new C2mTemplateSavedEvent(saved, !this.template, submit));
    } catch (err) {
      if (!(err instanceof AdminApiError)) throw err;
      this.serverErrors = normaliseFieldErrors(err.fieldErrors);
      this.formError = err.message;
    } finally {
      this.saving = false;
    }
  }

  private describedBy(key: string, errors: Record<string, string>, hintId?: string) {
    const ids = [...(hintId ? [hintId] : []), ...(errors[key] ? [`${key}-error`] : [])];
    return ids.length ? ids.join(' ') : nothing;
  }

  private renderError(key: string, errors: Record<string, string>) {
    const rule = errors[key];
    return rule
      ? html`<p id="${key}-error" part="error" class="error">${sentence(rule)}</p>`
      : nothing;
  }

  private renderField(field: Field, errors: Record<string, string>) {
    const common = {
      invalid: errors[field] ? 'true' : 'false',
      describedBy: this.describedBy(field, errors, `${field}-hint`),
    };
    const onInput = (e: Event) =>
      this.edit(field, { [field]: (e.target as HTMLInputElement).value });
    let control;
    if (field === 'category') {
      control = html`<select
        id=${field}
        aria-invalid=${common.invalid}
        aria-describedby=${common.describedBy}
        @change=${onInput}
      >
        <option value="" ?selected=${this.draft.category === ''}>
          ${msg('Choose a category…')}
        </option>
        ${TemplateCategory.options.map(
          (c) =>
            html`<option value=${c} ?selected=${this.draft.category === c}>
              ${templateCategoryLabel(c)}
            </option>`,
        )}
      </select>`;
    } else if (field === 'body') {
      control = html`<textarea
        id=${field}
        maxlength="1024"
        .value=${this.draft.body}
        aria-invalid=${common.invalid}
        aria-describedby=${common.describedBy}
        @input=${onInput}
      ></textarea>`;
    } else {
      control = html`<input
        id=${field}
        type=${field === 'phoneNumber' ? 'tel' : 'text'}
        autocomplete="off"
        list=${LISTS[field] ?? nothing}
        inputmode=${field === 'wabaId' ? 'numeric' : nothing}
        .value=${this.draft[field]}
        aria-invalid=${common.invalid}
        aria-describedby=${common.describedBy}
        @input=${onInput}
      />`;
    }
    return html`<div class="field">
      <label for=${field}>${labels()[field]}</label>
      ${control}
      <p class="hint" id="${field}-hint">${hints()[field]}</p>
      ${this.renderError(field, errors)}
    </div>`;
  }

  private renderExamples(errors: Record<string, string>) {
    const n = this.variableCount;
    if (n === 0) return this.renderError('examples', errors);
    return html`<fieldset aria-describedby=${this.describedBy('examples', errors, 'examples-hint')}>
      <legend>${msg('Example values')}</legend>
      <p class="hint" id="examples-hint">
        ${msg("WhatsApp's reviewers read the text with these in place of the variables.")}
      </p>
      ${Array.from({ length: n }, (_, i) => {
        const key = `examples.${i}`;
        return html`<div class="field">
          <label for=${key}>${msg(str`Example for {{${i + 1}}}`)}</label>
          <input
            id=${key}
            .value=${this.draft.examples[i] ?? ''}
            aria-invalid=${errors[key] ? 'true' : 'false'}
            aria-describedby=${this.describedBy(key, errors)}
            @input=${(e: Event) => {
              const examples = [...this.draft.examples];
              examples[i] = (e.target as HTMLInputElement).value;
              this.edit(key, { examples });
            }}
          />
          ${this.renderError(key, errors)}
        </div>`;
      })}
      ${this.renderError('examples', errors)}
    </fieldset>`;
  }

  override render() {
    const errors = this.errors;
    const examples = Object.fromEntries(this.input.examples.map((e, i) => [i + 1, e]));
    const mayPublish = this.session.may('templates:publish');
    const t = this.template;
    const heading = t
      ? msg(str`Edit template ${t.name} (${t.language})`)
      : msg('New WhatsApp template');
    return html`<section aria-labelledby="heading">
      <h2 id="heading" tabindex="-1">${heading}</h2>
      <p class="hint">
        ${msg(
          'Once WhatsApp approves a template it cannot be edited any more: clone it to change it.',
        )}
      </p>
      <p class="form-error" role="alert">${this.formError}</p>
      <form
        part="form"
        novalidate
        @submit=${(e: Event) => {
          e.preventDefault();
          void this.save(false);
        }}
      >
        <div class="layout">
          <div>
            ${FIELDS.map((f) => this.renderField(f, errors))} ${this.renderExamples(errors)}
            <datalist id="languages">
              ${COMMON_LANGUAGES.map((l) => html`<option value=${l}></option>`)}
            </datalist>
            <datalist id="waba-ids">
              ${(this.senders.value?.wabaIds ?? []).map((id) => html`<option value=${id}></option>`)}
            </datalist>
            <datalist id="wa-numbers">
              ${(this.senders.value?.numbers ?? [])
                .filter((n) => n.channel === 'wa')
                .map((n) => html`<option value=${n.number}></option>`)}
            </datalist>
          </div>
          <div>
            <h3 id="preview-heading">${msg('Preview')}</h3>
            <p part="preview" class="preview">
              ${fillVariables(this.draft.body, examples) || msg('The text appears here.')}
            </p>
          </div>
        </div>
        <div class="actions">
          <button type="submit" part="save" ?disabled=${this.saving}>${msg('Save draft')}</button>
          ${
            mayPublish
              ? html`<button
                  type="button"
                  part="submit"
                  class="primary"
                  ?disabled=${this.saving}
                  @click=${() => this.save(true)}
                >
                  ${msg('Save and submit for approval')}
                </button>`
              : nothing
          }
          <span class="spacer"></span>
          <button
            type="button"
            part="cancel"
            @click=${() => this.dispatchEvent(new C2mTemplateEditCancelledEvent())}
          >
            ${msg('Cancel')}
          </button>
        </div>
      </form>
    </section>`;
  }
}

if (!customElements.get('c2m-template-editor'))
  customElements.define('c2m-template-editor', C2mTemplateEditor);

declare global {
  interface HTMLElementTagNameMap {
    'c2m-template-editor': C2mTemplateEditor;
  }
}
