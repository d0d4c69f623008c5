// The demo page at `/`: an IVR simulator, the consumer's sandbox phone, the agent's
// <c2m-cx-widget> following that consumer, and <c2m-admin> for the demo account. It talks to
// c2m's /demo routes only (demo on, this start's key): no credential of the account reaches it,
// just short admin and agent sessions, refreshed before they expire.
/* global document, location, history, customElements */

const POLL_MS = 1000;
/** Fetch fresh sessions this long before the current ones expire. */
const REFRESH_AHEAD_MS = 60_000;
const E164 = /^\+[1-9]\d{1,14}$/;

const CHANNELS = {
  sms: 'SMS',
  wa: 'WhatsApp',
  inapp: 'In-app',
  apple: 'Apple Messages',
  rcs: 'RCS',
};
const REASONS = {
  eligible: 'can be used',
  disabled_for_account: 'switched off for the account',
  disabled_for_handoff: 'switched off in this handoff',
  consumer_id_required: 'needs the app user id',
  landline: 'the number is a landline',
  not_reachable: 'the provider cannot reach this number',
  opted_out: 'the number sent STOP',
  open_conversation: 'a conversation is already open',
  frequency_cap: 'invited too often in the last hour',
};

const $ = (id) => document.getElementById(id);
const channelLabel = (name) => CHANNELS[name] ?? name;

/** An element with text content and attributes; never HTML from data. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === 'class') node.className = value;
    else node.setAttribute(key, value);
  }
  node.append(...children.filter((c) => c !== undefined && c !== null));
  return node;
}

/**
 * This start's demo key, from the `#demo=` fragment of the URL c2m printed (a fragment never
 * reaches a server or its logs). Kept for this tab so a reload works, and taken out of the
 * address bar so it is not shared with a screenshot or a copied link.
 */
