import type { Db } from '../../db/database.js';
import type { DeviceRegistration } from '../../../contract/devices.js';
import type { DeviceDirectory } from '../../channels/devices.js';

export interface StoredDevice {
  appId: string;
  platform: 'ios' | 'android' | 'web';
  token: string;
}

/** The consumer's devices for the given apps: where an in-app invite is pushed. */
export async function devicesFor(
  db: Db,
  accountId: string,
  consumerId: string,
  apps: string[],
): Promise<StoredDevice[]> {
  if (apps.length === 0) return [];
  const rows = await db
    .selectFrom('devices')
    .select(['app_id', 'platform', 'token'])
    .where('account_id', '=', accountId)
    .where('consumer_id', '=', consumerId)
    .where('app_id', 'in', apps)
    .orderBy('updated_at')
    .execute();
  return rows.map((r) => ({ appId: r.app_id, platform: r.platform, token: r.token }));
}

export async function registerDevice(
  db: Db,
  accountId: string,
  d: DeviceRegistration,
  now: number,
): Promise<void> {
  await db
    .insertInto('devices')
    .values({
      account_id: accountId,
      consumer_id: d.consumerId,
      app_id: d.appId,
      platform: d.platform,
      token: d.token,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.columns(['account_id', 'consumer_id', 'app_id', 'token']).doUpdateSet({
        platform: d.platform,
        updated_at: now,
      }),
    )
    .execute();
}

export async function unregisterDevice(
  db: Db,
  accountId: string,
  d: { consumerId: string; appId: string; token: string },
): Promise<boolean> {
  const res = await db
    .deleteFrom('devices')
    .where('account_id', '=', accountId)
    .where('consumer_id', '=', d.consumerId)
    .where('app_id', '=', d.appId)
    .where('token', '=', d.token)
    .executeTakeFirst();
  return res.numDeletedRows > 0n;
}

/** The push adapters' view of the registered devices; a token the push service dropped is forgotten. */
export function dbDeviceDirectory(db: Db): DeviceDirectory {
  return {
    devicesFor: (accountId, consumerId, apps) => devicesFor(db, accountId, consumerId, apps),
    async forget(accountId, device) {
      await db
        .deleteFrom('devices')
        .where('account_id', '=', accountId)
        .where('app_id', '=', device.appId)
        .where('token', '=', device.token)
        .execute();
    },
  };
}
