import { listAccounts } from '../modules/accounts/accounts.repo.js';
import { listHandoffs, type HandoffRecord } from '../modules/handoffs/handoffs.repo.js';
import { listUsers } from '../modules/sessions/users.repo.js';
import { accountFlag, ACCOUNT, JSON_OUTPUT, type CliContext, type Command } from './context.js';

// What an operator looks up before the other commands: the ids they take. One row a line,
// columns two spaces apart, as `credentials list`; --json for scripts; an empty list is said on
// standard error, so standard output stays empty for a script.

const iso = (ms: number) => new Date(ms).toISOString();

function print(ctx: CliContext, json: boolean, rows: object[], columns: (string | number)[][]) {
  if (json) ctx.out(JSON.stringify(rows, null, 2));
  else for (const line of columns) ctx.out(line.join('  '));
}

export const accountList: Command = {
  name: 'account list',
  summary: 'list the accounts: id, created, name',
  flags: { json: JSON_OUTPUT },
  async run(ctx, flags) {
    const accounts = await listAccounts(ctx.db);
    if (accounts.length === 0) {
      ctx.err(`no accounts in ${ctx.config.dataDir}: create one with c2m account create --name N`);
    }
    const rows = accounts.map((a) => ({ id: a.id, name: a.name, createdAt: iso(a.created_at) }));
    print(
      ctx,
      flags.bool('json'),
      rows,
      rows.map((a) => [a.id, a.createdAt, a.name]),
    );
  },
};

const PAGE = 100;

/** Every handoff of the account, by title, a page at a time. */
async function allHandoffs(ctx: CliContext, accountId: string): Promise<HandoffRecord[]> {
  const all: HandoffRecord[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await listHandoffs(ctx.db, accountId, {
      offset,
      limit: PAGE,
      sort: 'title',
      order: 'asc',
    });
    all.push(...page.items);
    if (page.items.length < PAGE || all.length >= page.total) return all;
  }
}

export const handoffList: Command = {
  name: 'handoff list',
  summary: "list an account's handoffs: id, enabled channels, title",
  flags: { account: ACCOUNT, json: JSON_OUTPUT },
  async run(ctx, flags) {
    const account = await accountFlag(ctx, flags);
    const handoffs = await allHandoffs(ctx, account.id);
    if (handoffs.length === 0) ctx.err(`account ${account.id} has no handoffs`);
    const rows = handoffs.map((h) => ({
      id: h.id,
      title: h.title,
      channels: h.channels.filter((c) => c.enabled).map((c) => c.name),
      updatedAt: iso(h.updatedAt),
    }));
    print(
      ctx,
      flags.bool('json'),
      rows,
      rows.map((h) => [h.id, h.channels.join(',') || '-', h.title]),
    );
  },
};

export const userList: Command = {
  name: 'user list',
  alias: 'users list',
  summary: "list an account's users: username, role, created (never passwords)",
  flags: { account: ACCOUNT, json: JSON_OUTPUT },
  async run(ctx, flags) {
    const account = await accountFlag(ctx, flags);
    const users = await listUsers(ctx.db, account.id);
    if (users.length === 0) ctx.err(`account ${account.id} has no users`);
    const rows = users.map((u) => ({
      id: u.id,
      username: u.username,
      role: u.role,
      createdAt: iso(u.created_at),
    }));
    print(
      ctx,
      flags.bool('json'),
      rows,
      rows.map((u) => [u.username, u.role, u.createdAt]),
    );
  },
};
