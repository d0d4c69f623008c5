import { WidgetKeyInput } from '../../contract/widget-keys.js';
import { AppError } from '../errors.js';
import { parseInput } from '../http/validate.js';
import {
  createWidgetKey,
  listAccountWidgetKeys,
  revokeAccountWidgetKey,
  type WidgetKeyContext,
} from '../modules/widget/widget-keys.service.js';
import { UsageError } from './args.js';
import { accountFlag, ACCOUNT, JSON_OUTPUT, type CliContext, type Command } from './context.js';

/** The admin API's widget key context, for a process that holds no sessions to end. */
function widgetKeyContext(ctx: CliContext, accountId: string): WidgetKeyContext {
  return {
    db: ctx.db,
    accountId,
    now: ctx.clock(),
    origin: ctx.baseUrl,
    // the running nodes end the key's sessions and sockets at once (session-guard.ts)
    revoked: (id) => ctx.bus.tell('widget-key-revoked', id),
  };
}

const widgetKeysCreate: Command = {
  name: 'widget-keys create',
  summary: 'create a widget installation key for the Agent Workspace; prints it once',
  flags: {
    account: ACCOUNT,
    name: { value: 'N', help: 'where it is installed, for the list (default "Agent Workspace")' },
    json: JSON_OUTPUT,
  },
  async run(ctx, flags) {
    const account = await accountFlag(ctx, flags);
    const input = parseInput(WidgetKeyInput, {
      name: flags.optional('name') ?? 'Agent Workspace',
    });
    const created = await createWidgetKey(widgetKeyContext(ctx, account.id), input);
    ctx.err('Store this key now: c2m keeps it hashed and will not show it again.');
    if (flags.bool('json')) {
      ctx.out(JSON.stringify({ ...created, accountId: account.id }, null, 2));
      return;
    }
    ctx.out(`widget key ${created.id} for account ${account.id} (${created.name})`);
    ctx.out(`  key:            ${created.key}`);
    ctx.out(`  register in LivePerson's Agent Workspace: ${created.workspaceUrl}`);
  },
};

const widgetKeysList: Command = {
  name: 'widget-keys list',
  summary: "list an account's widget installation keys (never the keys themselves)",
  flags: { account: ACCOUNT, json: JSON_OUTPUT },
  async run(ctx, flags) {
    const account = await accountFlag(ctx, flags);
    const list = await listAccountWidgetKeys(ctx.db, account.id);
    if (flags.bool('json')) {
      ctx.out(JSON.stringify(list, null, 2));
      return;
    }
    if (list.length === 0) ctx.err(`account ${account.id} has no widget keys`);
    for (const k of list) {
      const state = k.revokedAt === null ? 'active' : `revoked ${k.revokedAt}`;
      ctx.out([k.id, k.createdAt, state, k.name].join('  '));
    }
  },
};

const widgetKeysRevoke: Command = {
  name: 'widget-keys revoke',
  summary: 'revoke a widget installation key; its widgets are told so at once',
  flags: { account: ACCOUNT, id: { value: 'KEY', help: 'the widget key id (required)' } },
  async run(ctx, flags) {
    const account = await accountFlag(ctx, flags);
    const id = flags.required('id');
    try {
      await revokeAccountWidgetKey(widgetKeyContext(ctx, account.id), id);
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 404) throw err;
      throw new UsageError(`--id: account ${account.id} has no active widget key ${id}`);
    }
    ctx.out(`widget key ${id} revoked`);
  },
};

export const widgetKeyCommands = [widgetKeysCreate, widgetKeysList, widgetKeysRevoke];
