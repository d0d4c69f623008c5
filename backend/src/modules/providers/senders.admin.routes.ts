import { SenderList } from '../../../contract/senders.js';
import { adminErrors } from '../../http/error-models.js';
import { json } from '../../http/operation.js';
import { ApiRouter } from '../../http/route.js';
import type { AppDeps } from '../deps.js';
import { admin } from '../sessions/admin-auth.js';
import { listProviders } from './providers.service.js';

/**
 * The account's senders for the handoff editor's pickers: the SMS provider's number, and the
 * numbers and WhatsApp Business Account ids of its WhatsApp provider and templates. Whoever may
 * see handoffs may see these (they are in the handoffs anyway).
 */
export function senderAdminRoutes(deps: AppDeps): ApiRouter {
  const router = new ApiRouter(adminErrors, {
    prefix: '/api/admin/account/:accountId/senders',
    tag: 'Admin: senders',
  });
  router.add({
    name: 'listSenders',
    method: 'get',
    path: '',
    summary: "List the account's outbound numbers and WhatsApp Business Account ids",
    auth: admin(deps, 'handoffs:view'),
    responses: { 200: json(SenderList, 'The numbers and ids') },
    handle: async (_ctx, { caller }) => {
      const [providers, templates] = await Promise.all([
        listProviders(deps, caller.accountId),
        deps.db
          .selectFrom('templates')
          .select(['waba_id', 'phone_number'])
          .where('account_id', '=', caller.accountId)
          .distinct()
          .execute(),
      ]);
      const numbers = new Map<string, SenderList['numbers'][number]>();
      const wabaIds = new Set<string>();
      for (const { channel, settings } of providers) {
        if (settings.provider === 'twilio' && settings.fromNumber) {
          numbers.set(`${channel}|${settings.fromNumber}`, {
            number: settings.fromNumber,
            channel,
          });
        }
        if (settings.provider === 'whatsapp-cloud' && settings.wabaId) wabaIds.add(settings.wabaId);
      }
      for (const t of templates) {
        numbers.set(`wa|${t.phone_number}`, { number: t.phone_number, channel: 'wa' });
        wabaIds.add(t.waba_id);
      }
      return { numbers: [...numbers.values()], wabaIds: [...wabaIds].sort() } satisfies SenderList;
    },
  });
  return router;
}
