import { z } from 'zod';

/** `/healthz`: the process answers. */
export const HealthStatus = z.object({ status: z.literal('ok') });
export type HealthStatus = z.infer<typeof HealthStatus>;

/** How one dependency answered /readyz within its time. */
export const CheckResult = z.enum(['ok', 'failed', 'timed out']);
export type CheckResult = z.infer<typeof CheckResult>;

/**
 * `/readyz`: `ready` with 200; otherwise 503 (with Retry-After) and what is missing: a dependency
 * that did not answer (`unavailable`, `checks` says which), migrations not applied yet, start-up.
 */
export const ReadinessStatus = z.object({
  status: z.enum(['ready', 'starting', 'migrations pending', 'unavailable']),
  /** Each dependency by name (`sqlite` or `postgresql`, `redis`) and how it answered. */
  checks: z.record(z.string(), CheckResult),
});
export type ReadinessStatus = z.infer<typeof ReadinessStatus>;
