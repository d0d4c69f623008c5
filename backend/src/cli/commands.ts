import { existsSync, readFileSync } from 'node:fs';
import {
  createDemo,
  demoCredentialsFile,
  demoInstructions,
  isEmpty,
  type DemoCredentials,
} from '../modules/demo-page/bootstrap.js';
import { createAccount } from '../modules/accounts/accounts.service.js';
import { changeOptOut, type OptOutChange } from '../modules/optouts/optouts.service.js';
import { addSkill } from '../modules/skills/skills.service.js';
import { pruneOptOutLedger } from '../modules/retention/retention.repo.js';
import { UsageError } from './args.js';
import { accountFlag, ACCOUNT, type Command } from './context.js';

export const accountCreate: Command = {
  name: 'account create',
  summary: 'create an account; prints its id',
  flags: {
    name: { value: 'NAME', help: 'the brand name, shown in help replies (required)' },
    'rate-limit': { value: 'N', help: 'IVR API requests per second, 0 for no limit (default 30)' },
  },
  flagOf: (field) => (field === 'rateLimitPerSec' ? '--rate-limit' : `--${field}`),
  async run(ctx, flags) {
    const id = await createAccount(ctx, {
      name: flags.required('name'),
      rateLimitPerSec: flags.int('rate-limit'),
    });
    ctx.out(id);
  },
};

export const skillAdd: Command = {
  name: 'skill add',
  summary: 'add a skill that deflected conversations can be routed to',
  flags: {
    account: ACCOUNT,
    name: { value: 'NAME', help: 'the skill name the IVR passes as `skill` (required)' },
    'no-routing': { help: 'create it with routing disabled (eligibility answers 1300)' },
  },
  async run(ctx, flags) {
    const account = await accountFlag(ctx, flags);
    const name = flags.required('name');
    const routingEnabled = !flags.bool('no-routing');
    await addSkill(ctx, account.id, { name, routingEnabled });
    ctx.out(
      `skill ${name} added to account ${account.id} (routing ${routingEnabled ? 'on' : 'off'})`,
    );
  },
};

/** `optout add` and `optout remove`: the same number, the opposite change. */
function optoutCommand(action: OptOutChange['action']): Command {
  const add = action === 'opt_out';
  return {
    name: add ? 'optout add' : 'optout remove',
    summary: add ? 'opt a number out of every channel of the account' : 'opt a number back in',
    flags: {
      account: ACCOUNT,
      phone: { value: '+E164', help: 'the consumer number, e.g. +14155550100 (required)' },
    },
    async run(ctx, flags) {
      const account = await accountFlag(ctx, flags);
      const phone = flags.required('phone', 16);
      await changeOptOut(ctx, account.id, { phone, action, source: 'cli' });
      ctx.out(`${phone} opted ${add ? 'out' : 'in'} on account ${account.id}`);
    },
  };
}

export const optoutAdd = optoutCommand('opt_out');
export const optoutRemove = optoutCommand('opt_in');

export const demo: Command = {
  name: 'demo',
  summary: 'create the demo account in an empty data dir; print how to use it',
  flags: {},
  async run(ctx) {
    const file = demoCredentialsFile(ctx.config.dataDir);
    if (await isEmpty(ctx.db)) {
      const created = await createDemo(ctx, {
        clock: ctx.clock,
        encryptionKey: ctx.keys.secrets,
        baseUrl: ctx.baseUrl,
        dataDir: ctx.config.dataDir,
      });
      ctx.out(demoInstructions(created, file));
    } else if (existsSync(file)) {
      ctx.err('the demo account already exists');
      ctx.out(demoInstructions(JSON.parse(readFileSync(file, 'utf8')) as DemoCredentials, file));
    } else {
      throw new Error(
        `${ctx.config.dataDir} already has accounts and no demo-credentials.json: ` +
          'the demo is only made in an empty data dir',
      );
    }
  },
};

export const optoutPrune: Command = {
  name: 'optout prune',
  summary: 'delete opt-out ledger entries older than a date (kept until you do)',
  flags: {
    before: { value: 'YYYY-MM-DD', help: 'entries before this UTC day go (required)' },
    account: { value: 'ID', help: 'only this account (default: every account)' },
  },
  async run(ctx, flags) {
    const text = flags.required('before', 10);
    const before = /^\d{4}-\d\d-\d\d$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : NaN;
    if (Number.isNaN(before)) throw new UsageError('--before: must be a date, YYYY-MM-DD');
    const account = flags.has('account') ? await accountFlag(ctx, flags) : undefined;
    const n = await pruneOptOutLedger(ctx.db, before, account?.id);
    // the numbers opted out now stay opted out: only the history of changes is pruned
    ctx.out(
      `${n} opt-out ledger entries before ${text} deleted` +
        (account ? ` from account ${account.id}` : ''),
    );
  },
};
