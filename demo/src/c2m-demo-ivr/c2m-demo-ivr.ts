import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { channelLabels } from '../../../backend/contract/channels.js';
import type {
  EligibilityRequest,
  EligibilityResponse,
} from '../../../backend/contract/deflection.js';
import type { DemoHandoff } from '../../../backend/contract/demo.js';
import { isE164 } from '../../../backend/contract/phone.js';
import { describeError, type DemoApi } from '../demo-api.js';
import { C2mDemoCallerChangedEvent, C2mDemoInvitedEvent } from '../events.js';
import { reasonLabels } from '../labels.js';
import styles from './c2m-demo-ivr.styles.js';

/**
 * The IVR simulator: a handoff, a skill and the caller's number go to c2m's eligibility check, which
 * answers with every channel of the handoff and its reason; an eligible call can then be invited.
 * The number typed here is the one the phone and the widget follow.
 *
 * @summary An IVR's eligibility check and invite, as the demo account.
 *
 * @fires c2m-demo-caller-changed - A valid caller's number was typed or checked.
 * @fires c2m-demo-invited - c2m accepted the invite.
 */
export class C2mDemoIvr extends LitElement {
  static override styles = styles;

  /** The demo's API; nothing is asked before it is set. */
  @property({ attribute: false }) api?: DemoApi;

  /** The handoffs to choose from; the chosen one stays chosen while it is listed. */
  @property({ attribute: false }) handoffs: DemoHandoff[] = [];

  /** The skills to choose from. */
  @property({ attribute: false }) skills: string[] = [];

  /** The caller's number the form starts with. */
  @property({ attribute: 'phone-number' }) phoneNumber = '';

  @state() private answer?: EligibilityResponse;
  /** The last eligible answer's callId, until it is invited. */
  @state() private callId?: string;
  @state() private invited = '';
  @state() private error = '';

  private get form(): HTMLFormElement {
    return this.renderRoot.querySelector('form')!;
  }

  private request(): EligibilityRequest {
    const data = new FormData(this.form);
    const field = (name: string) => {
      const value = data.get(name);
      return typeof value === 'string' ? value.trim() : '';
    };
    const request: EligibilityRequest = {
      skill: field('skill'),
      consumerPhoneNumber: field('consumerPhoneNumber'),
      handoffId: field('handoffId'),
    };
    const firstName = field('firstName');
    const consumerId = field('consumerId');
    if (firstName) request.templateVariables = { 1: firstName };
    if (consumerId) request.consumerId = consumerId;
    return request;
  }

  private follow(phone: string, consumerId: string | undefined) {
    if (isE164(phone)) this.dispatchEvent(new C2mDemoCallerChangedEvent(phone, consumerId));
  }

  private async check(event: SubmitEvent) {
    event.preventDefault();
    if (!this.api) return;
    this.error = '';
    this.invited = '';
    this.callId = undefined;
    const request = this.request();
    this.follow(request.consumerPhoneNumber, request.consumerId);
    try {
      this.answer = await this.api.eligibility(request);
      if (this.answer.eligible) this.callId = this.answer.callId;
    } catch (err) {
      this.answer = undefined;
      this.error = `Eligibility refused the request: ${describeError(err)}`;
    }
  }

  private async invite() {
    const callId = this.callId;
    if (!callId || !this.api) return;
    this.error = '';
    this.callId = undefined;
    try {
      const answer = await this.api.invite(callId);
      this.invited = `Invited: the message is on its way (callId ${answer.callId})`;
      this.dispatchEvent(new C2mDemoInvitedEvent(answer.callId));
    } catch (err) {
      this.error = `Invite refused: ${describeError(err)}`;
      this.callId = callId;
    }
  }

  private phoneChanged() {
    const { consumerPhoneNumber, consumerId } = this.request();
    this.follow(consumerPhoneNumber, consumerId);
  }

  override render() {
    return html`<form novalidate @submit=${(e: SubmitEvent) => this.check(e)}>
        <label for="handoff">Handoff</label>
        <select id="handoff" name="handoffId" required>
          ${repeat(
            this.handoffs,
            (h) => h.id,
            (h) =>
              html`<option value=${h.id}>
                ${h.title} — ${h.channels.map((c) => channelLabels[c]).join(', ')}
              </option>`,
          )}
        </select>
        <label for="skill">Skill</label>
        <select id="skill" name="skill" required>
          ${repeat(
            this.skills,
            (s) => s,
            (s) => html`<option value=${s}>${s}</option>`,
          )}
        </select>
        <label for="phone">Caller's mobile number</label>
        <input
          id="phone"
          name="consumerPhoneNumber"
          type="tel"
          inputmode="tel"
          autocomplete="off"
          required
          value=${this.phoneNumber}
          aria-describedby="phone-hint"
          @change=${() => this.phoneChanged()}
        />
        <p id="phone-hint" class="hint">E.164, e.g. +14155550123.</p>
        <label for="first-name">Caller's first name <span class="muted">({{1}})</span></label>
        <input id="first-name" name="firstName" autocomplete="off" value="Ada" />
        <label for="consumer-id">App user id <span class="muted">(in-app only)</span></label>
        <input id="consumer-id" name="consumerId" autocomplete="off" />
        <div class="actions">
          <button id="check" type="submit">Check eligibility</button>
          <button id="invite" type="button" ?disabled=${!this.callId} @click=${() => this.invite()}>
            Invite
          </button>
        </div>
      </form>
      <div id="eligibility" class="answer">
        <p class="verdict ${this.verdictClass()}" role="status" aria-live="polite">
          ${this.answer ? this.renderVerdict(this.answer) : nothing}
        </p>
        ${this.answer ? this.renderDetails(this.answer) : nothing}
        <p class="verdict verdict--yes" role="status" aria-live="polite">${this.invited}</p>
      </div>
      <p class="error" role="alert">${this.error}</p>`;
  }

  private verdictClass() {
    if (!this.answer) return '';
    return this.answer.eligible ? 'verdict--yes' : 'verdict--no';
  }

  /** The visible verdict, and for screen readers each channel's answer with it. */
  private renderVerdict(answer: EligibilityResponse) {
    const verdict = answer.eligible
      ? `Eligible — recommended channel: ${
          answer.recommendedChannelName && channelLabels[answer.recommendedChannelName]
        }`
      : 'Not eligible';
    const channels = answer.channels.map((c) => `${channelLabels[c.name]}: ${c.reason}`);
    return html`${verdict}<span class="visually-hidden">. ${channels.join(', ')}.</span>`;
  }

  private renderDetails(answer: EligibilityResponse) {
    return html`<table>
        <caption class="visually-hidden">
          Channels of the handoff, in priority order
        </caption>
        <thead>
          <tr>
            <th scope="col">Channel</th>
            <th scope="col">Eligible</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          ${answer.channels.map(
            (c) =>
              html`<tr>
                <td>${channelLabels[c.name]}</td>
                <td class=${c.eligible ? 'yes' : 'no'}>${c.eligible ? 'yes' : 'no'}</td>
                <td><code>${c.reason}</code> ${reasonLabels[c.reason]}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      <p class="call-id">callId ${answer.callId}</p>
      <details>
        <summary>The API answer</summary>
        <pre>${JSON.stringify(answer, null, 2)}</pre>
      </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'c2m-demo-ivr': C2mDemoIvr;
  }
}
