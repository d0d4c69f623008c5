import Router from '@koa/router';
import type { Context, Next } from 'koa';
import { EligibilityRequest, InviteRequest } from '../../../contract/deflection.js';
import { IvrErrorCode } from '../../../contract/errors.js';
import type { AppDeps } from '../deps.js';
import { describeIssue, readJson } from '../../http/body.js';
import { AppError, invalidRequest } from '../../errors.js';
import { accountRate, ivrAuth, type IvrAuth } from '../accounts/ivr-auth.js';
import { checkEligibility, invalidPhone } from './eligibility.service.js';
import { withIdempotency } from './idempotency.js';
import { invite } from './invite.service.js';

/** The IVR deflection API, on the product's paths: eligibility, then invite. */
export function deflectionRoutes(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/account/:accountId' });
  const guard = [ivrAuth(deps, 'ivr', accountRate('ivr')), requireVersion];

  router.post('/eligibility', ...guard, async (ctx) => {
    const body = await readJson(ctx);
    const request = parseEligibility(body);
    const { account } = ctx.state.auth as IvrAuth;
    await withIdempotency(
      ctx,
      deps.db,
      { accountId: account.id, route: 'eligibility', body, now: deps.clock() },
      () => checkEligibility(deps, account, request),
    );
  });

  router.post('/invite', ...guard, async (ctx) => {
    const body = await readJson(ctx);
    const parsed = InviteRequest.safeParse(body);
    if (!parsed.success) throw invalidRequest(describeIssue(parsed.error));
    const { account } = ctx.state.auth as IvrAuth;
    await withIdempotency(
      ctx,
      deps.db,
      { accountId: account.id, route: 'invite', body, now: deps.clock() },
      () => invite(deps, account, parsed.data),
    );
  });
  return router;
}

/**
 * The eligibility body, or the product's error: a present but malformed number has its own code
 * (1001); a missing one, a non-string or one over the length limit (spec §6) is an invalid request
 * (1000) like any field.
 */
export function parseEligibility(body: unknown): EligibilityRequest {
  const parsed = EligibilityRequest.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const malformedPhone =
    issue.path[0] === 'consumerPhoneNumber' &&
    issue.code !== 'invalid_type' &&
    issue.code !== 'too_big';
  throw malformedPhone ? invalidPhone(issue.message) : invalidRequest(describeIssue(parsed.error));
}

/** `?v=2.0` is part of the wire contract (and of the OAuth 1.0a signature). */
async function requireVersion(ctx: Context, next: Next) {
  if (ctx.query.v !== '2.0') {
    throw new AppError(400, IvrErrorCode.invalidVersion, 'Invalid version: use v=2.0');
  }
  await next();
}
