import { html, type TemplateResult } from 'lit';
import { AdminApiError } from '../api/admin-client.js';

/** What a view shows while its data loads: `Loading handoffs…`. */
export const loadingState = (what: string): TemplateResult =>
  html`<p part="state" class="state">Loading ${what}…</p>`;

/** What a view shows when its data could not be loaded, with the API's own reason when it gave one. */
export const loadFailedState = (what: string, err: unknown): TemplateResult =>
  html`<p part="state" class="state state--error" role="alert">
    The ${what} could not be loaded:
    ${err instanceof AdminApiError ? err.message : 'unexpected error'}.
  </p>`;
