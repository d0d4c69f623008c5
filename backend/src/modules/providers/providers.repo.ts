import type { ChannelName } from '../../../contract/channels.js';
import { ProviderSettings } from '../../../contract/providers.js';
import { decryptSecret, encryptSecret } from '../../auth/secrets.js';
import type { Db } from '../../db/database.js';

/** Settings are encrypted whole: every provider's settings hold at least one secret. */
export async function saveProviderSettings(
  db: Db,
  key: Buffer,
  s: { accountId: string; channel: ChannelName; settings: ProviderSettings; now: number },
): Promise<void> {
  const row = {
    account_id: s.accountId,
    channel: s.channel,
    provider: s.settings.provider,
    settings_enc: encryptSecret(JSON.stringify(s.settings), key, `provider:${s.accountId}`),
    updated_at: s.now,
  };
  await db
    .insertInto('provider_settings')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['account_id', 'channel']).doUpdateSet({
        provider: row.provider,
        settings_enc: row.settings_enc,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

export interface StoredProvider {
  channel: ChannelName;
  settings: ProviderSettings;
  updatedAt: number;
}

export async function loadProviderSettings(
  db: Db,
  key: Buffer,
  accountId: string,
): Promise<StoredProvider[]> {
  const rows = await db
    .selectFrom('provider_settings')
    .selectAll()
    .where('account_id', '=', accountId)
    .execute();
  return rows.map((r) => ({
    channel: r.channel as ChannelName,
    settings: ProviderSettings.parse(
      JSON.parse(decryptSecret(r.settings_enc, key, `provider:${accountId}`)),
    ),
    updatedAt: r.updated_at,
  }));
}

export async function deleteProviderSettings(
  db: Db,
  accountId: string,
  channel: ChannelName,
): Promise<void> {
  await db
    .deleteFrom('provider_settings')
    .where('account_id', '=', accountId)
    .where('channel', '=', channel)
    .execute();
}
