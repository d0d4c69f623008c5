import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The first IPC message a bench server sends: where it listens, plus anything it seeded. */
export interface ReadyMessage {
  type: 'ready';
  port: number;
}

export interface Child<M extends ReadyMessage> {
  name: string;
  process: ChildProcess;
  ready: M;
  /** The child's own CPU time so far (user + system, microseconds). */
  cpuMicros(): Promise<number>;
  /** SIGTERM, then SIGKILL when it has not exited in time; resolves once it is gone. */
  stop(graceMs?: number): Promise<void>;
}

interface CpuMessage {
  type: 'cpu';
  micros: number;
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
    const cpuMicros = () =>
      new Promise<number>((ok) => {
        const onMessage = (message: CpuMessage) => {
          if (message.type !== 'cpu') return;
          child.off('message', onMessage);
          ok(message.micros);
        };
        child.on('message', onMessage);
        child.send({ type: 'cpu' });
      });
    return { name, process: child, ready, cpuMicros, stop };
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

/**
 * For the children: tells the parent it is ready, and from then on answers its CPU-time questions
 * (CPU per request does not depend on how much CPU the load generator took from the server).
 */
export function sendToParent(message: ReadyMessage): void {
  if (!process.send) throw new Error('run me through bench/deflection.bench.ts (no IPC channel)');
  process.on('message', (question: { type?: string }) => {
    if (question.type !== 'cpu') return;
    const { user, system } = process.cpuUsage();
    process.send?.({ type: 'cpu', micros: user + system } satisfies CpuMessage);
  });
  process.send(message);
}
