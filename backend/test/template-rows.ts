// An approved WhatsApp template written straight into an account's table: WhatsApp's review (or the
// sandbox's) is not what the tests that use it are about.
import type { Db } from '../src/db/database.js';
import { newUuid } from '../src/ids.js';

export async function insertApprovedTemplate(
  db: Db,
  accountId: string,
  t: { name: string; language: string; body: string; examples: string[]; now: number },
): Promise<void> {
  await db
    .insertInto('templates')
    .values({
      id: newUuid(),
      account_id: accountId,
      name: t.name,
      category: 'UTILITY',
      language: t.language,
      waba_id: '1234567890',
      phone_number: '+15005550006',
      body: t.body,
      examples_json: JSON.stringify(t.examples),
      status: 'approved',
      status_reason: null,
      provider_template_id: null,
      created_at: t.now,
      updated_at: t.now,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
}
