import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { ChannelName } from '../../../contract/channels.js';
import {
  DeviceRegistration,
  SinkSettingsInput,
  type SinkDeliveryList,
  type SinkReplayed,
  type SinkSettingsView,
} from '../../../contract/messaging.js';
import { ProviderSettings, type ProviderName } from '../../../contract/providers.js';
import type { AppDeps } from '../deps.js';
import { readJson } from '../../http/body.js';
import { parseInput } from '../../http/validate.js';
import { invalidRequest, notFound } from '../../errors.js';
import { ivrAuth, type IvrAuth } from '../accounts/ivr-auth.js';
import { replaySinkDelivery } from '../conversations/sink-dispatcher.js';
import { saveSinkSettings } from '../conversations/sink.js';
import { registerDevice, unregisterDevice } from '../devices/devices.repo.js';
import { providerUrlRefusal } from './provider-urls.js';
import {
  deleteProviderSettings,
  loadProviderSettings,
  presentProviderSettings,
  saveProviderSettings,
} from './providers.repo.js';

/** Which providers can serve which channel. */
export const PROVIDERS_OF: Record<ChannelName, ProviderName[]> = {
  sms: ['sandbox', 'twilio'],
  wa: ['sandbox', 'whatsapp-cloud'],
  inapp: ['sandbox', 'fcm', 'push-proxy'],
  apple: ['sandbox', 'apple-link'],
  rcs: ['sandbox', 'rbm'],
};

/** The channel path parameter, named as such when it is not one we know. */
const ChannelParam = z.object({ channel: ChannelName });
const channelOf = (ctx: Context) => parseInput(ChannelParam, ctx.params).channel;

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
    const stored = await loadProviderSettings(deps.db, deps.keys.secrets, accountId);
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
    const settings = parseInput(ProviderSettings, await readJson(ctx));
    if (!PROVIDERS_OF[channel].includes(settings.provider)) {
      throw invalidRequest(
        `provider: ${settings.provider} cannot serve ${channel} (use ${PROVIDERS_OF[channel].join(' or ')})`,
      );
    }
    const refusal = await providerUrlRefusal(settings, deps.outbound.check);
    if (refusal) throw invalidRequest(refusal);
    const now = deps.clock();
    await saveProviderSettings(deps.db, deps.keys.secrets, { accountId, channel, settings, now });
    deps.channels.invalidate(accountId);
    ctx.body = {
      ...presentProviderSettings({ channel, settings, updatedAt: now }),
      webhookUrl: webhookUrl(ctx, settings.provider, accountId),
    };
  });

  router.delete('/providers/:channel', admin, async (ctx) => {
    const { accountId } = ctx.state.auth as IvrAuth;
    const channel = channelOf(ctx);
    await deleteProviderSettings(deps.db, accountId, channel);
    deps.channels.invalidate(accountId);
    ctx.status = 204;
  });

  router.put('/sink', admin, async (ctx) => {
    const { accountId } = ctx.state.auth as IvrAuth;
    const input = parseInput(SinkSettingsInput, await readJson(ctx));
    const check = await deps.outbound.check(input.url);
    if (!check.ok) throw invalidRequest(`url: ${check.reason}`);
    await saveSinkSettings(deps.db, deps.keys.secrets, { accountId, ...input, now: deps.clock() });
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
    const device = parseInput(DeviceRegistration, await readJson(ctx));
    await registerDevice(deps.db, accountId, device, deps.clock());
    ctx.status = 204;
  });
  router.delete('/devices', deviceAuth, async (ctx) => {
    const { accountId } = ctx.state.auth as IvrAuth;
    const device = parseInput(
      DeviceRegistration.pick({ consumerId: true, appId: true, token: true }),
      await readJson(ctx),
    );
    if (!(await unregisterDevice(deps.db, accountId, device))) throw notFound('No such device');
    ctx.status = 204;
  });
  return router;
}
