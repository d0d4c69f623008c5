import { HealthStatus, ReadinessStatus, type CheckResult } from '../../contract/health.js';
import { migrationsApplied } from '../db/migrate.js';
import { ivrErrors } from '../http/error-models.js';
import { json } from '../http/operation.js';
import { ApiRouter, anyone } from '../http/route.js';
import type { AppDeps } from '../modules/deps.js';
import { readinessChecks } from './readiness.js';

/**
 * How long /readyz waits for each dependency (the database behind a write waiting for a lock, a
 * PostgreSQL cut off) before it counts as not answering.
 */
const READY_TIMEOUT_MS = 500;

/** When a load balancer or client may ask again after a 503. */
const RETRY_AFTER_S = '5';

export function healthRoutes(deps: AppDeps): ApiRouter {
  const router = new ApiRouter(ivrErrors, { tag: 'Operations' });
  const checks = readinessChecks(deps);
  // liveness only: the process answers. It never touches the database, so another process
  // holding the database's lock, or PostgreSQL down, cannot make an orchestrator restart c2m.
  router.add({
    name: 'getHealth',
    method: 'get',
    path: '/healthz',
    summary: 'The process is up',
    auth: anyone,
    responses: { 200: json(HealthStatus, 'Up') },
    handle: () => ({ status: 'ok' }) satisfies HealthStatus,
  });
  router.add({
    name: 'getReadiness',
    method: 'get',
    path: '/readyz',
    summary: 'Every dependency answers, the database is migrated and start-up is done',
    description:
      '`checks` names each dependency (`sqlite` or `postgresql`, `redis`) with `ok`, `failed` ' +
      'or `timed out`; a 503 carries `Retry-After`.',
    auth: anyone,
    responses: {
      200: json(ReadinessStatus, 'Ready'),
      503: json(ReadinessStatus, 'Starting, migrations pending, or a dependency not answering'),
    },
    handle: async (ctx) => {
      const results = await Promise.all(checks.map((c) => outcome(c.probe())));
      const answers = Object.fromEntries(checks.map((c, i) => [c.name, results[i]]));
      const status = results.every((r) => r === 'ok')
        ? await pastDependencies(deps)
        : 'unavailable';
      if (status !== 'ready') {
        ctx.status = 503;
        ctx.set('Retry-After', RETRY_AFTER_S);
      }
      return { status, checks: answers } satisfies ReadinessStatus;
    },
  });
  return router;
}

/** With every dependency answering: whether the schema is this code's and start-up is done. */
async function pastDependencies(deps: AppDeps): Promise<ReadinessStatus['status']> {
  const migrated = await within(migrationsApplied(deps.db)).catch(() => undefined);
  if (migrated === undefined) return 'unavailable';
  if (!migrated) return 'migrations pending';
  return deps.isReady() ? 'ready' : 'starting';
}

/** How one probe went. */
const outcome = (probe: Promise<unknown>): Promise<CheckResult> =>
  within(probe).then(
    () => 'ok',
    (err: unknown) => (err instanceof LateAnswer ? 'timed out' : 'failed'),
  );

class LateAnswer extends Error {}

/** `work`'s result, or a LateAnswer after READY_TIMEOUT_MS. */
function within<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new LateAnswer()), READY_TIMEOUT_MS);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
