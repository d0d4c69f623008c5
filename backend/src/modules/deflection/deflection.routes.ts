import type { Context } from 'koa';
import { z } from 'zod';
import {
  EligibilityRequest,
  EligibilityResponse,
  IdempotencyHeaders,
  InviteRequest,
  InviteResponse,
} from '../../../contract/deflection.js';
import { IvrErrorCode } from '../../../contract/errors.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../../errors.js';
import { ivrErrors } from '../../http/error-models.js';
import { json } from '../../http/operation.js';
import { ApiRouter, type InputPart } from '../../http/route.js';
import { parseInput } from '../../http/validate.js';
import { accountRate, ivr } from '../accounts/ivr-auth.js';
import { checkEligibility, invalidPhone } from './eligibility.service.js';
import { withIdempotency } from './idempotency.js';
import { invite } from './invite.service.js';

/** `?v=2.0` is part of the wire contract (and of the OAuth 1.0a signature). */
const VersionQuery = z.object({ v: z.literal('2.0').describe('The API version; signed too') });

const replayErrors = {
  409: 'A request with this Idempotency-Key is still running',
  422: 'The Idempotency-Key was used with another body',
  429: 'Over the account’s rate limit (Retry-After)',
};

/** The IVR deflection API, on the product's paths: eligibility, then invite. */
export function deflectionRoutes(deps: AppDeps): ApiRouter {
  const router = new ApiRouter(ivrErrors, {
    prefix: '/api/account/:accountId',
    tag: 'IVR deflection',
  });
  const auth = ivr(deps, 'ivr', accountRate('ivr'));
  const common = { auth, query: VersionQuery, headers: IdempotencyHeaders } as const;
  /** Answers with `work`, once per Idempotency-Key and body (see idempotency.ts). */
  const once = <T>(
    ctx: Context,
    route: string,
    accountId: string,
    sent: unknown,
    work: () => Promise<T>,
  ) => withIdempotency(ctx, deps.db, { accountId, route, body: sent, now: deps.clock() }, work);

  router.add({
    name: 'checkEligibility',
    method: 'post',
    path: '/eligibility',
    summary: 'Check which channels can take a caller',
    ...common,
    body: EligibilityRequest,
    refuse: refuseEligibility,
    example: { skill: 'sales', consumerPhoneNumber: '+14155550100', handoffId: 'H123456789012345' },
    responses: { 200: json(EligibilityResponse, 'The channels offered, recommended first') },
    errors: replayErrors,
    handle: (ctx, { caller: { account }, body, sent }) =>
      once(ctx, 'eligibility', account.id, sent, () => checkEligibility(deps, account, body)),
  });

  router.add({
    name: 'sendInvite',
    method: 'post',
    path: '/invite',
    summary: 'Invite the caller to the offered channel',
    description: 'An expired callId, or a caller who was not eligible, is a 400 with its own code.',
    ...common,
    body: InviteRequest,
    refuse: refuseVersion,
    example: { callId: '7f6c1e0a-3b1d-4c8e-9a2b-5d4e3f2a1b0c' },
    responses: { 200: json(InviteResponse, 'The message is queued') },
    errors: { 404: 'No such callId', ...replayErrors },
    handle: (ctx, { caller: { account }, body, sent }) =>
      once(ctx, 'invite', account.id, sent, () => invite(deps, account, body)),
  });
  return router;
}

function refuseVersion(part: InputPart): AppError | undefined {
  return part === 'query'
    ? new AppError(400, IvrErrorCode.invalidVersion, 'Invalid version: use v=2.0')
    : undefined;
}

/**
 * The product's errors for eligibility: a present but malformed number has its own code (1001);
 * a missing one, a non-string or one over the length limit is an invalid request (1000) like any
 * field.
 */
function refuseEligibility(part: InputPart, issue: z.core.$ZodIssue): AppError | undefined {
  const malformedPhone =
    part === 'body' &&
    issue.path[0] === 'consumerPhoneNumber' &&
    issue.code !== 'invalid_type' &&
    issue.code !== 'too_big';
  return malformedPhone ? invalidPhone(issue.message) : refuseVersion(part);
}

/** The eligibility body, or the product's error (the demo page's eligibility reads it too). */
export function parseEligibility(body: unknown): EligibilityRequest {
  return parseInput(EligibilityRequest, body, {
    refuse: (issue) => refuseEligibility('body', issue),
  });
}
