import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { ChannelName } from '../../../contract/channels.js';
import { DeviceRegistration } from '../../../contract/devices.js';
import {
  SinkSettingsInput,
  type SinkDeliveryList,
  type SinkReplayed,
  type SinkSettingsView,
} from '../../../contract/sink.js';
import { ProviderSettings } from '../../../contract/providers.js';
import type { AppDeps } from '../deps.js';
import { parseWith, readJson } from '../../http/body.js';
import { notFound } from '../../errors.js';
import { ivrAuth, type IvrAuth } from '../accounts/ivr-auth.js';
import { replaySinkDelivery } from '../conversations/sink-dispatcher.js';
import { registerDevice, unregisterDevice } from '../devices/devices.repo.js';
import { presentProviderSettings } from './providers.presenter.js';
import { listProviders, removeProvider, saveProvider, saveSink } from './providers.service.js';

/** The channel path parameter, named as such when it is not one we know. */
const ChannelParam = z.object({ channel: ChannelName });
const channelOf = (ctx: Context) => parseWith(ChannelParam, ctx.params).channel;

/**
 * Account set-up an admin credential may change: messaging providers per channel, the conversation
 * sink, and (for the brand's app backend) push devices. Secrets go in, never come out.
 */
export function accountSetupRoutes(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/account/:accountId' });
  const admin = ivrAuth(deps, 'admin');
  // absolute, to paste into the provider's console: the public URL, else where the admin reached us
  const webhookUrl = (ctx: Context, provider: string, accountId: string) =>
    `${deps.config.publicUrl?.replace(/\/+$/, '') ?? `${ctx.protocol}://${ctx.host}`}/webhooks/${provider}/${accountId}`;

  router.get('/providers', admin, async (ctx) => {
    const { accountId } = ctx.state.auth as IvrAuth;
    const stored = await listProviders(deps, accountId);
    ctx.body = {
      providers: stored.map((s) => ({
        ...presentProviderSettings(s),
        webhookUrl: webhookUrl(ctx, s.settings.provider, accountId),
      })),
    };
  });

  router.put('/providers/:channel', admin, async (ctx) => {
    const { accountId } = ctx.state.auth as IvrAuth;
    const channel = channelOf(ctx);
    const settings = parseWith(ProviderSettings, await readJson(ctx));
    const saved = await saveProvider(deps, accountId, channel, settings);
    ctx.body = {
      ...presentProviderSettings(saved),
      webhookUrl: webhookUrl(ctx, settings.provider, accountId),
    };
  });

  router.delete('/providers/:channel', admin, async (ctx) => {
    const { accountId } = ctx.state.auth as IvrAuth;
    const channel = channelOf(ctx);
    await removeProvider(deps, accountId, channel);
    ctx.status = 204;
  });

  router.put('/sink', admin, async (ctx) => {
    const { accountId } = ctx.state.auth as IvrAuth;
    const input = parseWith(SinkSettingsInput, await readJson(ctx));
    await saveSink(deps, accountId, input);
    ctx.body = { url: input.url, secret: { set: true } } satisfies SinkSettingsView;
  });

  router.get('/sink/deliveries', admin, async (ctx) => {
    const { accountId } = ctx.state.auth as IvrAuth;
    const status = ['pending', 'delivered', 'failed'].includes(String(ctx.query.status))
      ? (String(ctx.query.status) as 'pending' | 'delivered' | 'failed')
      : 'failed';
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
      .where('status', '=', status)
      .orderBy('created_at', 'desc')
      .limit(200)
      .execute();
    ctx.body = {
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
  });

  router.post('/sink/deliveries/:id/replay', admin, async (ctx) => {
    const { accountId } = ctx.state.auth as IvrAuth;
    if (!(await replaySinkDelivery(deps.db, accountId, ctx.params.id ?? '', deps.clock()))) {
      throw notFound('No such delivery');
    }
    deps.nudgeSink();
    ctx.status = 202;
    ctx.body = { replayed: ctx.params.id } satisfies SinkReplayed;
  });

  const deviceAuth = ivrAuth(deps, ['admin', 'ivr']);
  router.put('/devices', deviceAuth, async (ctx) => {
    const { accountId } = ctx.state.auth as IvrAuth;
    const device = parseWith(DeviceRegistration, await readJson(ctx));
    await registerDevice(deps.db, accountId, device, deps.clock());
    ctx.status = 204;
  });
  router.delete('/devices', deviceAuth, async (ctx) => {
    const { accountId } = ctx.state.auth as IvrAuth;
    const device = parseWith(
      DeviceRegistration.pick({ consumerId: true, appId: true, token: true }),
      await readJson(ctx),
    );
    if (!(await unregisterDevice(deps.db, accountId, device))) throw notFound('No such device');
    ctx.status = 204;
  });
  return router;
}
