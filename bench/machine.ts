import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';

/** What the figures depend on: cores, CPU model, node, and how busy the machine already was. */
export function machineFacts(): string[] {
  let nproc = String(availableParallelism());
  try {
    nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
  } catch {
    // no coreutils: os.availableParallelism() is the same figure
  }
  return [
    `nproc: ${nproc}   cpu: ${cpus()[0]?.model ?? 'unknown'}`,
    `node: ${process.version}   kernel: ${release()}   memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `load average: ${loadAverage()}`,
  ];
}

export const loadAverage = () =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');

/** Busy CPU time of the whole machine so far, in microseconds (Linux /proc/stat; else undefined). */
export function machineBusyMicros(): number | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/);
    // cpu user nice system idle iowait irq softirq steal …, in USER_HZ (100 per second on Linux)
    const [user, nice, system, , , irq, softirq, steal] = fields.slice(1).map(Number);
    return (user + nice + system + irq + softirq + steal) * 10_000;
  } catch {
    return undefined;
  }
}

export interface CpuAccount {
  /** CPU of the server process (user + system), microseconds. */
  serverUs: number;
  /** Cores the load generator (this process) kept busy. */
  generatorCores: number;
  /** Cores every other process on the machine used: noise, when /proc/stat can tell. */
  otherCores: number | undefined;
  /** CLOCK_MONOTONIC microseconds, the clock of V8's .cpuprofile timestamps, to slice a profile. */
  window: [number, number];
}

/** Runs `work` and says who used the CPU meanwhile: the server, this process, everyone else. */
export async function accountCpu<T>(
  serverCpuMicros: () => Promise<number>,
  work: () => Promise<T>,
): Promise<{ result: T; cpu: CpuAccount }> {
  const server = await serverCpuMicros();
  const generator = process.cpuUsage();
  const machine = machineBusyMicros();
  const start = process.hrtime.bigint();
  const result = await work();
  const end = process.hrtime.bigint();
  const wallUs = Number(end - start) / 1000;
  const serverUs = (await serverCpuMicros()) - server;
  const own = process.cpuUsage(generator);
  const generatorUs = own.user + own.system;
  const machineNow = machineBusyMicros();
  return {
    result,
    cpu: {
      serverUs,
      generatorCores: generatorUs / wallUs,
      otherCores:
        machineNow === undefined || machine === undefined
          ? undefined
          : (machineNow - machine - serverUs - generatorUs) / wallUs,
      window: [Number(start / 1000n), Number(end / 1000n)],
    },
  };
}
