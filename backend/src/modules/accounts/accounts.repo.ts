import type { Db } from '../../db/database.js';
import type { CachedDb } from '../../db/read-cache.js';
import type { AccountChannel } from '../../../contract/settings.js';

export interface Account {
  id: string;
  name: string;
  channels: AccountChannel[];
  deviceCheck: boolean;
  frequencyCapPerHour: number;
  rateLimitPerSec: number;
  smsOptOutText: string;
  helpText: string;
  defaultSkill: string | null;
  /** Origins that may call the admin API from a browser. */
  allowedOrigins: string[];
  /** Days a WhatsApp refusal as not on WhatsApp keeps `wa` not reachable for that number. */
  waUnreachableDays: number;
  /** Fail a message with no delivery receipt after this many hours. */
  receiptTimeoutHours: number;
  /** The IANA zone its reporting days are counted in. */
  timezone: string;
}

export const DEFAULT_ACCOUNT_CHANNELS: AccountChannel[] = [
  { name: 'wa', enabled: true },
  { name: 'sms', enabled: true },
  { name: 'inapp', enabled: true },
  { name: 'apple', enabled: false },
  { name: 'rcs', enabled: false },
];

export async function insertAccount(
  db: Db,
  a: { id: string; name: string; now: number; rateLimitPerSec?: number },
): Promise<void> {
  await db
    .insertInto('accounts')
    .values({
      id: a.id,
      name: a.name,
      channels_json: JSON.stringify(DEFAULT_ACCOUNT_CHANNELS),
      device_check: 0,
      frequency_cap_per_hour: 3,
      rate_limit_per_sec: a.rateLimitPerSec ?? 30,
      sms_opt_out_text: 'Reply STOP to opt out.',
      help_text: `${a.name}: reply to this message to chat with us. Reply STOP to opt out.`,
      default_skill: null,
      created_at: a.now,
    })
    .execute();
}

export function findAccount({ db, reads }: CachedDb, id: string): Promise<Account | undefined> {
  return reads.read(db, `account:${id}`, () => readAccount(db, id));
}

async function readAccount(db: Db, id: string): Promise<Account | undefined> {
  const row = await db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    name: row.name,
    channels: JSON.parse(row.channels_json) as AccountChannel[],
    deviceCheck: row.device_check === 1,
    frequencyCapPerHour: row.frequency_cap_per_hour,
    rateLimitPerSec: row.rate_limit_per_sec,
    smsOptOutText: row.sms_opt_out_text,
    helpText: row.help_text,
    defaultSkill: row.default_skill,
    allowedOrigins: JSON.parse(row.allowed_origins_json) as string[],
    waUnreachableDays: row.wa_unreachable_days,
    receiptTimeoutHours: row.receipt_timeout_hours,
    timezone: row.timezone,
  };
}

export async function updateAccountSettings(
  { db, reads }: CachedDb,
  id: string,
  s: Partial<
    Pick<
      Account,
      | 'deviceCheck'
      | 'frequencyCapPerHour'
      | 'rateLimitPerSec'
      | 'channels'
      | 'defaultSkill'
      | 'smsOptOutText'
      | 'helpText'
      | 'allowedOrigins'
      | 'waUnreachableDays'
      | 'receiptTimeoutHours'
      | 'timezone'
    >
  >,
): Promise<void> {
  await db
    .updateTable('accounts')
    .set({
      ...(s.deviceCheck !== undefined && { device_check: s.deviceCheck ? 1 : 0 }),
      ...(s.frequencyCapPerHour !== undefined && { frequency_cap_per_hour: s.frequencyCapPerHour }),
      ...(s.rateLimitPerSec !== undefined && { rate_limit_per_sec: s.rateLimitPerSec }),
      ...(s.channels !== undefined && { channels_json: JSON.stringify(s.channels) }),
      ...(s.defaultSkill !== undefined && { default_skill: s.defaultSkill }),
      ...(s.smsOptOutText !== undefined && { sms_opt_out_text: s.smsOptOutText }),
      ...(s.helpText !== undefined && { help_text: s.helpText }),
      ...(s.allowedOrigins !== undefined && {
        allowed_origins_json: JSON.stringify(s.allowedOrigins),
      }),
      ...(s.receiptTimeoutHours !== undefined && { receipt_timeout_hours: s.receiptTimeoutHours }),
      ...(s.waUnreachableDays !== undefined && { wa_unreachable_days: s.waUnreachableDays }),
      ...(s.timezone !== undefined && { timezone: s.timezone }),
    })
    .where('id', '=', id)
    .execute();
  reads.forget();
}

/** Every account, oldest first: what `c2m account list` prints. */
export function listAccounts(db: Db) {
  return db
    .selectFrom('accounts')
    .select(['id', 'name', 'created_at'])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}
