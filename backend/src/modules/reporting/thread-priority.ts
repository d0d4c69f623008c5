import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * On Linux a thread has its own nice value: a reporting thread yields the CPU to the request
 * thread when both want it (a heavy read or an export may take longer; an IVR's eligibility must
 * not). Best effort: other systems, or a sandbox that forbids it, keep the default priority.
 */
export function lowerOwnPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid)) setPriority(tid, 10);
  } catch {
    // not Linux, or not allowed: the threads share the CPU evenly
  }
}
