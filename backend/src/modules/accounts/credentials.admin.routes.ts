import Router from '@koa/router';
import type { Context } from 'koa';
import type { AppDeps } from '../deps.js';
import { adminAuth, type AdminSession } from '../sessions/admin-auth.js';
import { readJson } from '../../http/body.js';
import { parseFields } from '../settings/parse-fields.js';
import { CredentialInput, type CreatedCredential } from '../../../contract/credentials.js';
import {
  createCredential,
  listAccountCredentials,
  revokeAccountCredential,
  rotateCredential,
  type CredentialContext,
} from './credentials.admin.service.js';

/**
 * The API keys page: IVR credentials listed by their public ids, created and rotated with their
 * secrets shown once, revoked. Another account's credential is not found.
 */
export function credentialAdminRoutes(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/admin/account/:accountId' });
  const view = adminAuth(deps, 'credentials:view');
  const manage = adminAuth(deps, 'credentials:manage');

  const context = (ctx: Context): CredentialContext => ({
    db: deps.db,
    encryptionKey: deps.keys.secrets,
    accountId: (ctx.state.session as AdminSession).accountId,
    now: deps.clock(),
    tokenUrl: `${deps.config.publicUrl?.replace(/\/+$/, '') ?? `${ctx.protocol}://${ctx.host}`}/oauth/token`,
    revoked: (id) => deps.sessions.credentialRevoked(id),
  });
  const answerSecrets = (ctx: Context, created: CreatedCredential) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 201;
    ctx.body = created;
  };

  router.get('/credentials', view, async (ctx) => {
    const { accountId } = ctx.state.session as AdminSession;
    ctx.body = { items: await listAccountCredentials(deps.db, accountId) };
  });

  router.post('/credentials', manage, async (ctx) => {
    const input = parseFields(CredentialInput, await readJson(ctx));
    answerSecrets(ctx, await createCredential(context(ctx), input));
  });

  router.post('/credentials/:id/rotate', manage, async (ctx) => {
    answerSecrets(ctx, await rotateCredential(context(ctx), ctx.params.id ?? ''));
  });

  router.delete('/credentials/:id', manage, async (ctx) => {
    await revokeAccountCredential(context(ctx), ctx.params.id ?? '');
    ctx.status = 204;
  });
  return router;
}
