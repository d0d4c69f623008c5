import { AppError } from '../errors.js';
import { accountSet } from './account-settings.js';
import { parseFlags, usageLines, UsageError, type Flags } from './args.js';
import { accountCreate, demo, optoutAdd, optoutPrune, optoutRemove, skillAdd } from './commands.js';
import { openContext, type CliIo, type Command, type StandaloneCommand } from './context.js';
import { copyData } from './copy-data.js';
import { migrate } from './migrate.js';
import { credentialCommands } from './credentials.js';
import { handoffCreate } from './handoff.js';
import { accountList, handoffList, userList } from './lists.js';
import { providerCommands } from './providers.js';
import { userAdd } from './users.js';
import { widgetKeyCommands } from './widget-keys.js';

const COMMANDS: (Command | StandaloneCommand)[] = [
  accountCreate,
  accountList,
  accountSet,
  skillAdd,
  handoffCreate,
  handoffList,
  ...credentialCommands,
  ...widgetKeyCommands,
  ...providerCommands,
  userAdd,
  userList,
  optoutAdd,
  optoutRemove,
  optoutPrune,
  demo,
  migrate,
  copyData,
];

function generalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    'Usage: c2m <command> [flags]        (npx c2m …, or npm run c2m -- …)',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Every command works on the data dir of C2M_DATA_DIR (default ./data), with the same secret and',
    'migrations as the server, and can run while the server is up.',
    "Run 'c2m <command> --help' for its flags.",
  ].join('\n');
}

function commandHelp(command: Command | StandaloneCommand): string {
  const flags = [...usageLines(command.flags), ['--help', 'show this help']];
  const width = Math.max(...flags.map(([flag]) => flag.length)) + 2;
  return [
    `Usage: c2m ${command.name} [flags]`,
    '',
    command.summary,
    '',
    ...flags.map(([flag, text]) => `  ${flag.padEnd(width)}${text}`),
  ].join('\n');
}

/**
 * A service's refusal (a 4xx: bad input, a duplicate, nothing found) said as a usage error that
 * names the flag which set the refused field; anything else is a failure and stays as it is.
 */
function asUsageError(err: unknown, command: Command | StandaloneCommand, flags: Flags): unknown {
  if (!(err instanceof AppError) || err.status >= 500) return err;
  const fields = err.admin?.fieldErrors;
  const colon = err.message.indexOf(': ');
  const [field, rule] = fields
    ? Object.entries(fields)[0]
    : colon < 0
      ? [undefined, err.message]
      : [err.message.slice(0, colon), err.message.slice(colon + 2)];
  if (field === undefined) return new UsageError(rule);
  const flag = command.flagOf?.(field, flags) ?? `--${field}`;
  return new UsageError(`${flag}: ${rule}`);
}

/**
 * Runs one command line in this process and returns its exit code: 0 done, 1 failed, 2 bad input
 * (the message names the flag). Nothing is written but through `io`.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const wantsHelp = argv.includes('--help') || argv.includes('-h') || argv[0] === 'help';
  const args = argv[0] === 'help' ? [...argv.slice(1), '--help'] : argv;
  const selects = (words: string) => words.split(' ').every((word, i) => args[i] === word);
  const command = COMMANDS.find(
    (c) => selects(c.name) || (c.alias !== undefined && selects(c.alias)),
  );
  if (!command) {
    const words = args.filter((a) => !a.startsWith('-'));
    const group = COMMANDS.filter((c) => c.name.startsWith(`${words[0]} `));
    if (words.length === 0 || group.length > 0) {
      const shown = group.length > 0 ? group.map(commandHelp).join('\n\n') : generalHelp();
      (wantsHelp ? io.out : io.err)(shown);
      return wantsHelp ? 0 : 2;
    }
    io.err(`c2m: unknown command '${words.join(' ')}'\n\n${generalHelp()}`);
    return 2;
  }

  const prefix = `c2m ${command.name}`;
  try {
    const words = (selects(command.name) ? command.name : (command.alias ?? '')).split(' ').length;
    const { flags, help } = parseFlags(args.slice(words), command.flags);
    if (help) {
      io.out(commandHelp(command));
      return 0;
    }
    if ('standalone' in command) {
      await command.run(io, flags);
      return 0;
    }
    const ctx = await openContext(io);
    try {
      await command.run(ctx, flags);
    } catch (err) {
      throw asUsageError(err, command, flags);
    } finally {
      await ctx.close();
    }
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`${prefix}: ${err.message}\nRun '${prefix} --help' for usage.`);
      return 2;
    }
    io.err(`${prefix}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
