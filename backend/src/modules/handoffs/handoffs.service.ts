import { E164_RULE } from '../../../contract/phone.js';
import { SMS_MAX, smsWithOptOut } from '../../../contract/sms.js';
import type { HandoffChannel, HandoffInput, HandoffListQuery } from '../../../contract/handoffs.js';
import { isValidE164 } from '../../channels/phone.js';
import { onDuplicate } from '../../db/constraints.js';
import { inTransaction, type Db } from '../../db/database.js';
import type { CachedDb } from '../../db/read-cache.js';
import type { AppDeps } from '../deps.js';
import { fieldErrors, notFound } from '../../errors.js';
import { newHandoffId } from '../../ids.js';
import { findAccount, type Account } from '../accounts/accounts.repo.js';
import {
  deleteHandoff,
  findChannelTemplate,
  findTemplatesNamed,
  insertHandoff,
  listHandoffTitles,
  listHandoffs,
  readHandoff,
  updateHandoff,
  type HandoffRecord,
} from './handoffs.repo.js';
import { hasPlaceholder, savedDefaults, variablesOf } from '../../../contract/template-values.js';

// The handoff rules the schema cannot know (they need the account's settings, its other handoffs
// and its WhatsApp templates) and the writes they guard, each in one transaction.

type FieldErrors = Record<string, string>;

/** What a write needs: the CLI, which has no server, calls the same functions. */
type WriteDeps = Pick<AppDeps, 'db' | 'reads' | 'clock'>;

export function listAccountHandoffs(
  deps: AppDeps,
  accountId: string,
  query: HandoffListQuery,
): Promise<{ items: HandoffRecord[]; total: number }> {
  return listHandoffs(deps.db, accountId, query);
}

export async function getHandoff(
  deps: AppDeps,
  accountId: string,
  id: string,
): Promise<HandoffRecord> {
  const handoff = await readHandoff(deps.db, accountId, id);
  if (!handoff) throw notFound(`No handoff ${id} in this account`);
  return handoff;
}

/** The WhatsApp template a channel names, in its language, as a send would find it. */
export function channelTemplate(
  deps: Pick<AppDeps, 'db'>,
  accountId: string,
  channel: Pick<HandoffChannel, 'templateName' | 'templateLanguage'>,
) {
  return findChannelTemplate(deps.db, accountId, channel);
}

/** Checks and stores a new handoff under an id c2m makes; nothing is stored when a rule fails. */
export function createHandoff(
  deps: WriteDeps,
  accountId: string,
  input: HandoffInput,
): Promise<HandoffRecord> {
  // one transaction: the title check and the write see the same handoffs
  return inTransaction(deps.db, async (db) => {
    const id = newHandoffId();
    return storeHandoff(deps, db, accountId, id, input, false);
  });
}

/** Replaces the whole handoff but its id and creation time. */
export function replaceHandoff(
  deps: WriteDeps,
  accountId: string,
  id: string,
  input: HandoffInput,
): Promise<HandoffRecord> {
  return inTransaction(deps.db, async (db) => {
    if (!(await readHandoff(db, accountId, id))) throw notFound(`No handoff ${id} in this account`);
    return storeHandoff(deps, db, accountId, id, input, true);
  });
}

/**
 * Checks the rules, writes the handoff (a new one, or over the one with this id) and reads back what
 * was stored, all in the caller's transaction `db`. A replaced handoff's own title is not taken.
 */
async function storeHandoff(
  deps: WriteDeps,
  db: Db,
  accountId: string,
  id: string,
  input: HandoffInput,
  replace: boolean,
): Promise<HandoffRecord> {
  const cached = { db, reads: deps.reads };
  const channels = await checkRules(cached, accountId, input, replace ? id : undefined);
  const write = replace ? updateHandoff : insertHandoff;
  await write(cached, { ...toHandoff(id, input, channels), accountId, now: deps.clock() }).catch(
    titleTaken,
  );
  return (await readHandoff(db, accountId, id))!;
}

export async function removeHandoff(deps: AppDeps, accountId: string, id: string): Promise<void> {
  if (!(await deleteHandoff(deps, accountId, id))) {
    throw notFound(`No handoff ${id} in this account`);
  }
}

/**
 * The table's unique (account, title) index, hit when another process (the CLI) wrote the same
 * title between our check and our write: the same answer as the check's.
 */
const titleTaken = onDuplicate(() => fieldErrors({ title: 'already used by another handoff' }));

function toHandoff(id: string, input: HandoffInput, channels: HandoffChannel[]) {
  const { days, hours } = input.lookback;
  return {
    id,
    title: input.title,
    active: input.active,
    lookbackMinutes: (days * 24 + hours) * 60,
    channels,
  };
}

/**
 * Every rule beyond the schema, first failure per field; throws 400 naming them. Answers the
 * channels to store: a WhatsApp channel without variables and without text takes its template's.
 */
