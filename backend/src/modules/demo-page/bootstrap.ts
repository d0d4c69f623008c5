import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Handoff, HandoffChannel } from '../../../contract/handoffs.js';
import type { Db } from '../../db/database.js';
import type { CachedDb } from '../../db/read-cache.js';
import type { Clock } from '../../clock.js';
import { newAccountId, newHandoffId, newUuid } from '../../ids.js';
import { insertAccount } from '../accounts/accounts.repo.js';
import { createOAuth1Credential, createOAuth2Credential } from '../accounts/credentials.service.js';
import { insertHandoff } from '../handoffs/handoffs.repo.js';
import { insertSkill } from '../skills/skills.repo.js';

export interface DemoCredentials {
  accountId: string;
  baseUrl: string;
  handoffs: { sms: string; waSms: string; inapp: string };
  oauth1: { consumerKey: string; consumerSecret: string; token: string; tokenSecret: string };
  oauth2: { clientId: string; clientSecret: string; tokenUrl: string };
}

/** True when the database holds no account yet: the first start of a fresh data dir. */
export async function isEmpty(db: Db): Promise<boolean> {
  const row = await db.selectFrom('accounts').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

/**
 * A demo account ready to deflect: skills `sales` and `billing`, an SMS handoff, a WhatsApp-then-SMS
 * handoff, an in-app handoff, and IVR credentials for both auth schemes, written to
 * `demo-credentials.json` so a newcomer (or a script) can call the API at once.
 */
export async function createDemo(
  { db, reads }: CachedDb,
  opts: { clock: Clock; encryptionKey: Buffer; baseUrl: string; dataDir: string },
): Promise<DemoCredentials> {
  const now = opts.clock();
  const accountId = newAccountId();
  const handoffs = { sms: newHandoffId(), waSms: newHandoffId(), inapp: newHandoffId() };
  const oauth = await db.transaction().execute(async (tx) => {
    await insertAccount(tx, { id: accountId, name: 'Demo Brand', now });
    for (const name of ['sales', 'billing']) {
      await insertSkill({ db: tx, reads }, { accountId, name, now });
    }
    const sms: HandoffChannel = {
      name: 'sms',
      enabled: true,
      message: 'Hi {{1}}, thanks for calling Demo Brand. Reply here to keep chatting with us.',
      defaults: { '1': 'there' },
      outboundNumber: '+15005550006',
    };
    const demoHandoffs: Pick<Handoff, 'id' | 'title' | 'channels'>[] = [
      { id: handoffs.sms, title: 'Demo SMS', channels: [sms] },
      {
        id: handoffs.waSms,
        title: 'Demo WhatsApp then SMS',
        channels: [
          {
            name: 'wa',
            enabled: true,
            // "there" is the default for {{1}} when the IVR sends no name (the IVR's value wins)
            message: 'Hi there, this is Demo Brand on WhatsApp. Reply to continue your call here.',
            templateName: 'c2m_demo_deflection',
            templateLanguage: 'en',
          },
          sms,
        ],
      },
      {
        id: handoffs.inapp,
        title: 'Demo in-app',
        channels: [
          {
            name: 'inapp',
            enabled: true,
            message: 'Tap to continue your call with Demo Brand in the app.',
            apps: ['com.example.demobrand'],
          },
        ],
      },
    ];
    const common = { accountId, active: true, lookbackMinutes: 24 * 60, now };
    for (const h of demoHandoffs) {
      await insertHandoff({ db: tx, reads }, { ...common, ...h });
    }
    // the WhatsApp handoff's template, approved in the sandbox, so the admin element can edit it
    await tx
      .insertInto('templates')
      .values({
        id: newUuid(),
        account_id: accountId,
        name: 'c2m_demo_deflection',
        category: 'UTILITY',
        language: 'en',
        waba_id: '100000000000001',
        phone_number: '+15005550006',
        body: 'Hi {{1}}, this is Demo Brand on WhatsApp. Reply to continue your call here.',
        examples_json: JSON.stringify(['Ada']),
        status: 'approved',
        status_reason: null,
        provider_template_id: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    // the demo's keys also read its reports, so the README's reporting examples work as they are
    const base = { accountId, permissions: ['ivr' as const, 'reporting' as const], now };
    return {
      oauth1: await createOAuth1Credential(tx, opts.encryptionKey, {
        ...base,
        name: 'demo IVR (OAuth 1.0a)',
      }),
      oauth2: await createOAuth2Credential(tx, { ...base, name: 'demo IVR (OAuth 2.0)' }),
    };
  });
  const demo: DemoCredentials = {
    accountId,
    baseUrl: opts.baseUrl,
    handoffs,
    oauth1: {
      consumerKey: oauth.oauth1.consumerKey,
      consumerSecret: oauth.oauth1.consumerSecret,
      token: oauth.oauth1.token,
      tokenSecret: oauth.oauth1.tokenSecret,
    },
    oauth2: {
      clientId: oauth.oauth2.clientId,
      clientSecret: oauth.oauth2.clientSecret,
      tokenUrl: `${opts.baseUrl}/oauth/token`,
    },
  };
  await writeFile(demoCredentialsFile(opts.dataDir), JSON.stringify(demo, null, 2) + '\n', {
    mode: 0o600,
  });
  return demo;
}

export const demoCredentialsFile = (dataDir: string) => join(dataDir, 'demo-credentials.json');

/** What a newcomer pastes into a shell to deflect a first call. */
export function demoInstructions(demo: DemoCredentials, file: string): string {
  const api = `${demo.baseUrl}/api/account/${demo.accountId}`;
  return [
    `c2m demo account ${demo.accountId}: credentials in ${file}`,
    `  handoffs: sms=${demo.handoffs.sms} waSms=${demo.handoffs.waSms} inapp=${demo.handoffs.inapp}`,
    `  OAuth 1.0a: consumerKey=${demo.oauth1.consumerKey} token=${demo.oauth1.token} (secrets in the file)`,
    `  OAuth 2.0:  clientId=${demo.oauth2.clientId} tokenUrl=${demo.oauth2.tokenUrl}`,
    '',
    'Try it:',
    `  TOKEN=$(curl -s -u '${demo.oauth2.clientId}:${demo.oauth2.clientSecret}' -d grant_type=client_credentials ${demo.oauth2.tokenUrl} | node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')`,
    `  curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\`,
    `    -d '{"skill":"sales","consumerPhoneNumber":"+14155550123","handoffId":"${demo.handoffs.sms}","templateVariables":{"1":"Ada"}}' \\`,
    `    '${api}/eligibility?v=2.0'`,
    `  curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\`,
    `    -d '{"callId":"<callId from above>"}' '${api}/invite?v=2.0'`,
  ].join('\n');
}
