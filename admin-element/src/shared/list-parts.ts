import { html, nothing } from 'lit';

// The pieces the list views are made of besides the table and the pager: the frame, the filter
// toolbar and its fields.

/** The filters of a list, and its New button for roles that may create. */
export function toolbar(
  label: string,
  fields: unknown,
  create?: { label: string; onClick: () => void },
) {
  return html`<div part="toolbar" class="toolbar" role="search" aria-label=${label}>
    ${fields}
    <span class="spacer"></span>
    ${
      create
        ? html`<button type="button" part="create" class="primary" @click=${create.onClick}>
            ${create.label}
          </button>`
        : nothing
    }
  </div>`;
}

/** A "contains" text filter. */
export function searchField(o: {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
}) {
  return html`<div class="field">
    <label for=${o.id}>${o.label}</label>
    <input
      id=${o.id}
      type="search"
      .value=${o.value}
      @input=${(e: Event) => o.onInput((e.target as HTMLInputElement).value)}
    />
  </div>`;
}

/** A choice of one value, or of `all` (the value ''). */
export function selectField<V extends string>(o: {
  id: string;
  label: string;
  all: string;
  options: readonly { value: V; label: string }[];
  value: V | '';
  onChange: (value: V | '') => void;
}) {
  return html`<div class="field">
    <label for=${o.id}>${o.label}</label>
    <select
      id=${o.id}
      @change=${(e: Event) => o.onChange((e.target as HTMLSelectElement).value as V | '')}
    >
      <option value="" ?selected=${o.value === ''}>${o.all}</option>
      ${o.options.map(
        (opt) =>
          html`<option value=${opt.value} ?selected=${opt.value === o.value}>${opt.label}</option>`,
      )}
    </select>
  </div>`;
}

/**
 * A list view's frame: its heading, its filters, why the last row action failed, the page (busy
 * while it loads), and a polite live region that announces what an action changed.
 */
export function listSection(o: {
  heading: string;
  pending: boolean;
  toolbar: unknown;
  actionError: string;
  page: unknown;
  announcement: string;
}) {
  return html`<section aria-labelledby="heading" aria-busy=${String(o.pending)}>
    <h2 id="heading" tabindex="-1">${o.heading}</h2>
    ${o.toolbar}
    ${o.actionError ? html`<p class="error" role="alert">${o.actionError}</p>` : nothing} ${o.page}
    <div class="visually-hidden" role="status" aria-live="polite">${o.announcement}</div>
  </section>`;
}
