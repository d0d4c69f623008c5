import { adminErrors } from '../../http/error-models.js';
import { json } from '../../http/operation.js';
import { ApiRouter } from '../../http/route.js';
import type { AppDeps } from '../deps.js';
import { admin } from '../sessions/admin-auth.js';
import { AdminSettingsInput, AdminSettingsView } from '../../../contract/settings.js';
import { loadSettings, updateSettings } from './settings.service.js';

/**
 * The account-wide settings page: channels, device check, routing, texts, limits and the origins
 * that may embed the admin element. The policy table grants "create" (no separate edit) to
 * admins and campaign managers; saving the page is that create.
 */
export function settingsAdminRoutes(deps: AppDeps): ApiRouter {
  const router = new ApiRouter(adminErrors, {
    prefix: '/api/admin/account/:accountId/settings',
    tag: 'Admin: settings',
  });

  router.add({
    name: 'getSettings',
    method: 'get',
    path: '',
    summary: 'Read the account settings',
    auth: admin(deps, 'settings:view'),
    responses: { 200: json(AdminSettingsView, 'The settings') },
    handle: (_ctx, { caller }) => loadSettings(deps, caller.accountId),
  });

  router.add({
    name: 'updateSettings',
    method: 'put',
    path: '',
    summary: 'Change the account settings (the fields given)',
    auth: admin(deps, 'settings:create'),
    body: AdminSettingsInput,
    example: { frequencyCapPerHour: 3, allowedOrigins: ['https://portal.example.com'] },
    responses: { 200: json(AdminSettingsView, 'The settings as saved') },
    handle: (_ctx, { caller, body }) => updateSettings(deps, caller.accountId, body),
  });
  return router;
}
