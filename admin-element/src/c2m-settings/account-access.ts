import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import type { AccountSettings } from '../api/admin-client.js';

// The settings page's section for what was once the CLI's alone: the origins that may embed the
// admin element (its CORS allow-list) and the receipt time-out. Kept apart from c2m-settings.ts,
// which reads the draft's two texts here and sends what `accessInput` makes of them.

/** The section's form text; absent when the server (or a host's client) answers no such field. */
export interface AccessDraft {
  /** One origin per line. */
  originsText?: string;
  receiptTimeoutText?: string;
}

export function accessDraftOf(s: AccountSettings): AccessDraft {
  return {
    ...(s.allowedOrigins && { originsText: s.allowedOrigins.join('\n') }),
    ...(s.receiptTimeoutHours !== undefined && {
      receiptTimeoutText: String(s.receiptTimeoutHours),
    }),
  };
}

/** What the section adds to the settings input: only the fields the page shows. */
export function accessInput(d: AccessDraft): {
  allowedOrigins?: string[];
  receiptTimeoutHours?: number;
} {
  return {
    ...(d.originsText !== undefined && {
      allowedOrigins: d.originsText
        .split('\n')
        .map((o) => o.trim())
        .filter(Boolean),
    }),
    ...(d.receiptTimeoutText !== undefined && {
      receiptTimeoutHours: /^\s*\d+\s*$/.test(d.receiptTimeoutText)
        ? Number(d.receiptTimeoutText)
        : Number.NaN,
    }),
  };
}

/** The section's errors, by the keys its fields show them under (one origin's by its line). */
export function accessErrors(errors: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, rule] of Object.entries(errors)) {
    const line = /^allowedOrigins\.(\d+)$/.exec(key);
    if (line) out.allowedOrigins ??= msg(str`line ${Number(line[1]) + 1}: ${rule}`);
    else if (key === 'receiptTimeoutHours') {
      out.receiptTimeoutHours = msg('must be a whole number from 0 to 720');
    } else out[key] = rule;
  }
  return out;
}

/** What the section needs of the settings element. */
export interface AccessView {
  editable: boolean;
  error(key: string): unknown;
  aria(key: string, hint?: string): { invalid: string; describedBy: unknown };
  edit(patch: AccessDraft, field: string): void;
}

export function renderAccess(d: AccessDraft, v: AccessView) {
  if (d.originsText === undefined && d.receiptTimeoutText === undefined) return nothing;
  const origins = v.aria('allowedOrigins', 'allowedOrigins-hint');
  const timeout = v.aria('receiptTimeoutHours', 'receiptTimeoutHours-hint');
  return html`<fieldset class="group" ?disabled=${!v.editable}>
    <legend>${msg('Embedding and delivery')}</legend>
    ${
      d.originsText === undefined
        ? nothing
        : html`<div class="field">
            <label for="allowedOrigins">${msg('Sites that may embed C2M administration')}</label>
            <textarea
              id="allowedOrigins"
              spellcheck="false"
              autocomplete="off"
              .value=${d.originsText}
              aria-invalid=${origins.invalid}
              aria-describedby=${origins.describedBy}
              @input=${(e: Event) =>
                v.edit({ originsText: (e.target as HTMLTextAreaElement).value }, 'allowedOrigins')}
            ></textarea>
            <p class="hint" id="allowedOrigins-hint">
              ${msg(
                'One origin per line, like https://portal.example.com (no path). Only these pages may call the admin API from a browser; at most 20.',
              )}
            </p>
            ${v.error('allowedOrigins')}
          </div>`
    }
    ${
      d.receiptTimeoutText === undefined
        ? nothing
        : html`<div class="field">
            <label for="receiptTimeoutHours">${msg('Receipt time-out (hours)')}</label>
            <input
              id="receiptTimeoutHours"
              type="number"
              inputmode="numeric"
              min="0"
              max="720"
              .value=${d.receiptTimeoutText}
              aria-invalid=${timeout.invalid}
              aria-describedby=${timeout.describedBy}
              @input=${(e: Event) =>
                v.edit(
                  { receiptTimeoutText: (e.target as HTMLInputElement).value },
                  'receiptTimeoutHours',
                )}
            />
            <p class="hint" id="receiptTimeoutHours-hint">
              ${msg(
                'A message with no delivery receipt after this many hours counts as failed (0–720).',
              )}
            </p>
            ${v.error('receiptTimeoutHours')}
          </div>`
    }
  </fieldset>`;
}
