import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { Task } from '@lit/task';
import type { TemplateView } from '../../../backend/contract/templates.js';
import { SessionController } from '../shared/session.js';
import { C2mTemplateChangeEvent } from '../events.js';
import { extractVariables, fillVariables } from './template-variables.js';
import { sentence } from '../shared/field-errors.js';
import styles from './c2m-wa-template-picker.styles.js';

const keyOf = (t: { name: string; language: string }) => `${t.name}|${t.language}`;

/**
 * Picks one of the account's approved WhatsApp templates for a handoff and takes an optional
 * default for each of its variables (`{{1}}`, `{{2}}` …): the IVR's templateVariables win, a
 * default is used for a variable the IVR does not send, and a variable left empty must come from
 * the IVR. The body with the defaults filled in (and the rest kept as `{{n}}`) is the handoff's
 * WhatsApp message.
 *
 * @summary WhatsApp template picker with one optional default per template variable.
 *
 * @fires c2m-template-change - {@link C2mTemplateChangeEvent} when the template or a value changes.
 *
 * @csspart select - The template drop-down.
 * @csspart body - The chosen template's body.
 * @csspart preview - The body as a consumer reads it: each default, else the template's example.
 * @csspart variable - The input of one variable.
 * @csspart error - A validation error.
 * @csspart state - The loading, empty or error text.
 *
 * @cssprop [--c2m-color-surface=#f6f7f9] - Background of the template body.
 */
@localized()
export class C2mWaTemplatePicker extends LitElement {
  static override styles = styles;

  private readonly session = new SessionController(this);

  /** The chosen template's name. */
  @property({ attribute: 'template-name' }) templateName = '';

  /** The chosen template's language. */
  @property({ attribute: 'template-language' }) templateLanguage = '';

  /** The message made from the template so far (when editing, the saved one). */
  @property() message = '';

  /** A validation error about the template choice. */
  @property() error = '';

  /** A validation error about the variables' values. */
  @property({ attribute: 'message-error' }) messageError = '';

  @state() private values: Record<number, string> = {};

  private readonly templates = new Task(this, {
    // a handoff may use approved templates only; 100 is the API's largest page
    task: async ([client], { signal }): Promise<TemplateView[]> =>
      client ? (await client.listTemplates({ status: 'approved', limit: 100 }, signal)).items : [],
    args: () => [this.session.client] as const,
  });

  private get chosen(): TemplateView | undefined {
    const key = keyOf({ name: this.templateName, language: this.templateLanguage });
    return this.templates.value?.find((t) => keyOf(t) === key || t.name === this.templateName);
  }

  /** The template `values` belong to: a newly known template reads them out of the message. */
  private valuesOf = '';

  override willUpdate() {
    // a saved handoff's values are read back out of its message once its template has loaded
    const chosen = this.chosen;
    if (chosen && keyOf(chosen) !== this.valuesOf) {
      this.values = extractVariables(chosen.body, this.message);
      this.valuesOf = keyOf(chosen);
    }
  }

  private emit(template: TemplateView | undefined, values: Record<number, string>) {
    this.dispatchEvent(
      new C2mTemplateChangeEvent(
        template?.name,
        template?.language,
        template ? fillVariables(template.body, values) : '',
      ),
    );
  }

  private choose(key: string) {
    const template = this.templates.value?.find((t) => keyOf(t) === key);
    this.templateName = template?.name ?? '';
    this.templateLanguage = template?.language ?? '';
    this.values = {};
    this.valuesOf = template ? keyOf(template) : '';
    this.emit(template, {});
  }

  private setValue(n: number, value: string) {
    this.values = { ...this.values, [n]: value };
    this.emit(this.chosen, this.values);
  }

  private renderSelect(templates: TemplateView[]) {
    if (templates.length === 0) {
      return html`<p part="state" class="state">
        ${msg(
          'No approved WhatsApp templates yet. Create one under WhatsApp templates and have it approved first.',
        )}
      </p>`;
    }
    const chosen = this.chosen;
    return html`<div class="field">
        <label for="template">${msg('Approved template')}</label>
        <select
          id="template"
          part="select"
          aria-invalid=${this.error ? 'true' : 'false'}
          aria-describedby=${this.error ? 'template-error' : nothing}
          @change=${(e: Event) => this.choose((e.target as HTMLSelectElement).value)}
        >
          <option value="" ?selected=${!chosen}>${msg('Choose a template…')}</option>
          ${templates.map(
            (t) =>
              html`<option
                value=${keyOf(t)}
                ?selected=${chosen !== undefined && keyOf(t) === keyOf(chosen)}
              >
                ${t.name} (${t.language})
              </option>`,
          )}
        </select>
        ${
          this.error
            ? html`<p id="template-error" part="error" class="error">${sentence(this.error)}</p>`
            : nothing
        }
      </div>
      ${chosen ? this.renderVariables(chosen) : nothing}`;
  }

  private renderVariables(template: TemplateView) {
    // the API guarantees {{1}} … {{n}} without gaps, and says n
    const variables = Array.from({ length: template.variables }, (_, i) => i + 1);
    // the consumer reads each default, or the IVR's value: the template's examples stand in for it
    const shown = Object.fromEntries(
      variables.map((n) => [
        n,
        this.values[n]?.trim() ? this.values[n] : (template.examples[n - 1] ?? ''),
      ]),
    );
    return html`<p part="body" class="body">${template.body}</p>
      <p class="hint">${msg('Preview, with the defaults, else the template’s example values:')}</p>
      <p part="preview" class="body">${fillVariables(template.body, shown)}</p>
      ${
        variables.length
          ? html`<fieldset class="variables">
              <legend class="visually-hidden">
                ${msg("Default values of the template's variables, used when the IVR sends none")}
              </legend>
              ${variables.map(
                (n) =>
                  html`<div class="field">
                    <label for="var-${n}">${msg(str`Default for {{${n}}} (optional)`)}</label>
                    <input
                      id="var-${n}"
                      part="variable"
                      placeholder=${msg(str`from the IVR's templateVariables.${n}`)}
                      .value=${this.values[n] ?? ''}
                      aria-invalid=${this.messageError ? 'true' : 'false'}
                      aria-describedby=${this.messageError ? 'message-error' : nothing}
                      @input=${(e: Event) => this.setValue(n, (e.target as HTMLInputElement).value)}
                    />
                  </div>`,
              )}
            </fieldset>`
          : nothing
      }
      ${
        this.messageError
          ? html`<p id="message-error" part="error" class="error">
              ${sentence(this.messageError)}
            </p>`
          : nothing
      }`;
  }

  override render() {
    return this.templates.render({
      initial: () => html`<p part="state" class="state">${msg('Loading templates…')}</p>`,
      pending: () => html`<p part="state" class="state">${msg('Loading templates…')}</p>`,
      complete: (templates) => this.renderSelect(templates),
      error: () =>
        html`<p part="state" class="state state--error" role="alert">
          ${msg('The WhatsApp templates could not be loaded. Try again later.')}
        </p>`,
    });
  }
}

if (!customElements.get('c2m-wa-template-picker'))
  customElements.define('c2m-wa-template-picker', C2mWaTemplatePicker);

declare global {
  interface HTMLElementTagNameMap {
    'c2m-wa-template-picker': C2mWaTemplatePicker;
  }
}
