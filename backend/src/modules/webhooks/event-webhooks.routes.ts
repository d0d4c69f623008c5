import Router from '@koa/router';
import type { Context } from 'koa';
import {
  DeliveriesQuery,
  SubscriptionInput,
  SubscriptionPatch,
  type SubscriptionCreated,
} from '../../../contract/webhooks.js';
import type { AppDeps } from '../deps.js';
import { readJson } from '../../http/body.js';
import { parseInput } from '../../http/validate.js';
import { ivrAuth, type IvrAuth } from '../accounts/ivr-auth.js';
import { presentDelivery, presentSubscription } from './webhooks.presenter.js';
import {
  changeSubscription,
  createSubscription,
  deliveriesOf,
  getSubscription,
  removeSubscription,
  replay,
  subscriptionsOf,
} from './subscriptions.service.js';

const accountOf = (ctx: Context) => (ctx.state.auth as IvrAuth).accountId;

/**
 * A brand's event webhooks, managed with an admin credential: subscriptions, their deliveries,
 * and replay. Another account's subscription or delivery is answered as not found.
 */
export function eventWebhookRoutes(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/account/:accountId/webhooks' });
  const admin = ivrAuth(deps, 'admin');

  router.post('/', admin, async (ctx) => {
    const input = parseInput(SubscriptionInput, await readJson(ctx));
    const { subscription, secret } = await createSubscription(deps, accountOf(ctx), input);
    ctx.status = 201;
    ctx.body = { ...presentSubscription(subscription), secret } satisfies SubscriptionCreated;
  });

  router.get('/', admin, async (ctx) => {
    const subscriptions = await subscriptionsOf(deps, accountOf(ctx));
    ctx.body = { subscriptions: subscriptions.map(presentSubscription) };
  });

  router.get('/:id', admin, async (ctx) => {
    ctx.body = presentSubscription(await getSubscription(deps, accountOf(ctx), ctx.params.id));
  });

  router.patch('/:id', admin, async (ctx) => {
    const patch = parseInput(SubscriptionPatch, await readJson(ctx));
    ctx.body = presentSubscription(
      await changeSubscription(deps, accountOf(ctx), ctx.params.id, patch),
    );
  });

  router.delete('/:id', admin, async (ctx) => {
    await removeSubscription(deps, accountOf(ctx), ctx.params.id);
    ctx.status = 204;
  });

  router.get('/:id/deliveries', admin, async (ctx) => {
    const { status } = parseInput(DeliveriesQuery, ctx.query);
    const deliveries = await deliveriesOf(deps, accountOf(ctx), ctx.params.id, status);
    ctx.body = { deliveries: deliveries.map(presentDelivery) };
  });

  router.post('/deliveries/:deliveryId/replay', admin, async (ctx) => {
    const replayed = await replay(deps, accountOf(ctx), ctx.params.deliveryId);
    ctx.status = 202;
    ctx.body = presentDelivery(replayed);
  });
  return router;
}
