import { html } from 'lit';

/** What the page is, where the rest of c2m is, and the journey to walk. */
export const demoIntro = html`<p>
    A caller waits in the IVR queue and presses a key; the IVR asks c2m whether the caller can be
    reached by messaging (<strong>eligibility</strong>) and has c2m send the first message
    (<strong>invite</strong>). The consumer's reply becomes a conversation the agent's widget
    follows live. Everything below runs on the sandbox channel: no message leaves this machine.
  </p>
  <nav aria-label="c2m links">
    <ul class="links">
      <li><a href="/docs/api">API reference</a></li>
      <li><a href="/openapi.json">OpenAPI document</a></li>
      <li><a href="/admin">Admin sign-in</a></li>
      <li><a href="/healthz">/healthz</a></li>
      <li><a href="/readyz">/readyz</a></li>
    </ul>
  </nav>
  <details class="walkthrough">
    <summary>Walk the journey</summary>
    <ol>
      <li>
        IVR simulator: pick a handoff and a skill, type the caller's mobile number, press
        <em>Check eligibility</em>: the answer lists every channel with its reason.
      </li>
      <li>
        Press <em>Invite</em>: the message arrives on the phone, and the agent's widget shows it
        sent, then delivered.
      </li>
      <li>
        On the phone, mark it read, type a reply and send it: the widget shows
        <em>Replied</em> and the conversation, live.
      </li>
      <li>
        Send <em>STOP</em> from the phone, then check eligibility again: refused,
        <code>opted_out</code>.
      </li>
    </ol>
    <p>
      Numbers ending in 0000 to 0004 act out provider answers (unreachable, not on WhatsApp,
      WhatsApp refused, transient failure, SMS refused); any other ending just works.
    </p>
  </details>`;
