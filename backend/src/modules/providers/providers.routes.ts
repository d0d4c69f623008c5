import type { Context } from 'koa';
import { z } from 'zod';
import { ChannelName } from '../../../contract/channels.js';
import { DeviceRegistration } from '../../../contract/devices.js';
import {
  SinkDeliveriesQuery,
  SinkDeliveryList,
  SinkReplayed,
  SinkSettingsInput,
  SinkSettingsView,
} from '../../../contract/sink.js';
import { ProviderList, ProviderSettings, ProviderView } from '../../../contract/providers.js';
import type { AppDeps } from '../deps.js';
import { notFound } from '../../errors.js';
import { ivrErrors } from '../../http/error-models.js';
import { empty, json } from '../../http/operation.js';
import { ApiRouter } from '../../http/route.js';
import { ivr } from '../accounts/ivr-auth.js';
import { replaySinkDelivery } from '../conversations/sink-dispatcher.js';
import { registerDevice, unregisterDevice } from '../devices/devices.repo.js';
import { providerView, providerWebhookUrl } from './providers.presenter.js';
import { listProviders, removeProvider, saveProvider, saveSink } from './providers.service.js';

/** The channel path parameter, named as such when it is not one we know. */
export const ChannelParam = z.object({ channel: ChannelName });

/**
 * Account set-up an admin credential may change: messaging providers per channel, the conversation
 * sink, and (for the brand's app backend) push devices. Secrets go in, never come out.
 */
export function accountSetupRoutes(deps: AppDeps): ApiRouter {
  const router = new ApiRouter(ivrErrors, {
    prefix: '/api/account/:accountId',
    tag: 'Account setup',
  });
  const auth = ivr(deps, 'admin');
  // absolute, to paste into the provider's console: the public URL, else where the admin reached us
  const webhookUrl = (ctx: Context, provider: string, accountId: string) =>
    providerWebhookUrl(deps.config, ctx, provider, accountId);

  router.add({
    name: 'listProviders',
    method: 'get',
    path: '/providers',
    summary: 'List the messaging providers per channel (no secrets)',
    auth,
    responses: { 200: json(ProviderList, 'Each with its webhookUrl') },
    handle: async (ctx, { caller: { accountId } }) => {
      const stored = await listProviders(deps, accountId);
      return {
        providers: stored.map((s) =>
          providerView(s, webhookUrl(ctx, s.settings.provider, accountId)),
        ),
      };
    },
  });

  router.add({
    name: 'setProvider',
    method: 'put',
    path: '/providers/:channel',
    summary: "Set a channel's messaging provider",
    auth,
    params: ChannelParam,
    body: ProviderSettings,
    example: { provider: 'sandbox' },
    responses: {
      200: json(ProviderView, 'The provider (no secrets) and the webhookUrl to register'),
    },
    handle: async (ctx, { caller: { accountId }, params: { channel }, body: settings }) => {
      const saved = await saveProvider(deps, accountId, channel, settings);
      return providerView(saved, webhookUrl(ctx, settings.provider, accountId));
    },
  });

  router.add({
    name: 'removeProvider',
    method: 'delete',
    path: '/providers/:channel',
    summary: "Remove a channel's messaging provider",
    auth,
    params: ChannelParam,
    responses: { 204: empty('Removed') },
    handle: async (ctx, { caller: { accountId }, params: { channel } }) => {
      await removeProvider(deps, accountId, channel);
      ctx.status = 204;
    },
  });

  router.add({
    name: 'setSink',
    method: 'put',
    path: '/sink',
    summary: 'Set where conversation events are posted',
    auth,
    body: SinkSettingsInput,
    example: { url: 'https://cc.example.com/c2m-events', secret: 'a-secret-of-16-chars-or-more' },
    responses: { 200: json(SinkSettingsView, 'Saved; the secret is not shown') },
    handle: async (_ctx, { caller: { accountId }, body }) => {
      await saveSink(deps, accountId, body);
      return { url: body.url, secret: { set: true } } satisfies SinkSettingsView;
    },
  });

  router.add({
    name: 'listSinkDeliveries',
    method: 'get',
    path: '/sink/deliveries',
    summary: 'List sink deliveries by status (200)',
    auth,
    query: SinkDeliveriesQuery,
    responses: { 200: json(SinkDeliveryList, 'Newest first') },
    handle: async (_ctx, { caller: { accountId }, query }) => {
      const rows = await deps.db
        .selectFrom('sink_deliveries')
        .select([
          'id',
          'conversation_id',
          'seq',
          'type',
          'status',
          'attempts',
          'last_error',
          'created_at',
          'delivered_at',
        ])
        .where('account_id', '=', accountId)
        .where('status', '=', query.status)
        .orderBy('created_at', 'desc')
        .limit(200)
        .execute();
      return {
        deliveries: rows.map((d) => ({
          id: d.id,
          conversationId: d.conversation_id,
          sequence: d.seq,
          type: d.type,
          status: d.status,
          attempts: d.attempts,
          lastError: d.last_error,
          createdAt: new Date(d.created_at).toISOString(),
          deliveredAt: d.delivered_at === null ? null : new Date(d.delivered_at).toISOString(),
        })),
      } satisfies SinkDeliveryList;
    },
  });

  router.add({
    name: 'replaySinkDelivery',
    method: 'post',
    path: '/sink/deliveries/:id/replay',
    summary: 'Deliver a failed sink event again',
    auth,
    responses: { 202: json(SinkReplayed, 'Queued again') },
    errors: { 404: 'No such delivery' },
    handle: async (ctx, { caller: { accountId }, params }) => {
      if (!(await replaySinkDelivery(deps.db, accountId, params.id, deps.clock()))) {
        throw notFound('No such delivery');
      }
      deps.nudgeSink();
      ctx.status = 202;
      return { replayed: params.id } satisfies SinkReplayed;
    },
  });

  const devices = ivr(deps, ['admin', 'ivr']);
  router.add({
    name: 'registerDevice',
    method: 'put',
    path: '/devices',
    summary: "Register a consumer's app for push",
    auth: devices,
    body: DeviceRegistration,
    example: { consumerId: 'c-1', appId: 'com.example.app', platform: 'ios', token: 'f00dfeed' },
    responses: { 204: empty('Registered') },
    handle: async (ctx, { caller: { accountId }, body }) => {
      await registerDevice(deps.db, accountId, body, deps.clock());
      ctx.status = 204;
    },
  });

  router.add({
    name: 'unregisterDevice',
    method: 'delete',
    path: '/devices',
    summary: "Unregister a consumer's app",
    auth: devices,
    body: DeviceRegistration.pick({ consumerId: true, appId: true, token: true }),
    example: { consumerId: 'c-1', appId: 'com.example.app', token: 'f00dfeed' },
    responses: { 204: empty('Unregistered') },
    errors: { 404: 'No such device' },
    handle: async (ctx, { caller: { accountId }, body }) => {
      if (!(await unregisterDevice(deps.db, accountId, body))) throw notFound('No such device');
      ctx.status = 204;
    },
  });
  return router;
}
