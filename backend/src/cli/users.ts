import { Role } from '../../contract/policy.js';
import { createUser } from '../modules/sessions/users.repo.js';
import { UsageError, type Flags } from './args.js';
import { accountFlag, isUniqueViolation, type Command } from './context.js';

const MIN_PASSWORD = 8;
// the login endpoint takes at most this many characters
const MAX_PASSWORD = 256;

export const userAdd: Command = {
  name: 'user add',
  summary: "add a person who signs in on c2m's own admin page",
  usage: [
    ['--account ID', 'the account (required)'],
    ['--username U', 'the sign-in name, unique in the account (required)'],
    ['--role ROLE', `one of ${Role.options.join(', ')} (required)`],
    ['--password-stdin', 'read the password from standard input (preferred)'],
    ['--password P', 'the password itself (visible in shell history and `ps`)'],
  ],
  options: {
    account: { type: 'string' },
    username: { type: 'string' },
    role: { type: 'string' },
    'password-stdin': { type: 'boolean' },
    password: { type: 'string' },
  },
  async run(ctx, flags) {
    const account = await accountFlag(ctx, flags);
    const username = flags.identifier('username', 128);
    const role = Role.safeParse(flags.required('role'));
    if (!role.success) throw new UsageError(`--role: must be one of ${Role.options.join(', ')}`);
    const password = await readPassword(flags);
    try {
      await createUser(ctx.db, {
        accountId: account.id,
        username,
        role: role.data,
        password,
        now: ctx.now(),
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      throw new UsageError(`--username: account ${account.id} already has a user '${username}'`);
    }
    ctx.out(`user ${username} (${role.data}) added to account ${account.id}`);
  },
};

/** Exactly one source; the password is checked before anything is stored. */
async function readPassword(flags: Flags): Promise<string> {
  const fromStdin = flags.bool('password-stdin');
  if (fromStdin === flags.has('password')) {
    throw new UsageError('--password-stdin: give it or --password P (exactly one of the two)');
  }
  const name = fromStdin ? 'password-stdin' : 'password';
  // only the line break that a pipe or `echo` adds is not part of the password
  const password = fromStdin
    ? (await readStdin()).replace(/\r?\n$/, '')
    : flags.required('password', MAX_PASSWORD);
  // `--password` is trimmed by the flag parser; refusing spaces here keeps both ways alike
  if (password !== password.trim()) {
    throw new UsageError(`--${name}: must not begin or end with a space`);
  }
  if (password.length < MIN_PASSWORD) {
    throw new UsageError(`--${name}: at least ${MIN_PASSWORD} characters`);
  }
  if (password.length > MAX_PASSWORD) {
    throw new UsageError(`--${name}: at most ${MAX_PASSWORD} characters`);
  }
  return password;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
