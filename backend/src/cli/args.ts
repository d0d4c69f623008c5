import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Bad input on the command line. The message names the flag; the CLI exits with code 2. */
export class UsageError extends Error {}

/** One flag of a command: how it is parsed and how its help line reads. */
export interface FlagSpec {
  /** What follows the flag in the help (`ID`, `+E164`); a switch has none. */
  value?: string;
  /** Its help; a second line continues under the first. */
  help: string | [string, string];
  /** May be given more than once (`--app a --app b`). */
  multiple?: true;
}

/** The help's flag lines: [flag, text], an empty flag continuing the line above. */
export function usageLines(flags: Record<string, FlagSpec>): [string, string][] {
  return Object.entries(flags).flatMap(([name, spec]) => {
    const [first, ...more] = typeof spec.help === 'string' ? [spec.help] : spec.help;
    const flag = spec.value ? `--${name} ${spec.value}` : `--${name}`;
    return [[flag, first], ...more.map((text): [string, string] => ['', text])];
  });
}

/** The parsed flags of one command, read through checks that name the flag on failure. */
export class Flags {
  constructor(private readonly values: Record<string, unknown>) {}

  has(name: string): boolean {
    return this.values[name] !== undefined;
  }

  bool(name: string): boolean {
    return this.values[name] === true;
  }

  optional(name: string, max = 255): string | undefined {
    const value = this.values[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw new UsageError(`--${name}: needs a value`);
    const text = value.trim();
    if (text === '') throw new UsageError(`--${name}: must not be empty`);
    if (text.length > max) throw new UsageError(`--${name}: at most ${max} characters`);
    return text;
  }

  required(name: string, max = 255): string {
    const value = this.optional(name, max);
    if (value === undefined) throw new UsageError(`--${name}: is required`);
    return value;
  }

  /** Every value of a flag that may be repeated (`--app a --app b`). */
  all(name: string, max = 255): string[] {
    const values = (this.values[name] as string[] | undefined) ?? [];
    return values.map((v) => new Flags({ [name]: v }).required(name, max));
  }

  /** A whole number, or undefined when the flag is not given; the range is the service's rule. */
  int(name: string): number | undefined {
    const text = this.optional(name);
    if (text === undefined) return undefined;
    if (!/^\d{1,15}$/.test(text)) throw new UsageError(`--${name}: must be a whole number`);
    return Number(text);
  }

  /** A comma-separated list of known words, without repeats, in the order given. */
  list<T extends string>(name: string, allowed: readonly T[], fallback?: T[]): T[] {
    const text = fallback ? this.optional(name) : this.required(name);
    if (text === undefined) return fallback ?? [];
    const items = text.split(',').map((s) => s.trim());
    for (const item of items) {
      if (!(allowed as readonly string[]).includes(item)) {
        throw new UsageError(`--${name}: '${item}' is not one of ${allowed.join(', ')}`);
      }
    }
    if (new Set(items).size !== items.length) throw new UsageError(`--${name}: repeats a value`);
    return items as T[];
  }
}

/** node:util parseArgs, strict, with its errors turned into usage errors that name the flag. */
export function parseFlags(
  argv: string[],
  specs: Record<string, FlagSpec>,
): { flags: Flags; help: boolean } {
  const options: NonNullable<ParseArgsConfig['options']> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const [name, spec] of Object.entries(specs)) {
    options[name] = { type: spec.value ? 'string' : 'boolean', multiple: spec.multiple === true };
  }
  try {
    const { values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
    return { flags: new Flags(values), help: values.help === true };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (!code.startsWith('ERR_PARSE_ARGS')) throw err;
    // the first sentence names the flag; the rest is advice about `--` that does not apply here
    throw new UsageError((err as Error).message.split('. ')[0]);
  }
}
