import type { Context } from 'koa';
import pkg from '../../../package.json' with { type: 'json' };
import { ivrErrors } from '../http/error-models.js';
import { empty, type Operation } from '../http/operation.js';
import { ApiRouter, anyone } from '../http/route.js';
import type { AppDeps } from '../modules/deps.js';
import { buildOpenApiDocument, type OpenApiDocument } from './document.js';
import { EVENT_DELIVERY } from '../modules/webhooks/event-webhooks.routes.js';
import { renderReferencePage } from './reference-page.js';

/**
 * The API description as OpenAPI 3.1, and the reference page made from it. `operations` answers
 * the routes' own definitions (app.ts), read at the first request, when every router exists.
 */
export function openApiRoutes(deps: AppDeps, operations: () => readonly Operation[]): ApiRouter {
  const router = new ApiRouter(ivrErrors, { tag: 'Operations' });
  // built at the first request, not at start-up: it converts every schema of the contract
  let built: OpenApiDocument | undefined;
  const documentFor = (ctx: Context): OpenApiDocument => {
    built ??= buildOpenApiDocument(
      { operations: operations(), webhooks: [EVENT_DELIVERY] },
      { version: pkg.version },
    );
    // the public URL, else where the reader reached us, so "try it" and curl point back here
    const url = deps.config.publicUrl?.replace(/\/+$/, '') ?? `${ctx.protocol}://${ctx.host}`;
    return { ...built, servers: [{ url }] };
  };

  router.add({
    name: 'getOpenApiDocument',
    method: 'get',
    path: '/openapi.json',
    summary: 'This API description (OpenAPI 3.1)',
    auth: anyone,
    responses: { 200: empty('The OpenAPI document') },
    handle: (ctx) => {
      // public and secret-free: let API tools on other origins (an editor, a client generator) read it
      ctx.set('Access-Control-Allow-Origin', '*');
      return documentFor(ctx);
    },
  });
  router.add({
    name: 'getApiReference',
    method: 'get',
    path: '/docs/api',
    summary: 'This API reference as a page',
    auth: anyone,
    responses: { 200: { description: 'HTML', body: { contentType: 'text/html' } } },
    handle: (ctx) => {
      ctx.type = 'html';
      return renderReferencePage(documentFor(ctx));
    },
  });
  return router;
}
