import { createHash } from 'node:crypto';
import type { Context } from 'koa';
import { IvrErrorCode } from '../../../contract/errors.js';
import type { Db } from '../../db/database.js';
import { AppError, invalidRequest } from '../../errors.js';

const DAY_MS = 86_400_000;

/**
 * Honours an `Idempotency-Key` the way Stripe and the IETF draft describe: the first successful
 * answer is stored and replayed for the same key and body; the same key with another body is a
 * 422. Only successes are kept, so a rejected request stores nothing and may be retried as is.
 */
export async function withIdempotency<T>(
  ctx: Context,
  db: Db,
  scope: { accountId: string; route: string; body: unknown; now: number },
  handler: () => Promise<T>,
): Promise<void> {
  const key = ctx.get('Idempotency-Key');
  if (!key) {
    ctx.body = await handler();
    return;
  }
  if (key.length > 255) throw invalidRequest('Idempotency-Key: at most 255 characters');
  const hash = createHash('sha256').update(JSON.stringify(scope.body)).digest('hex');
  const where = { account_id: scope.accountId, route: scope.route, key };

  const existing = await db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('account_id', '=', where.account_id)
    .where('route', '=', where.route)
    .where('key', '=', key)
    .where('created_at', '>', scope.now - DAY_MS)
    .executeTakeFirst();
  if (existing) {
    if (existing.request_hash !== hash) {
      throw new AppError(
        422,
        IvrErrorCode.idempotencyKeyReused,
        'Idempotency-Key was already used with a different request body',
      );
    }
    if (existing.status === null || existing.response_json === null) {
      throw new AppError(
        409,
        IvrErrorCode.idempotencyKeyInUse,
        'A request with this Idempotency-Key is still being processed',
      );
    }
    ctx.status = existing.status;
    ctx.set('Idempotent-Replayed', 'true');
    ctx.body = JSON.parse(existing.response_json) as unknown;
    return;
  }

  // claim the key first so a concurrent duplicate sees "in progress" instead of running twice; a
  // row older than a day (pruned or not) may be taken over, a live one never
  const claimed = await db
    .insertInto('idempotency_keys')
    .values({
      ...where,
      request_hash: hash,
      status: null,
      response_json: null,
      created_at: scope.now,
    })
    .onConflict((oc) =>
      oc
        .columns(['account_id', 'route', 'key'])
        .doUpdateSet({
          request_hash: hash,
          status: null,
          response_json: null,
          created_at: scope.now,
        })
        .where('idempotency_keys.created_at', '<=', scope.now - DAY_MS),
    )
    .executeTakeFirst();
  if ((claimed.numInsertedOrUpdatedRows ?? 0n) === 0n) {
    throw new AppError(
      409,
      IvrErrorCode.idempotencyKeyInUse,
      'A request with this Idempotency-Key is still being processed',
    );
  }
  const release = () =>
    db
      .deleteFrom('idempotency_keys')
      .where('account_id', '=', where.account_id)
      .where('route', '=', where.route)
      .where('key', '=', key)
      .execute();
  let result: T;
  try {
    result = await handler();
  } catch (err) {
    await release();
    throw err;
  }
  await db
    .updateTable('idempotency_keys')
    .set({ status: 200, response_json: JSON.stringify(result) })
    .where('account_id', '=', where.account_id)
    .where('route', '=', where.route)
    .where('key', '=', key)
    .execute();
  ctx.body = result;
}

/** Keys older than a day are forgotten; a reuse after that is a new request. */
export async function pruneIdempotencyKeys(db: Db, now: number): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('created_at', '<=', now - DAY_MS)
    .execute();
}
