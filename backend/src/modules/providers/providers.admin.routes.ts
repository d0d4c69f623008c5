import { z } from 'zod';
import { ChannelName } from '../../../contract/channels.js';
import { ProviderChange, ProviderView, ProvidersOfChannel } from '../../../contract/providers.js';
import { adminErrors } from '../../http/error-models.js';
import { empty, json } from '../../http/operation.js';
import { ApiRouter } from '../../http/route.js';
import type { AppDeps } from '../deps.js';
import { admin } from '../sessions/admin-auth.js';
import { providerView, providerWebhookUrl } from './providers.presenter.js';
import { ChannelParam } from './providers.routes.js';
import {
  changeProvider,
  listProviders,
  PROVIDERS_OF,
  removeProvider,
} from './providers.service.js';

const AdminProviderList = z.object({
  providers: z.array(ProviderView),
  /** Every channel with the providers that can serve it (a channel not listed above: sandbox). */
  channels: z.array(ProvidersOfChannel),
});

/**
 * The messaging providers page of the admin element: each channel's provider with its settings,
 * every secret only as set / not set, and the webhook URL to paste into the provider's console.
 * A change may leave a secret out to keep the stored one. The same service as the admin
 * credential's account set-up API (providers.routes.ts).
 */
export function providerAdminRoutes(deps: AppDeps): ApiRouter {
  const router = new ApiRouter(adminErrors, {
    prefix: '/api/admin/account/:accountId/providers',
    tag: 'Admin: providers',
  });

  router.add({
    name: 'adminListProviders',
    method: 'get',
    path: '',
    summary: 'List the messaging providers per channel (no secrets)',
    auth: admin(deps, 'providers:view'),
    responses: { 200: json(AdminProviderList, 'Each with its webhookUrl') },
    handle: async (ctx, { caller: { accountId } }) => {
      const stored = await listProviders(deps, accountId);
      return {
        providers: stored.map((s) =>
          providerView(s, providerWebhookUrl(deps.config, ctx, s.settings.provider, accountId)),
        ),
        channels: ChannelName.options.map((channel) => ({
          channel,
          providers: PROVIDERS_OF[channel],
        })),
      };
    },
  });

  router.add({
    name: 'adminSetProvider',
    method: 'put',
    path: '/:channel',
    summary: "Set or change a channel's provider (a secret left out is kept)",
    auth: admin(deps, 'providers:manage'),
    params: ChannelParam,
    body: ProviderChange,
    example: { provider: 'sandbox' },
    responses: { 200: json(ProviderView, 'The provider (no secrets) and its webhookUrl') },
    handle: async (ctx, { caller: { accountId }, params: { channel }, body }) => {
      const saved = await changeProvider(deps, accountId, channel, body);
      return providerView(
        saved,
        providerWebhookUrl(deps.config, ctx, saved.settings.provider, accountId),
      );
    },
  });

  router.add({
    name: 'adminRemoveProvider',
    method: 'delete',
    path: '/:channel',
    summary: "Remove a channel's provider (back to the sandbox)",
    auth: admin(deps, 'providers:manage'),
    params: ChannelParam,
    responses: { 204: empty('Removed') },
    handle: async (ctx, { caller: { accountId }, params: { channel } }) => {
      await removeProvider(deps, accountId, channel);
      ctx.status = 204;
    },
  });
  return router;
}
