import { listCredentials, revokeCredential } from '../modules/accounts/credentials.repo.js';
import {
  createOAuth1Credential,
  createOAuth2Credential,
} from '../modules/accounts/credentials.service.js';
import { Permission } from '../../contract/policy.js';
import { UsageError } from './args.js';
import { accountFlag, type Command } from './context.js';

const PERMISSIONS: readonly Permission[] = Permission.options;
const KINDS = ['oauth1', 'oauth2'] as const;
const jsonUsage: [string, string] = ['--json', 'print JSON instead of readable lines'];

const credentialsCreate: Command = {
  name: 'credentials create',
  summary: 'create IVR API credentials; prints the secrets once',
  usage: [
    ['--account ID', 'the account (required)'],
    [
      '--kind oauth1|oauth2',
      'OAuth 1.0a signed requests, or OAuth 2.0 client credentials (required)',
    ],
    ['--name N', 'a label for the list (default: "<kind> credential")'],
    ['--permissions LIST', 'from ivr, reporting, admin, conversations (default ivr)'],
    jsonUsage,
  ],
  options: {
    account: { type: 'string' },
    kind: { type: 'string' },
    name: { type: 'string' },
    permissions: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(ctx, flags) {
    const account = await accountFlag(ctx, flags);
    const kind = flags.required('kind') as (typeof KINDS)[number];
    if (!KINDS.includes(kind)) throw new UsageError(`--kind: must be ${KINDS.join(' or ')}`);
    const permissions = flags.list('permissions', PERMISSIONS, ['ivr']);
    const base = {
      accountId: account.id,
      name: flags.optional('name') ?? `${kind} credential`,
      permissions,
      now: ctx.now(),
    };
    const { id, ...secrets } =
      kind === 'oauth1'
        ? await createOAuth1Credential(ctx.db, ctx.encryptionKey, base)
        : {
            ...(await createOAuth2Credential(ctx.db, base)),
            tokenUrl: `${ctx.baseUrl}/oauth/token`,
          };
    ctx.err(
      'Store these secrets now: c2m keeps them hashed or encrypted and will not show them again.',
    );
    if (flags.bool('json')) {
      ctx.out(
        JSON.stringify({ id, accountId: account.id, kind, permissions, ...secrets }, null, 2),
      );
      return;
    }
    ctx.out(`${kind} credential ${id} for account ${account.id} (${permissions.join(', ')})`);
    const width = Math.max(...Object.keys(secrets).map((k) => k.length)) + 2;
    for (const [key, value] of Object.entries(secrets)) {
      ctx.out(`  ${(key + ':').padEnd(width)}${value}`);
    }
  },
};

const credentialsList: Command = {
  name: 'credentials list',
  summary: "list an account's credentials (public ids only, never secrets)",
  usage: [['--account ID', 'the account (required)'], jsonUsage],
  options: { account: { type: 'string' }, json: { type: 'boolean' } },
  async run(ctx, flags) {
    const account = await accountFlag(ctx, flags);
    const list = await listCredentials(ctx.db, account.id);
    if (flags.bool('json')) {
      ctx.out(JSON.stringify(list, null, 2));
      return;
    }
    if (list.length === 0) ctx.err(`account ${account.id} has no credentials`);
    for (const c of list) {
      const state = c.revokedAt === null ? 'active' : `revoked ${iso(c.revokedAt)}`;
      ctx.out(
        [c.id, c.kind, c.keyId, c.permissions.join(','), iso(c.createdAt), state, c.name].join(
          '  ',
        ),
      );
    }
  },
};

const credentialsRevoke: Command = {
  name: 'credentials revoke',
  summary: 'revoke a credential; its signatures and bearer tokens stop working at once',
  usage: [
    ['--account ID', 'the account (required)'],
    ['--id CRED', 'the credential id (required)'],
  ],
  options: { account: { type: 'string' }, id: { type: 'string' } },
  async run(ctx, flags) {
    const account = await accountFlag(ctx, flags);
    const id = flags.required('id');
    if (!(await revokeCredential(ctx.db, account.id, id, ctx.now()))) {
      throw new UsageError(`--id: account ${account.id} has no active credential ${id}`);
    }
    ctx.out(`credential ${id} revoked`);
  },
};

const iso = (ms: number) => new Date(ms).toISOString();

export const credentialCommands = [credentialsCreate, credentialsList, credentialsRevoke];
