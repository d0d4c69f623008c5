// The text rule, the identifier rule and the nesting limit at every boundary that takes them, and
// the CSV export's formula guard: each refusal names the field and the rule and stores nothing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AdminErrorBody, IvrErrorBody } from '../contract/errors.js';
import type { EligibilityResponse } from '../contract/deflection.js';
import { csvField } from '../src/modules/reporting/exports.js';
import {
  adminApi,
  adminSession,
  call,
  ivrClient,
  oauth1Header,
  seedAccount,
  startTestC2m,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';
import { deflect, freshPhone } from './sandbox-phone.js';

const HOSTILE = {
  markup: '<script>alert(1)</script>',
  nul: 'a\u0000b',
  bidi: 'abc\u202Egpj.exe',
} as const;

describe('input rules', () => {
  let t: TestC2m;
  let account: SeededAccount;

  before(async () => {
    t = await startTestC2m();
    account = await seedAccount(t, { permissions: ['ivr', 'admin', 'reporting'] });
  });
  after(() => t?.close());

  const count = async (table: 'calls' | 'transactions' | 'handoffs' | 'idempotency_keys') =>
    Number(
      (
        await t.c2m.deps.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  const eligibilityBody = (extra: Record<string, unknown> = {}) => ({
    skill: 'sales',
    consumerPhoneNumber: freshPhone(),
    handoffId: account.handoffs.sms,
    ...extra,
  });

  describe('eligibility refuses markup and control characters, storing no call', () => {
    const fields: [string, (v: string) => Record<string, unknown>][] = [
      ['skill', (v) => ({ skill: v })],
      ['ivrNumber', (v) => ({ ivrNumber: v })],
      ['consumerId', (v) => ({ consumerId: v })],
      ['handoffId', (v) => ({ handoffId: v.slice(0, 16) })],
      ['templateVariables.1', (v) => ({ templateVariables: { '1': v } })],
    ];
    for (const [field, body] of fields) {
      for (const [kind, value] of Object.entries(HOSTILE)) {
        it(`${field} with ${kind}`, async () => {
          const calls = await count('calls');
          const res = await ivrClient(t, account).eligibility(eligibilityBody(body(value)));
          assert.equal(res.status, 400, JSON.stringify(res.body));
          const { errorCode, errorMessage } = res.body as IvrErrorBody;
          assert.equal(errorCode, 1000);
          assert.match(errorMessage, new RegExp(`^${field}: must`));
          assert.equal(await count('calls'), calls);
        });
      }
    }

    it('plain text with emoji, RTL script and a "<3" is still a value', async () => {
      const res = await ivrClient(t, account).eligibility(
        eligibilityBody({
          templateVariables: { '1': 'Ada 👩‍👩‍👧 <3 שלום' },
          ivrNumber: '+18005550100',
        }),
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
    });
  });

  describe('invite refuses them, storing no transaction', () => {
    for (const field of ['overrideMessage', 'overrideSkill']) {
      for (const [kind, value] of Object.entries(HOSTILE)) {
        it(`${field} with ${kind}`, async () => {
          const ivr = ivrClient(t, account);
          const elig = await ivr.eligibility(eligibilityBody());
          assert.equal(elig.status, 200, JSON.stringify(elig.body));
          const { callId } = elig.body as EligibilityResponse;
          const transactions = await count('transactions');
          const res = await ivr.invite({ callId, [field]: value });
          assert.equal(res.status, 400, JSON.stringify(res.body));
          assert.match((res.body as IvrErrorBody).errorMessage, new RegExp(`^${field}: must`));
          assert.equal(await count('transactions'), transactions);
        });
      }
    }
  });

  describe('admin settings and handoffs refuse them, storing nothing', () => {
    let api: ReturnType<typeof adminApi>;
    before(async () => {
      api = adminApi(t, account.accountId, await adminSession(t, account, 'admin'));
    });

    const settingsCases: [string, (v: string) => Record<string, unknown>][] = [
      ['smsOptOutText', (v) => ({ smsOptOutText: `Reply STOP ${v}` })],
      ['helpText', (v) => ({ helpText: `Call us ${v}` })],
      ['defaultSkill', (v) => ({ defaultSkill: v })],
      ['routing.0.name', (v) => ({ routing: [{ name: v, routingEnabled: true }] })],
    ];
    for (const [field, body] of settingsCases) {
      for (const [kind, value] of Object.entries(HOSTILE)) {
        it(`settings ${field} with ${kind}`, async () => {
          const before = (await api.get('/settings')).body;
          const res = await api.put('/settings', { deviceCheck: true, ...body(value) });
          assert.equal(res.status, 400, JSON.stringify(res.body));
          const fields = (res.body as AdminErrorBody).error.details?.fieldErrors ?? {};
          assert.match(fields[field] ?? '', /^must /, JSON.stringify(fields));
          assert.deepEqual((await api.get('/settings')).body, before);
        });
      }
    }

    const handoff = (channel: Record<string, unknown>, title = `Rules ${Math.random()}`) => ({
      title,
      lookback: { days: 1, hours: 0 },
      channels: [{ name: 'inapp', enabled: true, message: 'Continue in the app.', ...channel }],
    });
    const handoffCases: [string, (v: string) => unknown][] = [
      ['title', (v) => handoff({}, `Title ${v}`)],
      ['channels.0.message', (v) => handoff({ message: `Open the app ${v}`, apps: ['app.one'] })],
      ['channels.0.apps.0', (v) => handoff({ apps: [v] })],
    ];
    for (const [field, body] of handoffCases) {
      for (const [kind, value] of Object.entries(HOSTILE)) {
        it(`handoff ${field} with ${kind}`, async () => {
          const handoffs = await count('handoffs');
          const res = await api.post('/handoffs', body(value));
          assert.equal(res.status, 400, JSON.stringify(res.body));
          const fields = (res.body as AdminErrorBody).error.details?.fieldErrors ?? {};
          assert.match(fields[field] ?? '', /^must /, JSON.stringify(fields));
          assert.equal(await count('handoffs'), handoffs);
        });
      }
    }

    it('a session for a user name with a bidi override is refused', async () => {
      const url = `${t.url}/api/account/${account.accountId}/sessions`;
      const res = await call(url, {
        authorization: oauth1Header(account.oauth1, 'POST', url),
        body: { userId: `ada${HOSTILE.bidi}`, role: 'admin' },
      });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.match(JSON.stringify(res.body), /userId: must not contain control, bidirectional/);
    });
  });

  describe('nesting', () => {
    const nested = (depth: number) => {
      let info: unknown = { name: 'Ada' };
      for (let i = 0; i < depth; i++) info = { next: info };
      return [{ type: 'personal', info }];
    };
    /** The body as text: JSON.stringify itself overflows the stack on 5000 levels. */
    const deepBody = (depth: number) => {
      const head = JSON.stringify(eligibilityBody()).slice(0, -1);
      const info = '{"next":'.repeat(depth) + '{"name":"Ada"}' + '}'.repeat(depth);
      return `${head},"sdes":[{"type":"personal","info":${info}}]}`;
    };

    it('SDEs nested 5000 deep are 400 / 1000 naming the field; nothing is stored', async () => {
      const calls = await count('calls');
      const keys = await count('idempotency_keys');
      const res = await ivrClient(t, account).eligibility(deepBody(5000), {
        'Idempotency-Key': 'deep-1',
      });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      const { errorCode, errorMessage } = res.body as IvrErrorBody;
      assert.equal(errorCode, 1000);
      assert.match(errorMessage, /^sdes: nested deeper than 32 levels/);
      assert.equal(await count('calls'), calls);
      assert.equal(await count('idempotency_keys'), keys);
    });

    it('a body that is only brackets is refused the same way, as the body', async () => {
      const res = await ivrClient(t, account).eligibility('['.repeat(20_000) + ']'.repeat(20_000));
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.match((res.body as IvrErrorBody).errorMessage, /^body: nested deeper than 32 levels/);
    });

    it('brackets inside strings do not count', async () => {
      const res = await ivrClient(t, account).eligibility(
        eligibilityBody({ sdes: [{ type: 'personal', info: { note: '[{'.repeat(100) } }] }),
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
    });

    it('SDEs 20 levels deep are stored and handed on', async () => {
      const res = await ivrClient(t, account).eligibility(eligibilityBody({ sdes: nested(20) }));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const { callId } = res.body as EligibilityResponse;
      const row = await t.c2m.deps.db
        .selectFrom('calls')
        .select('sdes_json')
        .where('id', '=', callId)
        .executeTakeFirstOrThrow();
      assert.match(row.sdes_json, /"name":"Ada"/);
    });
  });

  describe('CSV export', () => {
    it('defuses formulas, also behind leading spaces, tabs and line breaks', () => {
      for (const formula of [
        '=1+1',
        ' =1+1',
        '  @SUM(A1)',
        '\t=1',
        '\r=1',
        '\n-2+3',
        '+1+1',
        '-A1',
      ]) {
        assert.ok(csvField(formula).replace(/^"/, '').startsWith("'"), JSON.stringify(formula));
      }
      assert.equal(csvField('\tplain'), "'\tplain");
      // numbers stay numbers, E.164 phones included; text stays text
      assert.equal(csvField('+14155550100'), '+14155550100');
      assert.equal(csvField('-12.5'), '-12.5');
      assert.equal(csvField(' hello'), ' hello');
      assert.equal(csvField('a=b'), 'a=b');
    });

    it('an IVR number with a formula behind a space is exported defused', async () => {
      const { callId } = await deflect(t, account, freshPhone(), {
        eligibility: { ivrNumber: ' =1+1' },
      });
      const now = t.clock.now();
      const url =
        `${t.url}/api/account/${account.accountId}/app/c2m/exports/transactions.csv` +
        `?attemptedStartTime=${now - 3_600_000}&attemptedEndTime=${now + 60_000}`;
      const res = await fetch(url, {
        headers: { Authorization: oauth1Header(account.oauth1, 'GET', url) },
      });
      assert.equal(res.status, 200);
      const [header, ...rows] = (await res.text()).trimEnd().split('\r\n');
      const column = header.split(',').indexOf('ivrNumber');
      const row = rows.find((r) => r.includes(callId));
      assert.ok(row, 'the call is exported');
      assert.equal(row.split(',')[column], "' =1+1");
    });
  });
});
