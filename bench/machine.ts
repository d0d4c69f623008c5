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
