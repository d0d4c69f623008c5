import { adminErrors } from '../../http/error-models.js';
import { json } from '../../http/operation.js';
import { ApiRouter } from '../../http/route.js';
import type { AppDeps } from '../deps.js';
import { admin } from '../sessions/admin-auth.js';
import { AdminSettingsInput, AdminSettingsView } from '../../../contract/settings.js';
import { loadSettings, updateSettings } from './settings.service.js';
import { WaReachabilityInput, WaReachabilityView } from '../../../contract/wa-reachability.js';
import {
  clearWaReachability,
  loadWaReachability,
  updateWaReachability,
} from './wa-reachability.service.js';

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

  router.add({
    name: 'getWaReachability',
    method: 'get',
    path: '/wa-reachability',
    summary: 'Read what the account learned about numbers on WhatsApp',
    description:
      'Counts of the numbers answered `not_reachable` for `wa` now (a send refused with 131026 within the period) and of those a WhatsApp message was delivered to or read by, and the period in days.',
    auth: admin(deps, 'settings:view'),
    responses: { 200: json(WaReachabilityView, 'The learning and its period') },
    handle: (_ctx, { caller }) => loadWaReachability(deps, caller.accountId),
  });

  router.add({
    name: 'updateWaReachability',
    method: 'put',
    path: '/wa-reachability',
    summary: 'Change how long a refusal as not on WhatsApp counts',
    auth: admin(deps, 'settings:create'),
    body: WaReachabilityInput,
    example: { unreachableDays: 30 },
    responses: { 200: json(WaReachabilityView, 'The learning and its period as saved') },
    handle: (_ctx, { caller, body }) => updateWaReachability(deps, caller.accountId, body),
  });

  router.add({
    name: 'clearWaReachability',
    method: 'delete',
    path: '/wa-reachability/learned',
    summary: 'Forget what the account learned about numbers on WhatsApp',
    auth: admin(deps, 'settings:create'),
    responses: { 200: json(WaReachabilityView, 'The learning, now empty') },
    handle: (_ctx, { caller }) => clearWaReachability(deps, caller.accountId),
  });
  return router;
}
