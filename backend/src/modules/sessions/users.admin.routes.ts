import { z } from 'zod';
import { PasswordReset, UserInput, UserList, UserView } from '../../../contract/users.js';
import { adminErrors } from '../../http/error-models.js';
import { empty, json } from '../../http/operation.js';
import { ApiRouter } from '../../http/route.js';
import type { AppDeps } from '../deps.js';
import { admin } from './admin-auth.js';
import { addUser, listAccountUsers, removeUser, resetPassword, viewUser } from './users.service.js';

const MISSING = { 404: 'No such user' };
const IdParam = z.object({ id: z.string().min(1).max(64) });

/**
 * The people who sign in on c2m's own page: listed (never a password), added with a role and a
 * first password, given a new password by an administrator, removed (not oneself, not the last
 * admin). Another account's user is not found.
 */
export function userAdminRoutes(deps: AppDeps): ApiRouter {
  const router = new ApiRouter(adminErrors, {
    prefix: '/api/admin/account/:accountId/users',
    tag: 'Admin: users',
  });
  const manage = admin(deps, 'users:manage');

  router.add({
    name: 'listUsers',
    method: 'get',
    path: '',
    summary: 'List the users who sign in on c2m (no passwords)',
    auth: admin(deps, 'users:view'),
    responses: { 200: json(UserList, 'Oldest first') },
    handle: async (_ctx, { caller }) => ({ items: await listAccountUsers(deps, caller.accountId) }),
  });

  router.add({
    name: 'addUser',
    method: 'post',
    path: '',
    summary: 'Add a user with a role and a first password',
    auth: manage,
    body: UserInput,
    example: { username: 'ada', role: 'campaign_manager', password: 'correct horse battery' },
    responses: { 201: json(UserView, 'Added; the password is not shown') },
    handle: async (ctx, { caller, body }) => {
      const id = await addUser(deps, caller.accountId, body);
      ctx.status = 201;
      return viewUser(deps, caller.accountId, id);
    },
  });

  router.add({
    name: 'resetUserPassword',
    method: 'put',
    path: '/:id/password',
    summary: "Set a user's new password",
    auth: manage,
    params: IdParam,
    body: PasswordReset,
    example: { password: 'a new long password' },
    responses: { 204: empty('Changed') },
    errors: MISSING,
    handle: async (ctx, { caller, params, body }) => {
      await resetPassword(deps, caller.accountId, params.id, body);
      ctx.status = 204;
    },
  });

  router.add({
    name: 'removeUser',
    method: 'delete',
    path: '/:id',
    summary: 'Remove a user (not yourself, not the last admin)',
    auth: manage,
    params: IdParam,
    responses: { 204: empty('Removed') },
    errors: { ...MISSING, 409: 'Yourself, or the last admin' },
    handle: async (ctx, { caller, params }) => {
      await removeUser(deps, caller.accountId, params.id, caller);
      ctx.status = 204;
    },
  });
  return router;
}
