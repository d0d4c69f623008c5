import Router from '@koa/router';
import type { Context } from 'koa';
import pkg from '../../../package.json' with { type: 'json' };
import type { Operation } from '../http/operation.js';
import type { AppDeps } from '../modules/deps.js';
import { buildOpenApiDocument, type OpenApiDocument } from './document.js';
import { WEBHOOKS } from './operations.js';
import { renderReferencePage } from './reference-page.js';

/**
 * The API description as OpenAPI 3.1, and the reference page made from it. `operations` answers
 * the routes' own definitions (app.ts), read at the first request, when every router exists.
 */
export function openApiRoutes(deps: AppDeps, operations: () => readonly Operation[]): Router {
  const router = new Router();
  // built at the first request, not at start-up: it converts every schema of the contract
  let built: OpenApiDocument | undefined;
  const documentFor = (ctx: Context): OpenApiDocument => {
    built ??= buildOpenApiDocument(
      { operations: operations(), webhooks: WEBHOOKS },
      { version: pkg.version },
    );
    // the public URL, else where the reader reached us, so "try it" and curl point back here
    const url = deps.config.publicUrl?.replace(/\/+$/, '') ?? `${ctx.protocol}://${ctx.host}`;
    return { ...built, servers: [{ url }] };
  };

  router.get('/openapi.json', (ctx) => {
    // public and secret-free: let API tools on other origins (an editor, a client generator) read it
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.body = documentFor(ctx);
  });
  router.get('/docs/api', (ctx) => {
    ctx.type = 'html';
    ctx.body = renderReferencePage(documentFor(ctx));
  });
  return router;
}
