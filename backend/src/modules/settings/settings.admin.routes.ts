import Router from '@koa/router';
import type { AppDeps } from '../deps.js';
import { adminAuth, type AdminSession } from '../sessions/admin-auth.js';
import { readJson } from '../../http/body.js';
import { parseFields } from './parse-fields.js';
import { AdminSettingsInput, type AdminSettingsView } from '../../../contract/settings.js';
import { loadSettings, updateSettings } from './settings.service.js';

/**
 * The account-wide settings page: channels, device check, routing, texts, limits and the origins
 * that may embed the admin element. The guide's table grants "create" (no separate edit) to
 * admins and campaign managers; saving the page is that create.
 */
export function settingsAdminRoutes(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/admin/account/:accountId' });

  router.get('/settings', adminAuth(deps, 'settings:view'), async (ctx) => {
    const { accountId } = ctx.state.session as AdminSession;
    ctx.body = (await loadSettings(deps, accountId)) satisfies AdminSettingsView;
  });

  router.put('/settings', adminAuth(deps, 'settings:create'), async (ctx) => {
    const { accountId } = ctx.state.session as AdminSession;
    const input = parseFields(AdminSettingsInput, await readJson(ctx));
    ctx.body = (await updateSettings(deps, accountId, input)) satisfies AdminSettingsView;
  });
  return router;
}
