import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

/** The first IPC message a bench server sends: where it listens, plus anything it seeded. */
export interface ReadyMessage {
  type: 'ready';
  port: number;
}

/** A question the parent asks a child over IPC, and the child's answer to it. */
interface Question {
  type: 'ask';
  id: number;
  what: string;
  args?: unknown;
}
interface Answer {
  type: 'answer';
  id: number;
  value?: unknown;
  error?: string;
}

/** What a child can be asked besides the built-in questions (cpu, profile, loop delay). */
export type Handlers = Record<string, (args: never) => unknown>;

/** The child's event-loop delay since the last reset, in milliseconds. */
export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

export interface Child<M extends ReadyMessage> {
  name: string;
  process: ChildProcess;
  ready: M;
  /** Asks the child (see sendToParent) and resolves with its answer. */
  ask<T>(what: string, args?: unknown): Promise<T>;
  /** The child's own CPU time so far (user + system, microseconds). */
  cpuMicros(): Promise<number>;
  /** SIGTERM, then SIGKILL when it has not exited in time; resolves once it is gone. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Forks a TypeScript entry of bench/ under tsx with an IPC channel and waits for its `ready`
 * message. Servers run in their own process so the load generator (this process) does not share
 * an event loop with them.
 */
export async function startChild<M extends ReadyMessage>(
  name: string,
  entry: string,
  opts: { env?: Record<string, string>; execArgv?: string[]; timeoutMs?: number } = {},
): Promise<Child<M>> {
  const child = fork(fileURLToPath(new URL(entry, import.meta.url)), [], {
    execArgv: ['--import', 'tsx', ...(opts.execArgv ?? [])],
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const stop = (graceMs = 5000) => stopProcess(child, graceMs);
  try {
    const ready = await new Promise<M>((ok, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`${name}: not ready within ${opts.timeoutMs ?? 30_000} ms`)),
        opts.timeoutMs ?? 30_000,
      );
      child.once('error', fail);
      child.once('exit', (code, signal) =>
        fail(new Error(`${name}: exited before ready (code ${code}, signal ${signal})`)),
      );
      child.on('message', (message: M) => {
        if (message.type !== 'ready') return;
        clearTimeout(timer);
        ok(message);
      });
    });
    const pending = new Map<number, { ok: (v: unknown) => void; fail: (e: Error) => void }>();
    let nextId = 0;
    child.on('message', (message: Answer) => {
      if (message.type !== 'answer') return;
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.error !== undefined) waiter?.fail(new Error(`${name}: ${message.error}`));
      else waiter?.ok(message.value);
    });
    child.once('exit', () => {
      for (const w of pending.values()) w.fail(new Error(`${name}: exited`));
      pending.clear();
    });
    const ask = <T>(what: string, args?: unknown) =>
      new Promise<T>((ok, fail) => {
        const id = nextId++;
        pending.set(id, { ok: ok as (v: unknown) => void, fail });
        child.send({ type: 'ask', id, what, args } satisfies Question);
      });
    const cpuMicros = () => ask<number>('cpu');
    return { name, process: child, ready, ask, cpuMicros, stop };
  } catch (err) {
    await stop(1000);
    throw err;
  }
}

async function stopProcess(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  const within = (ms: number) =>
    Promise.race([
      exited.then(() => true),
      new Promise<boolean>((ok) => setTimeout(ok, ms, false)),
    ]);
  child.kill('SIGTERM');
  if (await within(graceMs)) return;
  child.kill('SIGKILL');
  await within(2000);
}

/** Sampling interval of the profiles taken with `profile-start` (V8's default is 1000 µs). */
const PROFILE_SAMPLING_US = 250;

/**
 * The questions every bench server answers: its CPU time (CPU per request does not depend on how
 * much CPU the load generator took from the server), its event-loop delay since the last reset,
 * and a CPU profile (node:inspector, in this process) from `profile-start` to `profile-stop`.
 */
function builtInHandlers(): Handlers {
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  let session: Session | undefined;
  const ms = (ns: number) => ns / 1e6;
  return {
    cpu: () => {
      const { user, system } = process.cpuUsage();
      return user + system;
    },
    'loop-delay-reset': () => loop.reset(),
    'loop-delay': (): LoopDelay => ({
      p50: ms(loop.percentile(50)),
      p99: ms(loop.percentile(99)),
      max: ms(loop.max),
      mean: ms(loop.mean),
    }),
    'profile-start': async () => {
      if (session) throw new Error('a profile is already running');
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: PROFILE_SAMPLING_US });
      await session.post('Profiler.start');
    },
    'profile-stop': async (args: { file: string }) => {
      if (!session) throw new Error('no profile is running');
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      session = undefined;
      writeFileSync(args.file, JSON.stringify(profile));
      return args.file;
    },
  };
}

/**
 * For the children: tells the parent it is ready, and from then on answers its questions — the
 * built-in ones and `handlers` (a handler's value, or its promise's, is the answer).
 */
export function sendToParent(message: ReadyMessage, handlers: Handlers = {}): void {
  if (!process.send) throw new Error('run me through bench/deflection.bench.ts (no IPC channel)');
  const all = { ...builtInHandlers(), ...handlers } as Record<string, (args: unknown) => unknown>;
  process.on('message', (question: Question) => {
    if (question.type !== 'ask') return;
    const reply = (a: Omit<Answer, 'type' | 'id'>) =>
      process.send?.({ type: 'answer', id: question.id, ...a } satisfies Answer);
    const handler = all[question.what];
    if (!handler) return reply({ error: `no handler for ${question.what}` });
    Promise.resolve()
      .then(() => handler(question.args))
      .then(
        (value) => reply({ value: value ?? null }),
        (err: unknown) => reply({ error: err instanceof Error ? err.message : String(err) }),
      );
  });
  process.send(message);
}
