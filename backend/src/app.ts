import Koa from 'koa';
import Router from '@koa/router';
import type { AppDeps } from './modules/deps.js';
import { errorHandler } from './http/error-handler.js';
import { ivrErrors } from './http/error-models.js';
import { ApiRouter, operationsOf } from './http/route.js';
import { healthRoutes } from './health/health.routes.js';
import { domainRoutes } from './modules/domain/domain.routes.js';
import { notFoundOrMethodNotAllowed } from './http/fallback.js';
import { requestId } from './http/request-id.js';
import { httpMetrics } from './metrics/http-metrics.js';
import { metricsRoutes } from './metrics/metrics.routes.js';
import { securityHeaders } from './http/security-headers.js';
import { staticRoutes } from './http/static.js';
import { tokenRoutes } from './modules/accounts/token.routes.js';
import { deflectionRoutes } from './modules/deflection/deflection.routes.js';
import { conversationRoutes } from './modules/conversations/conversations.routes.js';
import { webhookRoutes } from './modules/messaging/webhooks.routes.js';
import { accountSetupRoutes } from './modules/providers/providers.routes.js';
import { sandboxRoutes } from './modules/sandbox/sandbox.routes.js';
import { sessionRoutes, signOutRoutes } from './modules/sessions/sessions.routes.js';
import { handoffAdminRoutes } from './modules/handoffs/handoffs.admin.routes.js';
import { adminCors } from './modules/accounts/admin-cors.js';
import { templateAdminRoutes } from './modules/templates/templates.admin.routes.js';
import { credentialAdminRoutes } from './modules/accounts/credentials.admin.routes.js';
import { widgetKeyAdminRoutes, widgetSessionRoutes } from './modules/widget/widget-keys.routes.js';
import { settingsAdminRoutes } from './modules/settings/settings.admin.routes.js';
import { providerAdminRoutes } from './modules/providers/providers.admin.routes.js';
import { userAdminRoutes } from './modules/sessions/users.admin.routes.js';
import { senderAdminRoutes } from './modules/providers/senders.admin.routes.js';
import { reportingAdminRoutes } from './modules/reporting/reporting.admin.routes.js';
import { widgetRoutes } from './modules/widget/widget.routes.js';
import { openApiRoutes } from './openapi/openapi.routes.js';
import { reportingRoutes } from './modules/reporting/reporting.routes.js';
import { eventWebhookRoutes } from './modules/webhooks/event-webhooks.routes.js';
import { demoAssetRoutes } from './modules/demo-page/demo-assets.routes.js';
import { demoPageRoutes } from './modules/demo-page/demo-page.routes.js';
import type { DemoAccess } from './modules/demo-page/demo-gate.js';

export interface AppOptions {
  publicDir: string;
  bundleDir: string;
  /** This start's demo key: the demo page's API is there only with it (server.ts). */
  demo?: DemoAccess;
}

/** Builds the Koa app from its dependencies; no I/O happens until a request arrives. */
export function createApp(deps: AppDeps, opts: AppOptions): Koa {
  const app = new Koa({ proxy: deps.config.trustProxy });
  app.silent = true; // errors are logged once, by the error handler

  const routers = createRouters(deps, opts);
  app.use(requestId(deps.log));
  app.use(httpMetrics(deps.metrics));
  // a request no route took (an unknown path, a wrong method) is answered in the shape of the
  // audience whose paths hold it, among those the routers declare; else the IVR API's
  const audiences = new Set(routers.flatMap((r) => (r instanceof ApiRouter ? [r.errors] : [])));
  app.use(errorHandler(deps.log, { models: [...audiences], otherwise: ivrErrors }));
  app.use(securityHeaders);
  app.use(adminCors(deps));
  app.use(notFoundOrMethodNotAllowed(routers));
  for (const router of routers) app.use(router.routes());
  return app;
}

/**
 * Every router, in the order they answer. Exported so the API reference's test can hold the
 * document against the routes that really exist.
 */
export function createRouters(deps: AppDeps, opts: AppOptions): Router[] {
  const routers: Router[] = [
    healthRoutes(deps),
    metricsRoutes(deps),
    tokenRoutes(deps),
    domainRoutes(deps),
    deflectionRoutes(deps),
    webhookRoutes(deps),
    sandboxRoutes(deps),
    conversationRoutes(deps),
    accountSetupRoutes(deps),
    eventWebhookRoutes(deps),
    sessionRoutes(deps),
    signOutRoutes(deps),
    templateAdminRoutes(deps),
    handoffAdminRoutes(deps),
    settingsAdminRoutes(deps),
    senderAdminRoutes(deps),
    credentialAdminRoutes(deps),
    reportingAdminRoutes(deps),
    providerAdminRoutes(deps),
    userAdminRoutes(deps),
    widgetRoutes(deps),
    widgetKeyAdminRoutes(deps),
    widgetSessionRoutes(deps),
    openApiRoutes(deps, () => documentedOperations(routers)),
    reportingRoutes(deps),
    // the demo page's API exists only when the demo page is on this start
    ...(opts.demo ? [demoPageRoutes(deps, opts.demo)] : []),
    demoAssetRoutes(opts),
    staticRoutes(opts),
  ];
  return routers;
}

/** What the API reference documents: every ApiRouter's route definitions. */
export function documentedOperations(routers: readonly Router[]) {
  return operationsOf(routers);
}
