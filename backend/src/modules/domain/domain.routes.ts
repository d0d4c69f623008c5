import { DomainAnswer, DomainParams, DomainQuery } from '../../../contract/domain.js';
import { ivrErrors } from '../../http/error-models.js';
import { json } from '../../http/operation.js';
import { publicOrigin } from '../../http/public-origin.js';
import { ApiRouter, anyone } from '../../http/route.js';
import type { AppDeps } from '../deps.js';

/**
 * LivePerson's Domain API, answered by c2m for the services it serves: an integration written for
 * the product looks up each host by service name before it calls, so pointing its one Domain API
 * host at c2m moves all of it. Like the product's, it is public and the same for every account:
 * it tells nothing of whether an account exists.
 */
export function domainRoutes(deps: AppDeps): ApiRouter {
  const router = new ApiRouter(ivrErrors, { tag: 'Domain API' });
  router.add({
    name: 'getServiceDomain',
    method: 'get',
    path: '/api/account/:accountId/service/:service/baseURI.json',
    summary: "A service's host, as the product's Domain API answers",
    description:
      '`connectToMessagingDomain` (the IVR API), `sentinel` (AppJWT tokens) and `cxReporting` ' +
      '(reporting) are all c2m: `baseURI` is its public host, without a scheme, as the product ' +
      'answers.',
    auth: anyone,
    params: DomainParams,
    query: DomainQuery,
    responses: { 200: json(DomainAnswer, 'The host to call') },
    handle: (ctx, { params }) =>
      ({
        service: params.service,
        account: params.accountId,
        baseURI: new URL(publicOrigin(deps.config, ctx)).host,
      }) satisfies DomainAnswer,
  });
  return router;
}