async function checkRules(
  { db, reads }: CachedDb,
  accountId: string,
  input: HandoffInput,
  exceptId?: string,
): Promise<HandoffChannel[]> {
  const errors: FieldErrors = {};
  const add = (field: string, rule: string) => {
    errors[field] ??= rule;
  };
  const account = await findAccount({ db, reads }, accountId);
  if (!account) throw notFound();

  const title = fold(input.title);
  const taken = await listHandoffTitles(db, accountId);
  if (taken.some((h) => h.id !== exceptId && fold(h.title) === title)) {
    add('title', 'already used by another handoff');
  }

  const channels = await Promise.all(
    input.channels.map(async (channel, i) => {
      const field = `channels.${i}`;
      if (channel.outboundNumber !== undefined && !isValidE164(channel.outboundNumber)) {
        add(`${field}.outboundNumber`, E164_RULE);
      }
      if (!channel.enabled) return channel;
      if (!enabledOnAccount(account, channel.name)) {
        add('channels', `${channel.name} is disabled in the account settings`);
      }
      if (channel.name === 'sms') checkSms(channel, field, account, add);
      if (channel.name === 'inapp' && new Set(channel.apps).size !== channel.apps?.length) {
        add(`${field}.apps`, 'each app at most once');
      }
      if (channel.name === 'wa') return checkWhatsApp(db, accountId, channel, field, add);
      return channel;
    }),
  );
  if (Object.keys(errors).length > 0) throw fieldErrors(errors);
  return channels;
}

/**
 * Case folding for the title rule in JavaScript: SQLite's `lower()` and `nocase` fold ASCII only,
 * and "Übergabe" must clash with "übergabe".
 */
const fold = (s: string) => s.normalize('NFC').toLowerCase();

const enabledOnAccount = (account: Account, name: HandoffChannel['name']) =>
  account.channels.some((c) => c.name === name && c.enabled);

function checkSms(
  channel: HandoffChannel,
  field: string,
  account: Account,
  add: (field: string, rule: string) => void,
): void {
  // plain text (no tags, control or bidi characters) is the contract's rule for every channel
  // what the consumer receives (the renderer's text), in UTF-16 units as the schema's `max` counts
  const length = smsWithOptOut(channel.message, account.smsOptOutText).length;
  if (length > SMS_MAX) {
    const optOut = length - channel.message.trim().length;
    add(
      `${field}.message`,
      `at most ${SMS_MAX} characters with the opt-out text (${length - optOut} + ${optOut} = ${length})`,
    );
  }
}

/**
 * An approved template of the account in the handoff's language, and the handoff's text is the
 * template's with each `{{n}}` kept (the IVR sends it) or given a default value for an IVR that
 * does not send it ("Hello {{1}}" saved as "Hello Jane"); see template-values.ts.
 */
async function checkWhatsApp(
  db: Db,
  accountId: string,
  channel: HandoffChannel,
  field: string,
  add: (field: string, rule: string) => void,
): Promise<HandoffChannel> {
  if (!channel.templateName) return channel; // the schema has already said so
  const templates = await findTemplatesNamed(db, accountId, channel.templateName);
  const approved = templates.filter((t) => t.status === 'approved');
  if (approved.length === 0) {
    add(
      `${field}.templateName`,
      templates.length === 0
        ? `no WhatsApp template named ${channel.templateName}`
        : `template ${channel.templateName} is not approved (${templates.map((t) => `${t.language}: ${t.status}`).join(', ')})`,
    );
    return channel;
  }
  const languages = approved.map((t) => t.language).join(', ');
  if (!channel.templateLanguage) {
    add(`${field}.templateLanguage`, `is required (approved in ${languages})`);
    return channel;
  }
  const template = approved.find((t) => t.language === channel.templateLanguage);
  if (!template) {
    add(
      `${field}.templateLanguage`,
      `template ${channel.templateName} is approved in ${languages} only`,
    );
    return channel;
  }
  // an empty text is the template's own: every variable is then the IVR's to send
  if (channel.message.trim() === '') return { ...channel, message: template.body };
  const variables = variablesOf(template.body);
  const defaults = savedDefaults(template.body, channel.message);
  if (!defaults) {
    add(
      `${field}.message`,
      variables.length === 0
        ? `must be the text of template ${template.name}`
        : `must be the text of template ${template.name}, each of ${variables.map((n) => `{{${n}}}`).join(', ')} kept or given a default value`,
    );
    return channel;
  }
  for (const [n, value] of defaults) {
    if (value.trim() === '') {
      add(`${field}.message`, `the default for {{${n}}} is blank: give a value or keep {{${n}}}`);
    } else if (hasPlaceholder(value)) {
      add(`${field}.message`, `the default for {{${n}}} must not hold another {{…}}`);
    }
  }
  return channel;
}