function demoKey() {
  const given = /^#demo=([A-Za-z0-9_-]+)$/.exec(location.hash)?.[1];
  if (given) {
    sessionStorage.setItem('c2m-demo-key', given);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem('c2m-demo-key') ?? '';
}
const DEMO_KEY = demoKey();

/** A /demo call; c2m's `{errorCode, errorMessage}` becomes the thrown message. */
async function api(path, body) {
  const res = await fetch(path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      'X-C2M-Demo-Key': DEMO_KEY,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await res.json().catch(() => ({}));
  if (!res.ok) {
    const code = answer.errorCode ? `${answer.errorCode}: ` : '';
    const error = new Error(`${code}${answer.errorMessage ?? `HTTP ${res.status}`}`);
    error.status = res.status;
    throw error;
  }
  return answer;
}

const state = {
  context: undefined,
  refreshTimer: undefined,
  /** The last eligibility answer, while it can still be invited. */
  callId: undefined,
  /** The number (and app user id) the phone and the widget follow. */
  phone: undefined,
  consumerId: undefined,
  /** The phone's messages as last rendered, to render and announce only what changed. */
  shown: '',
  seen: new Set(),
  pollTimer: undefined,
};

// ---- context and sessions ------------------------------------------------------------------

async function loadContext() {
  const context = await api('/demo/context');
  state.context = context;
  $('account-name').textContent = `· ${context.accountName} (account ${context.accountId})`;
  fillSelect(
    $('handoff'),
    context.handoffs.map((h) => [h.id, `${h.title} — ${h.channels.map(channelLabel).join(', ')}`]),
  );
  fillSelect(
    $('skill'),
    context.skills.map((s) => [s, s]),
  );

  const widget = $('widget');
  widget.setAttribute('api-base', location.origin);
  widget.setAttribute('account-id', context.accountId);
  widget.token = context.sessions.agent.token;

  const admin = $('admin');
  admin.setAttribute('api-base', location.origin);
  admin.setAttribute('account-id', context.accountId);
  admin.tokenProvider ??= async () => {
    if (Date.parse(state.context.sessions.admin.expiresAt) - Date.now() < REFRESH_AHEAD_MS) {
      await loadContext();
    }
    return state.context.sessions.admin.token;
  };

  clearTimeout(state.refreshTimer);
  const expires = Date.parse(context.sessions.agent.expiresAt);
  state.refreshTimer = setTimeout(
    () => void loadContext().catch(showUnavailable),
    Math.max(5_000, expires - Date.now() - REFRESH_AHEAD_MS),
  );
}

/** Replaces a select's options, keeping the chosen one when it is still there. */
function fillSelect(select, options) {
  const chosen = select.value;
  select.replaceChildren(...options.map(([value, label]) => el('option', { value }, label)));
  if (options.some(([value]) => value === chosen)) select.value = chosen;
}

function showUnavailable(err) {
  const notice = $('unavailable');
  notice.hidden = false;
  notice.textContent =
    err.status === 404
      ? 'The demo is not available here. It runs when c2m listens on this machine only ' +
        '(HOST=127.0.0.1, the default) or starts with C2M_DEMO=1, and is opened from the URL ' +
        'c2m printed at start-up. The API reference and the admin sign-in above work everywhere.' +
        (/Not Found$/.test(err.message) ? '' : ` (${err.message})`)
      : err.status === 401
        ? 'Open the demo from the URL c2m printed at start-up (…/#demo=…): each start makes a ' +
          'new demo key, so a page opened before a restart or without it cannot use the demo.'
        : `The demo could not load: ${err.message}`;
  $('demo').hidden = true;
}

// ---- IVR simulator ---------------------------------------------------------------------------

function eligibilityRequest() {
  const request = {
    skill: $('skill').value,
    consumerPhoneNumber: $('phone').value.trim(),
    handoffId: $('handoff').value,
  };
  const firstName = $('first-name').value.trim();
  const consumerId = $('consumer-id').value.trim();
  if (firstName) request.templateVariables = { 1: firstName };
  if (consumerId) request.consumerId = consumerId;
  return request;
}

async function checkEligibility(event) {
  event.preventDefault();
  $('ivr-error').textContent = '';
  $('invite-status').textContent = '';
  $('invite').disabled = true;
  state.callId = undefined;
  const request = eligibilityRequest();
  follow(request.consumerPhoneNumber, request.consumerId);
  try {
    const answer = await api('/demo/ivr/eligibility', request);
    renderEligibility(answer);
    if (answer.eligible) {
      state.callId = answer.callId;
      $('invite').disabled = false;
    }
  } catch (err) {
    $('verdict').replaceChildren();
    $('eligibility-details').replaceChildren();
    $('ivr-error').textContent = `Eligibility refused the request: ${err.message}`;
  }
}

function renderEligibility(answer) {
  const verdict = $('verdict');
  verdict.className = `verdict verdict--${answer.eligible ? 'yes' : 'no'}`;
  // the visible verdict, and for screen readers each channel's answer with it
  verdict.replaceChildren(
    answer.eligible
      ? `Eligible — recommended channel: ${channelLabel(answer.recommendedChannelName)}`
      : 'Not eligible',
    el(
      'span',
      { class: 'visually-hidden' },
      `. ${answer.channels.map((c) => `${channelLabel(c.name)}: ${c.reason}`).join(', ')}.`,
    ),
  );
  const rows = answer.channels.map((c) =>
    el(
      'tr',
      {},
      el('td', {}, channelLabel(c.name)),
      el('td', { class: c.eligible ? 'yes' : 'no' }, c.eligible ? 'yes' : 'no'),
      el('td', {}, el('code', {}, c.reason), ` ${REASONS[c.reason] ?? ''}`),
    ),
  );
  $('eligibility-details').replaceChildren(
    el(
      'table',
      {},
      el('caption', { class: 'visually-hidden' }, 'Channels of the handoff, in priority order'),
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', { scope: 'col' }, 'Channel'),
          el('th', { scope: 'col' }, 'Eligible'),
          el('th', { scope: 'col' }, 'Reason'),
        ),
      ),
      el('tbody', {}, ...rows),
    ),
    el('p', { class: 'call-id' }, `callId ${answer.callId}`),
    el(
      'details',
      {},
      el('summary', {}, 'The API answer'),
      el('pre', {}, JSON.stringify(answer, null, 2)),
    ),
  );
}

async function sendInvite() {
  if (!state.callId) return;
  $('ivr-error').textContent = '';
  $('invite').disabled = true;
  try {
    const answer = await api('/demo/ivr/invite', { callId: state.callId });
    $('invite-status').textContent = `Invited: the message is on its way (callId ${answer.callId})`;
    state.callId = undefined;
    void pollPhone();
  } catch (err) {
    $('ivr-error').textContent = `Invite refused: ${err.message}`;
    $('invite').disabled = false;
  }
}

// ---- the consumer's phone and the widget follow one consumer ---------------------------------

function follow(phone, consumerId) {
  if (!E164.test(phone)) return;
  const changed = phone !== state.phone || consumerId !== state.consumerId;
  state.phone = phone;
  state.consumerId = consumerId;
  $('phone-number').textContent = phone;
  const widget = $('widget');
  if (widget.getAttribute('consumer-phone-number') !== phone) {
    widget.setAttribute('consumer-phone-number', phone);
  }
  if (consumerId) widget.setAttribute('consumer-id', consumerId);
  else widget.removeAttribute('consumer-id');
  if (changed) {
    state.shown = '';
    state.seen = new Set();
    $('phone-messages').replaceChildren();
    void pollPhone();
  }
}

function phoneQuery() {
  const query = new URLSearchParams({ address: state.phone });
  if (state.consumerId) query.set('consumerId', state.consumerId);
  return query;
}

async function pollPhone() {
  if (!state.phone) return;
  const following = state.phone;
  try {
    const { messages } = await api(`/demo/phone/messages?${phoneQuery()}`);
    if (following === state.phone) renderPhone(messages);
  } catch (err) {
    $('phone-error').textContent = `The phone lost c2m: ${err.message}`;
  }
}

