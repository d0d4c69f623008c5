import {
  createCredential,
  listAccountCredentials,
  revokeAccountCredential,
  type CredentialContext,
} from '../modules/accounts/credentials.admin.service.js';
import { CredentialInput, CredentialKind } from '../../contract/credentials.js';
import { Permission } from '../../contract/policy.js';
import { AppError } from '../errors.js';
import { parseInput } from '../http/validate.js';
import { UsageError } from './args.js';
import { accountFlag, ACCOUNT, JSON_OUTPUT, type CliContext, type Command } from './context.js';

/** The admin API's credential context, for a process that holds no sessions to end. */
function credentialContext(ctx: CliContext, accountId: string): CredentialContext {
  return {
    db: ctx.db,
    reads: ctx.reads,
    encryptionKey: ctx.keys.secrets,
    accountId,
    now: ctx.clock(),
    tokenUrl: `${ctx.baseUrl}/oauth/token`,
    // the running nodes end the credential's sessions and sockets at once (session-guard.ts)
    revoked: (id) => ctx.bus.tell('credential-revoked', id),
  };
}

const credentialsCreate: Command = {
  name: 'credentials create',
  summary: 'create IVR API credentials; prints the secrets once',
  flags: {
    account: ACCOUNT,
    kind: {
      value: CredentialKind.options.join('|'),
      help: 'OAuth 1.0a signed requests, or OAuth 2.0 client credentials (required)',
    },
    name: { value: 'N', help: 'a label for the list (default: "<kind> credential")' },
    permissions: {
      value: 'LIST',
      help: `from ${Permission.options.join(', ')} (default ivr)`,
    },
    json: JSON_OUTPUT,
  },
  async run(ctx, flags) {
    const account = await accountFlag(ctx, flags);
    const kind = CredentialKind.safeParse(flags.required('kind'));
    if (!kind.success) {
      throw new UsageError(`--kind: must be ${CredentialKind.options.join(' or ')}`);
    }
    const input = parseInput(CredentialInput, {
      kind: kind.data,
      name: flags.optional('name') ?? `${kind.data} credential`,
      permissions: flags.list('permissions', Permission.options, ['ivr']),
    });
    const { id, permissions, secrets } = await createCredential(
      credentialContext(ctx, account.id),
      input,
    );
    ctx.err(
      'Store these secrets now: c2m keeps them hashed or encrypted and will not show them again.',
    );
    if (flags.bool('json')) {
      const shown = {
        id,
        accountId: account.id,
        kind: input.kind,
        permissions,
        serverUrl: ctx.baseUrl,
        ...secrets,
      };
      ctx.out(JSON.stringify(shown, null, 2));
      return;
    }
    ctx.out(`${input.kind} credential ${id} for account ${account.id} (${permissions.join(', ')})`);
    const shown = { serverUrl: ctx.baseUrl, ...secrets };
    const width = Math.max(...Object.keys(shown).map((k) => k.length)) + 2;
    for (const [key, value] of Object.entries(shown)) {
      ctx.out(`  ${(key + ':').padEnd(width)}${value}`);
    }
  },
};

const credentialsList: Command = {
  name: 'credentials list',
  summary: "list an account's credentials (public ids only, never secrets)",
  flags: { account: ACCOUNT, json: JSON_OUTPUT },
  async run(ctx, flags) {
    const account = await accountFlag(ctx, flags);
    const list = await listAccountCredentials(ctx.db, account.id);
    if (flags.bool('json')) {
      ctx.out(JSON.stringify(list, null, 2));
      return;
    }
    if (list.length === 0) ctx.err(`account ${account.id} has no credentials`);
    for (const c of list) {
      const state = c.revokedAt === null ? 'active' : `revoked ${c.revokedAt}`;
      const columns = [c.id, c.kind, c.keyId, c.permissions.join(','), c.createdAt, state, c.name];
      ctx.out(columns.join('  '));
    }
  },
};

const credentialsRevoke: Command = {
  name: 'credentials revoke',
  summary: 'revoke a credential; its signatures and bearer tokens stop working at once',
  flags: { account: ACCOUNT, id: { value: 'CRED', help: 'the credential id (required)' } },
  async run(ctx, flags) {
    const account = await accountFlag(ctx, flags);
    const id = flags.required('id');
    try {
      await revokeAccountCredential(credentialContext(ctx, account.id), id);
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 404) throw err;
      throw new UsageError(`--id: account ${account.id} has no active credential ${id}`);
    }
    ctx.out(`credential ${id} revoked`);
  },
};

export const credentialCommands = [credentialsCreate, credentialsList, credentialsRevoke];
