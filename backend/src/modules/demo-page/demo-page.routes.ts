import Router from '@koa/router';
import { z } from 'zod';
import { InviteRequest } from '../../../contract/deflection.js';
import { SandboxInbound, SandboxStatus } from '../../../contract/sandbox.js';
import { E164 } from '../../../contract/phone.js';
import type { AppDeps } from '../deps.js';
import { readJson } from '../../http/body.js';
import { parseInput } from '../../http/validate.js';
import { parseEligibility } from '../deflection/deflection.routes.js';
import { checkEligibility } from '../deflection/eligibility.service.js';
import { invite } from '../deflection/invite.service.js';
import {
  listSandboxMessages,
  receiveSandboxInbound,
  reportSandboxStatus,
} from '../sandbox/sandbox.service.js';
import { findDemoAccount, presentDemoContext } from './demo-account.js';
import { demoGate, type DemoAccess } from './demo-gate.js';

const PhoneQuery = z.object({
  address: E164,
  /** The app user id the IVR passed, whose in-app messages the phone shows too. */
  consumerId: z.string().min(1).max(255).optional(),
});

/**
 * What the demo page at `/` drives, as the demo account, without a credential ever reaching the
 * browser: its context (handoffs, skills, short admin and agent sessions), the IVR's two calls
 * through the very services the IVR API runs, and the consumer's sandbox phone. Mounted only when
 * the demo page is on (config.ts), and answering only requests that carry this start's key, from
 * this machine unless asked otherwise (demo-gate.ts).
 */
export function demoPageRoutes(deps: AppDeps, access: DemoAccess): Router {
  const router = new Router({ prefix: '/demo' });
  router.use(demoGate(access));
  router.use(async (ctx, next) => {
    ctx.set('Cache-Control', 'no-store');
    await next();
  });

  router.get('/context', async (ctx) => {
    ctx.body = await presentDemoContext(deps, await findDemoAccount(deps));
  });

  router.post('/ivr/eligibility', async (ctx) => {
    const account = await findDemoAccount(deps);
    // the same parsing, and so the same errors, as the IVR API
    ctx.body = await checkEligibility(deps, account, parseEligibility(await readJson(ctx)));
  });

  router.post('/ivr/invite', async (ctx) => {
    const account = await findDemoAccount(deps);
    ctx.body = await invite(deps, account, parseInput(InviteRequest, await readJson(ctx)));
  });

  router.get('/phone/messages', async (ctx) => {
    const account = await findDemoAccount(deps);
    const { address, consumerId } = parseInput(PhoneQuery, ctx.query);
    const addresses = consumerId ? [address, consumerId] : [address];
    ctx.body = { messages: await listSandboxMessages(deps.db, account.id, addresses) };
  });

  router.post('/phone/messages/:messageId/status', async (ctx) => {
    const account = await findDemoAccount(deps);
    const input = parseInput(SandboxStatus, await readJson(ctx));
    const messageId = ctx.params.messageId ?? '';
    ctx.body = { outcome: await reportSandboxStatus(deps, account.id, messageId, input) };
  });

  router.post('/phone/inbound', async (ctx) => {
    const account = await findDemoAccount(deps);
    const input = parseInput(SandboxInbound, await readJson(ctx));
    ctx.body = { outcome: await receiveSandboxInbound(deps, account.id, input) };
  });
  return router;
}
