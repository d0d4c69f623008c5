import { existsSync, readFileSync } from 'node:fs';
import {
  createDemo,
  demoCredentialsFile,
  demoInstructions,
  isEmpty,
  type DemoCredentials,
} from '../modules/demo-page/bootstrap.js';
import { newAccountId } from '../ids.js';
import { insertAccount } from '../modules/accounts/accounts.repo.js';
import { optIn, optOut } from '../modules/optouts/optouts.repo.js';
import { insertSkill } from '../modules/skills/skills.repo.js';
import { UsageError } from './args.js';
import { accountFlag, isUniqueViolation, type Command } from './context.js';

export const accountCreate: Command = {
  name: 'account create',
  summary: 'create an account; prints its id',
  usage: [
    ['--name NAME', 'the brand name, shown in help replies (required)'],
    ['--rate-limit N', 'IVR API requests per second, 0 for no limit (default 30)'],
  ],
  options: { name: { type: 'string' }, 'rate-limit': { type: 'string' } },
  async run(ctx, flags) {
    const name = flags.identifier('name');
    const rateLimitPerSec = flags.int('rate-limit', { min: 0, max: 100_000 }, 30);
    const id = newAccountId();
    await insertAccount(ctx.db, { id, name, rateLimitPerSec, now: ctx.now() });
    ctx.out(id);
  },
};

export const skillAdd: Command = {
  name: 'skill add',
  summary: 'add a skill that deflected conversations can be routed to',
  usage: [
    ['--account ID', 'the account (required)'],
    ['--name NAME', 'the skill name the IVR passes as `skill` (required)'],
    ['--no-routing', 'create it with routing disabled (eligibility answers 1300)'],
  ],
  options: {
    account: { type: 'string' },
    name: { type: 'string' },
    'no-routing': { type: 'boolean' },
  },
  async run(ctx, flags) {
    const account = await accountFlag(ctx, flags);
    const name = flags.identifier('name');
    const routingEnabled = !flags.bool('no-routing');
    try {
      await insertSkill(ctx, { accountId: account.id, name, routingEnabled, now: ctx.now() });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      throw new UsageError(`--name: account ${account.id} already has a skill '${name}'`);
    }
    ctx.out(
      `skill ${name} added to account ${account.id} (routing ${routingEnabled ? 'on' : 'off'})`,
    );
  },
};

const phoneUsage: [string, string][] = [
  ['--account ID', 'the account (required)'],
  ['--phone +E164', 'the consumer number, e.g. +14155550100 (required)'],
];
const phoneOptions = { account: { type: 'string' }, phone: { type: 'string' } } as const;

export const optoutAdd: Command = {
  name: 'optout add',
  summary: 'opt a number out of every channel of the account',
  usage: phoneUsage,
  options: phoneOptions,
  async run(ctx, flags) {
    const account = await accountFlag(ctx, flags);
    const phone = flags.phone('phone');
    await optOut(ctx.uow, { accountId: account.id, phone, source: 'cli', now: ctx.now() });
    ctx.out(`${phone} opted out on account ${account.id}`);
  },
};

export const optoutRemove: Command = {
  name: 'optout remove',
  summary: 'opt a number back in',
  usage: phoneUsage,
  options: phoneOptions,
  async run(ctx, flags) {
    const account = await accountFlag(ctx, flags);
    const phone = flags.phone('phone');
    await optIn(ctx.uow, { accountId: account.id, phone, source: 'cli', now: ctx.now() });
    ctx.out(`${phone} opted in on account ${account.id}`);
  },
};

export const demo: Command = {
  name: 'demo',
  summary: 'create the demo account in an empty data dir; print how to use it',
  usage: [],
  options: {},
  async run(ctx) {
    const file = demoCredentialsFile(ctx.config.dataDir);
    if (await isEmpty(ctx.db)) {
      const created = await createDemo(ctx, {
        clock: ctx.now,
        encryptionKey: ctx.encryptionKey,
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
