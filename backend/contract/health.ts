import { z } from 'zod';

/** `/healthz`: the process answers. */
export const HealthStatus = z.object({ status: z.literal('ok') });
export type HealthStatus = z.infer<typeof HealthStatus>;

/** `/readyz`: `ready` with 200; otherwise 503 and what is missing. */
export const ReadinessStatus = z.object({
  status: z.enum([
    'ready',
    'starting',
    'migrations pending',
    'database unreachable',
    'redis unreachable',
  ]),
});
export type ReadinessStatus = z.infer<typeof ReadinessStatus>;
