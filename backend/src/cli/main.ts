// The c2m command line: `npx c2m <command>` or `npm run c2m -- <command>`. Exit codes: 0 done,
// 1 failed, 2 bad input (the message names the flag).
import { parseFlags, UsageError } from './args.js';
import { accountCreate, demo, optoutAdd, optoutRemove, skillAdd } from './commands.js';
import { openContext, type CliIo, type Command } from './context.js';
import { credentialCommands } from './credentials.js';
import { accountSet } from './account-settings.js';
import { handoffCreate } from './handoff.js';
import { providerCommands } from './providers.js';
import { userAdd } from './users.js';

const COMMANDS: Command[] = [
  accountCreate,
  accountSet,
  skillAdd,
  handoffCreate,
  ...credentialCommands,
  ...providerCommands,
  userAdd,
  optoutAdd,
  optoutRemove,
  demo,
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

function commandHelp(command: Command): string {
  const flags: [string, string][] = [...command.usage, ['--help', 'show this help']];
  const width = Math.max(...flags.map(([flag]) => flag.length)) + 2;
  return [
    `Usage: c2m ${command.name} [flags]`,
    '',
    command.summary,
    '',
    ...flags.map(([flag, text]) => `  ${flag.padEnd(width)}${text}`),
  ].join('\n');
}

/** Runs one command line; returns the exit code. */
export async function runCli(
  argv: string[],
  env: Record<string, string | undefined>,
  io: CliIo,
): Promise<number> {
  const wantsHelp = argv.includes('--help') || argv.includes('-h') || argv[0] === 'help';
  const args = argv[0] === 'help' ? [...argv.slice(1), '--help'] : argv;
  const command = COMMANDS.find((c) => c.name.split(' ').every((word, i) => args[i] === word));
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
    const { flags, help } = parseFlags(args.slice(command.name.split(' ').length), command.options);
    if (help) {
      io.out(commandHelp(command));
      return 0;
    }
    const ctx = await openContext(env, io);
    try {
      await command.run(ctx, flags);
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

process.exitCode = await runCli(process.argv.slice(2), process.env, {
  out: (line) => void process.stdout.write(line + '\n'),
  err: (line) => void process.stderr.write(line + '\n'),
});
