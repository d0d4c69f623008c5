// IVR API access beyond the signature: missing or unusable Authorization, the ivr permission, paths
// of an account that is not the credential's, and secrets at rest.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { newAccountId } from '../src/ids.js';
import { onPostgres } from './test-engine.js';
import {
  bearerToken,
  oauth1Header,
  seedAccount,
  type ApiResponse,
  type SeededAccount,
} from './helpers.js';
import {
  t,
  a,
  b,
  eligibilityUrl,
  postEligibility,
  signedEligibility,
  countCalls,
  eligibilityBody,
  assertIvrError,
  decodePayload,
  useIvrAuthFixture,
} from './ivr-auth-fixtures.js';

describe('IVR API authentication', () => {
  useIvrAuthFixture();

  describe('missing or unusable Authorization', () => {
    it('answers 401/1100 with WWW-Authenticate for no, Basic, garbage and unsigned headers', async () => {
      const basic = `Basic ${Buffer.from(`${a.oauth2.clientId}:${a.oauth2.clientSecret}`).toString('base64')}`;
      for (const authorization of [
        undefined,
        basic,
        'garbage',
        'Bearer',
        'Bearer not-a-jwt',
        'OAuth nonsense',
        `OAuth oauth_consumer_key="${a.oauth1.consumerKey}"`,
      ]) {
        const res = await postEligibility(a.accountId, authorization, eligibilityBody(a));
        assertIvrError(res, 401, 1100);
        assert.match(res.headers.get('WWW-Authenticate') ?? '', /Bearer/);
      }
    });
  });

  describe('permissions', () => {
    let reporting: SeededAccount;
    before(async () => {
      reporting = await seedAccount(t, { permissions: ['reporting'] });
    });

    it('answers 403/1101 to an OAuth 1.0a credential without the ivr permission', async () => {
      const res = await signedEligibility(reporting);
      assertIvrError(res, 403, 1101);
      assert.equal(await countCalls(reporting.accountId), 0);
    });

    it('answers 403/1101 to a bearer token of a credential without the ivr permission', async () => {
      const token = await bearerToken(t.url, reporting.oauth2);
      assert.equal(decodePayload(token).scope, 'reporting', 'the token claims what it may do');
      const res = await postEligibility(
        reporting.accountId,
        `Bearer ${token}`,
        eligibilityBody(reporting),
      );
      assertIvrError(res, 403, 1101);
      assert.equal(await countCalls(reporting.accountId), 0);
    });
  });

  describe('a path account that is not the credential’s', () => {
    const ids = () => [
      a.accountId,
      b.accountId,
      ...Object.values(a.handoffs),
      ...Object.values(b.handoffs),
    ];

    function assertNothingLeaks(res: ApiResponse, extra: string[] = []): void {
      const text = JSON.stringify(res.body) + JSON.stringify([...res.headers]);
      for (const id of [...ids(), ...extra]) {
        assert.ok(!text.includes(id), `the answer mentions ${id}: ${text}`);
      }
    }

    it("refuses an OAuth 1.0a request for another real account's path", async () => {
      const before = await countCalls(b.accountId);
      const header = oauth1Header(a.oauth1, 'POST', eligibilityUrl(b.accountId));
      const res = await postEligibility(b.accountId, header, eligibilityBody(b));
      assertIvrError(res, 403, 1101);
      assertNothingLeaks(res);
      assert.equal(await countCalls(b.accountId), before, 'nothing stored for B');
    });

    it("refuses a bearer token for another real account's path", async () => {
      const token = await bearerToken(t.url, a.oauth2);
      const res = await postEligibility(b.accountId, `Bearer ${token}`, eligibilityBody(b));
      assertIvrError(res, 403, 1101);
      assertNothingLeaks(res);
    });

    it('refuses a nonexistent account id for both schemes', async () => {
      let missing = newAccountId();
      while (missing === a.accountId || missing === b.accountId) missing = newAccountId();
      const header = oauth1Header(a.oauth1, 'POST', eligibilityUrl(missing));
      const signed = await postEligibility(missing, header, eligibilityBody(a));
      assertIvrError(signed, 403, 1101);
      assertNothingLeaks(signed, [missing]);
      const token = await bearerToken(t.url, a.oauth2);
      const bearer = await postEligibility(missing, `Bearer ${token}`, eligibilityBody(a));
      assertIvrError(bearer, 403, 1101);
      assertNothingLeaks(bearer, [missing]);
      // the same answer as for a real account: a credential cannot probe which ids exist
      const real = await postEligibility(
        b.accountId,
        oauth1Header(a.oauth1, 'POST', eligibilityUrl(b.accountId)),
        eligibilityBody(a),
      );
      assert.deepEqual(real.body, signed.body);
      assert.deepEqual(bearer.body, signed.body);
    });
  });

  describe('secrets at rest', () => {
    it('stores no plaintext secret, and the client secret only as a hash', async () => {
      const rows = await t.c2m.deps.db
        .selectFrom('credentials')
        .selectAll()
        .where('account_id', '=', a.accountId)
        .execute();
      const oauth1 = rows.find((r) => r.id === a.oauth1.id);
      const oauth2 = rows.find((r) => r.id === a.oauth2.id);
      assert.ok(oauth1 && oauth2);
      const secrets = [a.oauth1.consumerSecret, a.oauth1.tokenSecret, a.oauth2.clientSecret];
      for (const row of rows) {
        const stored = JSON.stringify(row);
        for (const secret of secrets)
          assert.ok(!stored.includes(secret), `row ${row.id} holds a secret`);
      }
      assert.ok(oauth1.secret_enc && oauth1.token_secret_enc);
      assert.notEqual(oauth1.secret_enc, oauth1.token_secret_enc);
      assert.equal(oauth1.secret_hash, null);
      assert.ok(oauth2.secret_hash);
      assert.notEqual(oauth2.secret_hash, a.oauth2.clientSecret);
      assert.match(oauth2.secret_hash, /^[0-9a-f]{64}$/, 'a SHA-256 digest');
      assert.equal(oauth2.secret_enc, null);
    });

    it('leaves no secret anywhere in the database', async () => {
      const secrets = [a.oauth1.consumerSecret, a.oauth1.tokenSecret, a.oauth2.clientSecret];
      // every row of every table, on either engine
      const { db } = t.c2m.deps;
      const schema = onPostgres
        ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0].s
        : undefined;
      const tables = (await db.introspection.getTables()).filter(
        (table) => !schema || table.schema === schema,
      );
      assert.ok(tables.some((table) => table.name === 'credentials'));
      for (const table of tables) {
        const rows = await db
          .selectFrom(table.name as 'credentials')
          .selectAll()
          .execute();
        const stored = JSON.stringify(rows);
        for (const secret of secrets)
          assert.ok(!stored.includes(secret), `table ${table.name} holds a secret`);
      }
      if (onPostgres) return;
      // and SQLite's files, freed pages and the write-ahead log included
      const files = ['c2m.sqlite', 'c2m.sqlite-wal']
        .map((name) => join(t.dataDir, name))
        .filter((path) => existsSync(path));
      assert.ok(files.length > 0);
      for (const path of files) {
        const bytes = readFileSync(path);
        for (const secret of secrets)
          assert.equal(bytes.indexOf(secret), -1, `${path} holds a secret`);
      }
    });
  });
});
