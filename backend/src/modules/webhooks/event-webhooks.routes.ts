import { z } from 'zod';
import {
  DeliveriesQuery,
  DeliveryView,
  SubscriptionCreated,
  SubscriptionInput,
  SubscriptionPatch,
  SubscriptionView,
  WebhookEvent,
} from '../../../contract/webhooks.js';
import type { AppDeps } from '../deps.js';
import { ivrErrors } from '../../http/error-models.js';
import { empty, json, type Outgoing } from '../../http/operation.js';
import { ApiRouter } from '../../http/route.js';
import { ivr } from '../accounts/ivr-auth.js';
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

const MISSING = { 404: 'No such subscription' };

/**
 * A brand's event webhooks, managed with an admin credential: subscriptions, their deliveries,
 * and replay. Another account's subscription or delivery is answered as not found.
 */
export function eventWebhookRoutes(deps: AppDeps): ApiRouter {
  const router = new ApiRouter(ivrErrors, {
    prefix: '/api/account/:accountId/webhooks',
    tag: 'Event webhooks',
  });
  const auth = ivr(deps, 'admin');

  router.add({
    name: 'createSubscription',
    method: 'post',
    path: '',
    summary: 'Subscribe a URL to events',
    description: 'The secret that signs deliveries is answered by this call only.',
    auth,
    body: SubscriptionInput,
    example: { url: 'https://cc.example.com/c2m', events: ['transaction.delivered'] },
    responses: { 201: json(SubscriptionCreated, 'Subscribed; the secret is shown this once') },
    handle: async (ctx, { caller: { accountId }, body }) => {
      const { subscription, secret } = await createSubscription(deps, accountId, body);
      ctx.status = 201;
      return { ...presentSubscription(subscription), secret } satisfies SubscriptionCreated;
    },
  });

  router.add({
    name: 'listSubscriptions',
    method: 'get',
    path: '',
    summary: 'List subscriptions',
    auth,
    responses: {
      200: json(z.object({ subscriptions: z.array(SubscriptionView) }), 'All of them'),
    },
    handle: async (_ctx, { caller: { accountId } }) => ({
      subscriptions: (await subscriptionsOf(deps, accountId)).map(presentSubscription),
    }),
  });

  router.add({
    name: 'getSubscription',
    method: 'get',
    path: '/:id',
    summary: 'Read a subscription',
    auth,
    responses: { 200: json(SubscriptionView, 'The subscription') },
    errors: MISSING,
    handle: async (_ctx, { caller: { accountId }, params }) =>
      presentSubscription(await getSubscription(deps, accountId, params.id)),
  });

  router.add({
    name: 'changeSubscription',
    method: 'patch',
    path: '/:id',
    summary: 'Change a subscription (a new secret rotates it)',
    auth,
    body: SubscriptionPatch,
    example: { enabled: false },
    responses: { 200: json(SubscriptionView, 'As saved') },
    errors: MISSING,
    handle: async (_ctx, { caller: { accountId }, params, body }) =>
      presentSubscription(await changeSubscription(deps, accountId, params.id, body)),
  });

  router.add({
    name: 'removeSubscription',
    method: 'delete',
    path: '/:id',
    summary: 'Remove a subscription',
    auth,
    responses: { 204: empty('Removed') },
    errors: MISSING,
    handle: async (ctx, { caller: { accountId }, params }) => {
      await removeSubscription(deps, accountId, params.id);
      ctx.status = 204;
    },
  });

  router.add({
    name: 'listDeliveries',
    method: 'get',
    path: '/:id/deliveries',
    summary: "A subscription's deliveries",
    auth,
    query: DeliveriesQuery,
    responses: { 200: json(z.object({ deliveries: z.array(DeliveryView) }), 'Newest first') },
    errors: MISSING,
    handle: async (_ctx, { caller: { accountId }, params, query }) => ({
      deliveries: (await deliveriesOf(deps, accountId, params.id, query.status)).map(
        presentDelivery,
      ),
    }),
  });

  router.add({
    name: 'replayDelivery',
    method: 'post',
    path: '/deliveries/:deliveryId/replay',
    summary: 'Deliver an event again',
    auth,
    responses: { 202: json(DeliveryView, 'Queued again') },
    errors: { 404: 'No such delivery' },
    handle: async (ctx, { caller: { accountId }, params }) => {
      const replayed = await replay(deps, accountId, params.deliveryId);
      ctx.status = 202;
      return presentDelivery(replayed);
    },
  });
  return router;
}

/** What each subscribed URL receives (sent by dispatcher.ts), for the API reference. */
export const EVENT_DELIVERY: Outgoing = {
  name: 'event',
  summary: 'An event, POSTed to each subscription of its type',
  description:
    'At least once, in order per transaction. Check the signature, drop a repeated ' +
    '`X-C2M-Delivery`, answer 2xx; anything else is retried with backoff.',
  headers: z.object({
    'X-C2M-Event': z.string().describe('The event type, as in the body'),
    'X-C2M-Delivery': z.string().describe('The body’s id: the same on a retry or replay'),
    'X-C2M-Timestamp': z.string().describe('Unix seconds when this attempt was signed'),
    'X-C2M-Signature': z
      .string()
      .describe('v1=<hex HMAC-SHA256(secret, X-C2M-Timestamp + "." + raw body)>'),
  }),
  body: WebhookEvent,
};
