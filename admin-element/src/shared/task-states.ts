import { html, type TemplateResult } from 'lit';
import { msg, str } from '@lit/localize';
import type { StatusRenderer } from '@lit/task';
import { AdminApiError } from '../api/admin-client.js';

// `what` is a plural noun in the shown language, lower case: msg('handoffs').

/** What a view shows while its data loads: `Loading handoffs…`. */
export const loadingState = (what: string): TemplateResult =>
  html`<p part="state" class="state">${msg(str`Loading ${what}…`)}</p>`;

/** What a view shows when its data could not be loaded, with the API's own reason when it gave one. */
export const loadFailedState = (what: string, err: unknown): TemplateResult =>
  html`<p part="state" class="state state--error" role="alert">
    ${msg(
      str`The ${what} could not be loaded: ${err instanceof AdminApiError ? err.message : msg('unexpected error')}.`,
    )}
  </p>`;

/** What a view shows without a session to load with. */
export const notConnectedState = (): TemplateResult =>
  html`<p part="state" class="state">${msg('Not connected to C2M.')}</p>`;

/**
 * A view's load as it goes: loading, then `show` of the answer (a load without a session answers
 * `undefined`), or why it failed. While it loads again the last answer stays up, so a reload
 * does not flicker.
 */
export function loadView<T>(
  task: { value?: T | undefined; render(renderer: StatusRenderer<T | undefined>): unknown },
  what: string,
  show: (value: T) => unknown,
) {
  const answer = (value: T | undefined) =>
    value === undefined ? notConnectedState() : show(value);
  return task.render({
    initial: () => loadingState(what),
    pending: () => (task.value === undefined ? loadingState(what) : answer(task.value)),
    complete: answer,
    error: (err) => loadFailedState(what, err),
  });
}
