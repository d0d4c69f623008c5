import { LitElement, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { locale } from '../locale.js';

/** A count in the shown language's digits, ungrouped like the limits people know (1600). */
const digits = (n: number) => locale.number(n, { useGrouping: false });
import { SMS_GUIDANCE, SMS_MAX, smsWithOptOut } from '../../../backend/contract/sms.js';
import { countSms, type SmsCount } from './sms-segments.js';
import styles from './c2m-sms-counter.styles.js';

/** `ok` within the guidance, `warning` past 140 characters, `error` past the 1600 maximum. */
export type SmsCountLevel = 'ok' | 'warning' | 'error';

/**
 * A live count of an SMS as the consumer will receive it: the message plus the opt-out text, its
 * characters, its encoding (GSM-7 or UCS-2) and how many segments it is sent as. Past the
 * recommended 140 characters it warns; past 1600 (opt-out text included) it reports an error.
 * Point a textarea's `aria-describedby` at it; only the warning and the error are announced.
 *
 * @summary Character and SMS-segment counter for a message and its opt-out text.
 *
 * @csspart base - The list of counts.
 * @csspart characters - The character count.
 * @csspart segments - The number of SMS segments.
 * @csspart encoding - GSM-7 or UCS-2.
 * @csspart notice - The warning or error line (also `warning` or `error`).
 *
 * @cssprop [--c2m-color-muted=#595959] - The counts.
 * @cssprop [--c2m-color-warning=#7a4b00] - The 140-character warning.
 * @cssprop [--c2m-color-danger=#b3261e] - The 1600-character error.
 */
@localized()
export class C2mSmsCounter extends LitElement {
  static override styles = styles;

  /** The message as typed. */
  @property() text = '';

  /** The opt-out line appended to the message (unless the message already contains it). */
  @property({ attribute: 'opt-out-text' }) optOutText = '';

  /** The full text the consumer receives. */
  get sentText(): string {
    return smsWithOptOut(this.text, this.optOutText);
  }

  get count(): SmsCount {
    return countSms(this.sentText);
  }

  get level(): SmsCountLevel {
    const { characters } = this.count;
    return characters > SMS_MAX ? 'error' : characters > SMS_GUIDANCE ? 'warning' : 'ok';
  }

  private notice(count: SmsCount) {
    if (count.characters > SMS_MAX) {
      const max = digits(SMS_MAX);
      const over = digits(count.characters - SMS_MAX);
      return msg(
        str`Too long: at most ${max} characters including the opt-out text (${over} over).`,
      );
    }
    if (count.characters > SMS_GUIDANCE) {
      const guidance = digits(SMS_GUIDANCE);
      return msg(
        str`Longer than the recommended ${guidance} characters: keep the message short so it reads well on a phone.`,
      );
    }
    return '';
  }

  override render() {
    const count = this.count;
    const level = this.level;
    const n = digits(count.segments);
    const segments = count.segments === 1 ? msg('1 SMS segment') : msg(str`${n} SMS segments`);
    return html`<ul part="base" class="counter">
        <li part="characters">
          <strong>${digits(count.characters)}</strong> / ${msg(str`${digits(SMS_MAX)} characters`)}
        </li>
        <li part="segments">${segments}</li>
        <li part="encoding">
          ${count.encoding}${
            count.firstNonGsm
              ? html`<span class="visually-hidden">, </span>
                  ${msg(str`because of “${count.firstNonGsm}”`)}`
              : nothing
          }
        </li>
        ${this.optOutText ? html`<li part="opt-out">${msg('opt-out text included')}</li>` : nothing}
      </ul>
      <p
        role="status"
        part=${level === 'ok' ? 'notice' : `notice ${level}`}
        class="notice notice--${level}"
      >
        ${this.notice(count)}
      </p>`;
  }
}

if (!customElements.get('c2m-sms-counter')) customElements.define('c2m-sms-counter', C2mSmsCounter);

declare global {
  interface HTMLElementTagNameMap {
    'c2m-sms-counter': C2mSmsCounter;
  }
}
