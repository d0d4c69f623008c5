import { parseArgs, type ParseArgsConfig } from 'node:util';
import { E164_RULE } from '../../contract/phone.js';
import { identifierProblem } from '../../contract/text.js';
import { isValidE164 } from '../channels/phone.js';

/** Bad input on the command line. The message names the flag; the CLI exits with code 2. */
export class UsageError extends Error {}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

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

  /** A name or id, under the API's identifier rule (no < >, control or invisible characters). */
  identifier(name: string, max = 255): string {
    const value = this.required(name, max);
    const problem = identifierProblem(value);
    if (problem) throw new UsageError(`--${name}: ${problem}`);
    return value;
  }

  /** Every value of a flag that may be repeated (`--app a --app b`). */
  all(name: string, max = 255): string[] {
    const values = (this.values[name] as string[] | undefined) ?? [];
    return values.map((v) => new Flags({ [name]: v }).required(name, max));
  }

  int(name: string, range: { min: number; max: number }, fallback: number): number {
    const text = this.optional(name);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < range.min || n > range.max) {
      throw new UsageError(`--${name}: must be a whole number from ${range.min} to ${range.max}`);
    }
    return n;
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

  phone(name: string): string {
    const phone = this.required(name, 16);
    if (!isValidE164(phone)) throw new UsageError(`--${name}: ${E164_RULE}`);
    return phone;
  }
}

/** node:util parseArgs, strict, with its errors turned into usage errors that name the flag. */
export function parseFlags(argv: string[], options: OptionSpec): { flags: Flags; help: boolean } {
  try {
    const { values } = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
    return { flags: new Flags(values), help: values.help === true };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (!code.startsWith('ERR_PARSE_ARGS')) throw err;
    // the first sentence names the flag; the rest is advice about `--` that does not apply here
    throw new UsageError((err as Error).message.split('. ')[0]);
  }
}
