import { html, nothing } from 'lit';
import { msg } from '@lit/localize';
import { sentence } from '../shared/field-errors.js';
import type { Draft } from './handoff-draft.js';

function fieldError(errors: Record<string, string>, key: string, id: string) {
  const rule = errors[key];
  return rule ? html`<p id=${id} part="error" class="error">${sentence(rule)}</p>` : nothing;
}

/** Step 1 of the handoff editor: the title, the generated id, the lookback and the active flag. */
export function renderDetailsStep({
  draft: d,
  errors,
  id,
  edit,
}: {
  draft: Draft;
  errors: Record<string, string>;
  id: string | undefined;
  /** Applies a change; `fields` are the keys whose server errors it makes stale. */
  edit: (patch: Partial<Draft>, ...fields: string[]) => void;
}) {
  const lookbackKeys = ['lookback', 'lookback.days', 'lookback.hours'];
  const lookbackError = lookbackKeys.some((k) => errors[k]);
  const described = (key: string, ...ids: string[]) =>
    [...ids, ...(errors[key] ? [`${key.replace('.', '-')}-error`] : [])].join(' ') || nothing;
  return html`<div class="field">
      <label for="title">${msg('Title')}</label>
      <input
        id="title"
        part="title"
        type="text"
        maxlength="100"
        required
        autocomplete="off"
        .value=${d.title}
        aria-invalid=${errors.title ? 'true' : 'false'}
        aria-describedby=${described('title', 'title-hint')}
        @input=${(e: Event) => edit({ title: (e.target as HTMLInputElement).value }, 'title')}
      />
      <p class="hint" id="title-hint">${msg('Unique in the account; < and > are not allowed.')}</p>
      ${fieldError(errors, 'title', 'title-error')}
    </div>
    <p class="hint">
      ${
        id
          ? html`${msg('ID')}: <strong>${id}</strong> ${msg("(use it in the IVR's API calls)")}`
          : msg('C2M generates the ID when you save.')
      }
    </p>
    <fieldset aria-describedby=${described('lookback', 'lookback-hint')}>
      <legend>${msg('Lookback period')}</legend>
      <p class="hint" id="lookback-hint">
        ${msg(
          'Replies within this period go to the skill the IVR named; later ones to the default skill. From 1 hour to 30 days.',
        )}
      </p>
      <div class="lookback">
        ${(['days', 'hours'] as const).map(
          (unit) =>
            html`<div class="field">
              <label for=${unit}>${unit === 'days' ? msg('Days') : msg('Hours')}</label>
              <input
                id=${unit}
                type="text"
                inputmode="numeric"
                autocomplete="off"
                .value=${d[unit]}
                aria-invalid=${errors[`lookback.${unit}`] || lookbackError ? 'true' : 'false'}
                aria-describedby=${described(`lookback.${unit}`)}
                @input=${(e: Event) =>
                  edit({ [unit]: (e.target as HTMLInputElement).value }, 'lookback')}
              />
              ${fieldError(errors, `lookback.${unit}`, `lookback-${unit}-error`)}
            </div>`,
        )}
      </div>
      ${fieldError(errors, 'lookback', 'lookback-error')}
    </fieldset>
    <div class="field">
      <span>
        <input
          type="checkbox"
          id="active"
          .checked=${d.active}
          @change=${(e: Event) => edit({ active: (e.target as HTMLInputElement).checked })}
        />
        <label for="active">${msg('Active: the IVR may use this handoff')}</label>
      </span>
    </div>`;
}
