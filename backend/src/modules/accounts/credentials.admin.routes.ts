import type { Context } from 'koa';
import { z } from 'zod';
import { adminErrors } from '../../http/error-models.js';
import { empty, json } from '../../http/operation.js';
import { ApiRouter } from '../../http/route.js';
import type { AppDeps } from '../deps.js';
import { admin } from '../sessions/admin-auth.js';
import {
  CreatedCredential,
  CredentialInput,
  CredentialView,
} from '../../../contract/credentials.js';
import {
  createCredential,
  listAccountCredentials,
  revokeAccountCredential,
  rotateCredential,
  type CredentialContext,
} from './credentials.admin.service.js';

const SECRETS_ONCE = 'Created; the secrets are shown this once';
const MISSING = { 404: 'No such credential' };

/**
 * The API keys page: IVR credentials listed by their public ids, created and rotated with their
 * secrets shown once, revoked. Another account's credential is not found.
 */
export function credentialAdminRoutes(deps: AppDeps): ApiRouter {
  const router = new ApiRouter(adminErrors, {
    prefix: '/api/admin/account/:accountId/credentials',
    tag: 'Admin: credentials',
  });
  const manage = admin(deps, 'credentials:manage');

  const context = (ctx: Context, accountId: string): CredentialContext => ({
    db: deps.db,
    reads: deps.reads,
    encryptionKey: deps.keys.secrets,
    accountId,
    now: deps.clock(),
    tokenUrl: `${deps.config.publicUrl?.replace(/\/+$/, '') ?? `${ctx.protocol}://${ctx.host}`}/oauth/token`,
    revoked: (id) => deps.sessions.credentialRevoked(id),
  });
  const answerSecrets = (ctx: Context, created: CreatedCredential): CreatedCredential => {
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 201;
    return created;
  };

  router.add({
    name: 'listCredentials',
    method: 'get',
    path: '',
    summary: 'List credentials (public ids only)',
    auth: admin(deps, 'credentials:view'),
    responses: { 200: json(z.object({ items: z.array(CredentialView) }), 'All of them') },
    handle: async (_ctx, { caller }) => ({
      items: await listAccountCredentials(deps.db, caller.accountId),
    }),
  });

  router.add({
    name: 'createCredential',
    method: 'post',
    path: '',
    summary: 'Create a credential',
    auth: manage,
    body: CredentialInput,
    example: { kind: 'oauth2', name: 'IVR', permissions: ['ivr'] },
    responses: { 201: json(CreatedCredential, SECRETS_ONCE) },
    handle: async (ctx, { caller, body }) =>
      answerSecrets(ctx, await createCredential(context(ctx, caller.accountId), body)),
  });

  router.add({
    name: 'rotateCredential',
    method: 'post',
    path: '/:id/rotate',
    summary: 'New secrets for a credential; the old stop working',
    auth: manage,
    responses: { 201: json(CreatedCredential, SECRETS_ONCE) },
    errors: MISSING,
    handle: async (ctx, { caller, params }) =>
      answerSecrets(ctx, await rotateCredential(context(ctx, caller.accountId), params.id)),
  });

  router.add({
    name: 'revokeCredential',
    method: 'delete',
    path: '/:id',
    summary: 'Revoke a credential',
    auth: manage,
    responses: { 204: empty('Revoked') },
    errors: MISSING,
    handle: async (ctx, { caller, params }) => {
      await revokeAccountCredential(context(ctx, caller.accountId), params.id);
      ctx.status = 204;
    },
  });
  return router;
}
