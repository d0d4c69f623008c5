import { z } from 'zod';

/**
 * The services LivePerson's Domain API names that c2m serves, so an integration written for the
 * product finds c2m's host the product's way. `connectToMessagingDomain` (the IVR API) and
 * `sentinel` (AppJWT tokens) are the product's names; its reporting host has no documented
 * service name, so c2m answers `cxReporting` for it.
 */
export const DomainService = z.enum(['connectToMessagingDomain', 'sentinel', 'cxReporting'], {
  error: 'must be connectToMessagingDomain, sentinel or cxReporting',
});
export type DomainService = z.infer<typeof DomainService>;

export const DomainParams = z.object({
  accountId: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be an account id'),
  service: DomainService,
});

export const DomainQuery = z.object({
  version: z.literal('1.0', { error: 'must be 1.0' }).describe('The Domain API version'),
});

/** As the product answers: the host (and port), without a scheme. */
export const DomainAnswer = z.object({
  service: DomainService,
  account: z.string(),
  baseURI: z.string(),
});
export type DomainAnswer = z.infer<typeof DomainAnswer>;
