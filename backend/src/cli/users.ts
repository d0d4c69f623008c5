import { Role } from '../../contract/policy.js';
import { addUser, MAX_PASSWORD } from '../modules/sessions/users.service.js';
import { UsageError, type Flags } from './args.js';
import { accountFlag, ACCOUNT, type CliContext, type Command } from './context.js';

export const userAdd: Command = {
  name: 'user add',
  summary: "add a person who signs in on c2m's own admin page",
  flags: {
    account: ACCOUNT,
    username: { value: 'U', help: 'the sign-in name, unique in the account (required)' },
    role: { value: 'ROLE', help: `one of ${Role.options.join(', ')} (required)` },
    'password-stdin': { help: 'read the password from standard input (preferred)' },
    password: { value: 'P', help: 'the password itself (visible in shell history and `ps`)' },
  },
  flagOf: (field, flags) =>
    field === 'password' && flags.bool('password-stdin') ? '--password-stdin' : `--${field}`,
  async run(ctx, flags) {
    const account = await accountFlag(ctx, flags);
    const username = flags.required('username', 128);
    const role = flags.required('role');
    const password = await readPassword(ctx, flags);
    await addUser(ctx, account.id, { username, role, password });
    ctx.out(`user ${username} (${role}) added to account ${account.id}`);
  },
};

/** Exactly one source; the service checks the password before anything is stored. */
async function readPassword(ctx: CliContext, flags: Flags): Promise<string> {
  const fromStdin = flags.bool('password-stdin');
  if (fromStdin === flags.has('password')) {
    throw new UsageError('--password-stdin: give it or --password P (exactly one of the two)');
  }
  if (!fromStdin) return flags.required('password', MAX_PASSWORD);
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.stdin ?? []) chunks.push(Buffer.from(chunk));
  // only the line break that a pipe or `echo` adds is not part of the password
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}