function renderPhone(newestFirst) {
  const key = JSON.stringify(newestFirst.map((m) => [m.id, m.status]));
  if (key === state.shown) return;
  const first = state.shown === '';
  state.shown = key;
  $('phone-error').textContent = '';
  const messages = [...newestFirst].reverse();
  $('phone-empty').hidden = messages.length > 0;
  $('phone-messages').replaceChildren(...messages.map(renderBubble));
  const fresh = messages.filter((m) => m.direction === 'outbound' && !state.seen.has(m.id));
  for (const m of messages) state.seen.add(m.id);
  // what is on the phone when it is first shown is not news; what arrives afterwards is
  if (!first && fresh.length > 0) {
    const last = fresh.at(-1);
    $('phone-announcer').textContent = `New ${channelLabel(last.channel)} message: ${last.text}`;
  }
  const thread = $('phone-messages');
  thread.scrollTop = thread.scrollHeight;
}

function renderBubble(m) {
  const inbound = m.direction === 'inbound';
  const time = new Date(m.createdAt).toLocaleTimeString();
  const meta = inbound
    ? `You · ${channelLabel(m.channel)} · ${time}`
    : `${channelLabel(m.channel)} · ${time} · ${m.status}${m.errorCode ? ` (${m.errorCode})` : ''}`;
  const markRead =
    !inbound && (m.status === 'delivered' || m.status === 'sent')
      ? el(
          'button',
          { type: 'button', 'data-read': m.id, 'aria-label': `Mark “${m.text.slice(0, 40)}” read` },
          'Mark read',
        )
      : undefined;
  return el(
    'li',
    {
      class: `bubble bubble--${m.direction}`,
      'data-direction': m.direction,
      'data-status': m.status,
    },
    el('span', { class: 'visually-hidden' }, inbound ? 'You: ' : 'Received: '),
    el('p', { class: 'bubble__text' }, m.text),
    el('p', { class: 'bubble__meta' }, meta, markRead),
  );
}

async function reply(text) {
  $('phone-error').textContent = '';
  if (!state.phone) {
    $('phone-error').textContent = 'Type the caller’s number in the IVR simulator first.';
    return false;
  }
  try {
    // a reply goes back on the channel of the last message c2m sent, from the address it went to
    const { messages } = await api(`/demo/phone/messages?${phoneQuery()}`);
    const last = messages.find((m) => m.direction === 'outbound');
    const body = { from: last?.to ?? state.phone, channel: last?.channel ?? 'sms', text };
    await api('/demo/phone/inbound', body);
    await pollPhone();
    return true;
  } catch (err) {
    $('phone-error').textContent = `The message was not sent: ${err.message}`;
    return false;
  }
}

async function sendReply(event) {
  event.preventDefault();
  const input = $('reply-text');
  const text = input.value.trim();
  if (!text) {
    $('phone-error').textContent = 'Type a reply first.';
    input.focus();
    return;
  }
  if (await reply(text)) input.value = '';
}

async function markRead(event) {
  const id = event.target.closest('button[data-read]')?.dataset.read;
  if (!id) return;
  try {
    await api(`/demo/phone/messages/${encodeURIComponent(id)}/status`, { status: 'read' });
    await pollPhone();
  } catch (err) {
    $('phone-error').textContent = `Could not mark it read: ${err.message}`;
  }
}

function schedulePoll() {
  clearTimeout(state.pollTimer);
  if (document.visibilityState !== 'visible') return;
  state.pollTimer = setTimeout(async () => {
    await pollPhone();
    schedulePoll();
  }, POLL_MS);
}

// ---- start -----------------------------------------------------------------------------------

async function start() {
  try {
    await Promise.all([
      customElements.whenDefined('c2m-cx-widget'),
      customElements.whenDefined('c2m-admin'),
    ]);
    await loadContext();
  } catch (err) {
    showUnavailable(err);
    return;
  }
  $('demo').hidden = false;
  $('ivr-form').addEventListener('submit', (e) => void checkEligibility(e));
  $('invite').addEventListener('click', () => void sendInvite());
  $('phone').addEventListener('change', () =>
    follow($('phone').value.trim(), $('consumer-id').value.trim() || undefined),
  );
  $('reply-form').addEventListener('submit', (e) => void sendReply(e));
  $('stop').addEventListener('click', () => void reply('STOP'));
  $('phone-messages').addEventListener('click', (e) => void markRead(e));
  // handoffs created, changed or deleted in the admin element show up in the simulator
  for (const type of ['c2m-handoff-saved', 'c2m-handoff-deleted']) {
    $('admin').addEventListener(type, () => void loadContext().catch(showUnavailable));
  }
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void pollPhone();
    schedulePoll();
  });
  follow($('phone').value.trim(), undefined);
  schedulePoll();
}

void start();
