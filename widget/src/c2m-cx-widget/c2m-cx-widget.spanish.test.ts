import '../test-helpers/cloneable-errors.js';
import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import { OutboundMessageView } from '../../../backend/contract/outbound.js';
import { channelLabels } from '../../../backend/contract/channels.js';
import '../index.js';
import { locale } from '../locale.js';
import {
  cataloguePatterns,
  shownTexts,
  stringsOf,
  untranslated,
} from '../../../l10n/untranslated.js';
import type { C2mCxWidget, CxWidgetState } from './c2m-cx-widget.js';

// <c2m-cx-widget> in Spanish: its lang picks the widget bundle's language, and nothing English is
// left in any of its states: each way it can be without data, an empty list, and a list with every
// part a message can show (statuses on and off the path, call context, conversation, the
// announcement of a status change), rendered once in English and once in Spanish, axe-clean.

const NOW = Date.parse('2026-11-23T12:00:00.000Z');
const hoursAgo = (hours: number) => new Date(NOW - hours * 3600_000).toISOString();

function message(id: string, overrides: Partial<OutboundMessageView> = {}) {
  const at = hoursAgo(2);
  return OutboundMessageView.parse({
    id,
    callId: `call-${id}`,
    channel: 'sms',
    text: `Hola, continúe aquí (${id}).`,
    handoffId: 'billing',
    handoffTitle: 'Facturación',
    skill: 'billing-messaging',
    ivrNumber: '+14155550100',
    consumerPhoneNumber: '+14155550123',
    consumerId: null,
    status: 'sent',
    statusHistory: [{ status: 'sent', at }],
    failureReason: null,
    sentAt: at,
    createdAt: at,
    sdes: [],
    ...overrides,
  });
}

const SDES = [
  { type: 'personal', info: { firstname: 'Ana', lastname: 'Ruiz', gender: 'F', language: 'es' } },
  {
    type: 'ctmrinfo',
    info: {
      customerId: 'C-1042',
      cstatus: 'oro',
      ctype: 'vip',
      balance: 12,
      companyBranch: 'Norte',
    },
  },
  { type: 'custom', info: { company: 'Acme' } },
];

const MESSAGES = [
  message('failed', {
    status: 'failed',
    statusHistory: [
      { status: 'sent', at: hoursAgo(2) },
      { status: 'failed', at: hoursAgo(2) },
    ],
    failureReason: 'unreachable',
  }),
  message('skipped', { status: 'skipped', failureReason: null, sentAt: null }),
  message('queued', { status: 'queued', statusHistory: [], sentAt: null, ivrNumber: null }),
  message('context', {
    channel: 'inapp',
    status: 'replied',
    sdes: SDES,
    conversation: { id: 'conv-77', channel: 'inapp', openedAt: hoursAgo(1), status: 'open' },
  }),
  message('sandbox', { channel: 'sandbox', status: 'delivered' }),
];

/** What the messages say as they are in any language: texts, titles, ids, the SDE values. */
const DATA = [...stringsOf(MESSAGES), 'Ana Ruiz', '12'];

type Scene = { state: CxWidgetState; messages?: OutboundMessageView[]; maxAgeDays?: number };

/** Every state, the empty list for one day and for thirty, and the full list. */
const SCENES: Scene[] = [
  ...(['loading', 'error', 'unauthorized', 'expired', 'revoked', 'offline'] as const).map(
    (state) => ({ state }),
  ),
  { state: 'ready', messages: [], maxAgeDays: 1 },
  { state: 'ready', messages: [] },
  { state: 'ready', messages: MESSAGES },
];

async function show(lang: string, scene: Scene) {
  const el = await fixture<C2mCxWidget>(
    html`<c2m-cx-widget
      lang=${lang}
      .state=${scene.state}
      .messages=${scene.messages ?? []}
      .maxAgeDays=${scene.maxAgeDays ?? 30}
      .now=${NOW}
    ></c2m-cx-widget>`,
  );
  await locale.settled();
  expect(locale.locale).to.equal(lang);
  if (scene.messages?.length) {
    // a status that moves is announced in the live region
    el.messages = scene.messages.map((m) =>
      m.id === 'sandbox'
        ? {
            ...m,
            status: 'read',
            statusHistory: [...m.statusHistory, { status: 'read', at: hoursAgo(0) }],
          }
        : m,
    );
    await el.updateComplete;
  }
  return el;
}

/** Each scene in `lang`: the texts shown, merged by element; `check` runs on each. */
async function tour(lang: string, check?: (el: C2mCxWidget) => Promise<void>) {
  const texts = new Map<string, Set<string>>();
  for (const scene of SCENES) {
    const el = await show(lang, scene);
    for (const [tag, set] of shownTexts(el)) {
      texts.set(tag, new Set([...(texts.get(tag) ?? []), ...set]));
    }
    await check?.(el);
    fixtureCleanup();
  }
  return texts;
}

describe('c2m-cx-widget in Spanish', () => {
  it('takes its language from its lang attribute, and shows every state in Spanish with no English left, axe-clean', async () => {
    const english = await tour('en');
    const spanish = await tour('es', async (el) => {
      expect(el.shadowRoot!.querySelector('[part="base"]')!.getAttribute('lang')).to.equal('es');
      await expect(el).to.be.accessible();
    });
    // the scenes really showed what they are for
    expect(english.get('c2m-cx-widget')).to.include.keys(
      'Session expired — sign in again to see the outbound messages.',
      'No outbound messages in the last day.',
      'Call context',
      'Customer ID',
      'Sandbox message: Read',
    );
    expect(spanish.get('c2m-cx-widget')).to.include.keys(
      'Mensajes salientes',
      'Contexto de la llamada',
      'Mensaje de Entorno de pruebas: Leído',
    );

    const xliff = await (await fetch('/widget/xliff/es.xlf')).text();
    const found = untranslated({
      english,
      translated: spanish,
      data: DATA,
      same: Object.values(channelLabels).filter((l) => l !== channelLabels.inapp),
      catalogue: cataloguePatterns(xliff),
    });
    expect(found).to.deep.equal({});
  });
});
