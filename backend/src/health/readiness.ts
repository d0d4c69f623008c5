import { sql } from 'kysely';
import type { AppDeps } from '../modules/deps.js';
import { engineOf } from '../db/engine.js';

/** One dependency /readyz asks: it answers within the check's time, or the node is not ready. */
export interface ReadinessCheck {
  /** Names it in the answer: `postgresql`, `sqlite`, `redis`. */
  name: string;
  /** Resolves when the dependency answered. */
  probe(): Promise<unknown>;
}

/**
 * Every dependency a request may need, each asked on its own so the answer says which failed.
 * A dependency added to the node (Redis) adds its check here.
 */
export function readinessChecks(
  deps: Pick<AppDeps, 'db' | 'pingSharedState' | 'config'>,
): ReadinessCheck[] {
  return [
    {
      name: engineOf(deps.db) === 'postgres' ? 'postgresql' : 'sqlite',
      probe: () => sql`select 1`.execute(deps.db),
    },
    // several nodes share their limits, nonces and live events through Redis
    ...(deps.config.redis.url ? [{ name: 'redis', probe: () => deps.pingSharedState() }] : []),
  ];
}
