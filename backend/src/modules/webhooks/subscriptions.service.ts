import type {
  DeliveryStatus,
  SubscriptionInput,
  SubscriptionPatch,
} from '../../../contract/webhooks.js';
import { randomToken } from '../../auth/secrets.js';
import type { AppDeps } from '../deps.js';
import { invalidRequest, notFound } from '../../errors.js';
import { newUuid } from '../../ids.js';
import { listDeliveries, replayDelivery, type DeliveryRow } from './deliveries.repo.js';
import {
  deleteSubscription,
  findSubscription,
  insertSubscription,
  listSubscriptions,
  updateSubscription,
  type Subscription,
} from './subscriptions.repo.js';

type Deps = Pick<AppDeps, 'db' | 'keys' | 'clock' | 'config' | 'outbound'>;

const noSuchSubscription = () => notFound('No such webhook subscription');

/**
 * Refuses a URL c2m must not call (the outbound guard: outbound/outbound-url.ts). Every delivery is
 * checked again, against the address it connects to.
 */
async function assertDeliverable(deps: Deps, url: string): Promise<void> {
  const check = await deps.outbound.check(url);
  if (!check.ok) throw invalidRequest(`url: ${check.reason}`);
}

/** Saves a subscription; the secret (the brand's, or generated) is returned this once. */
export async function createSubscription(
  deps: Deps,
  accountId: string,
  input: SubscriptionInput,
): Promise<{ subscription: Subscription; secret: string }> {
  await assertDeliverable(deps, input.url);
  const secret = input.secret ?? randomToken('whsec_');
  const subscription = await insertSubscription(deps.db, deps.keys.secrets, {
    id: newUuid(),
    accountId,
    url: input.url,
    events: input.events,
    description: input.description ?? null,
    enabled: input.enabled ?? true,
    secret,
    now: deps.clock(),
  });
  return { subscription, secret };
}

export function subscriptionsOf(deps: Deps, accountId: string): Promise<Subscription[]> {
  return listSubscriptions(deps.db, accountId);
}

export async function getSubscription(
  deps: Deps,
  accountId: string,
  id: string,
): Promise<Subscription> {
  const subscription = await findSubscription(deps.db, accountId, id);
  if (!subscription) throw noSuchSubscription();
  return subscription;
}

export async function changeSubscription(
  deps: Deps,
  accountId: string,
  id: string,
  patch: SubscriptionPatch,
): Promise<Subscription> {
  await getSubscription(deps, accountId, id);
  if (patch.url !== undefined) await assertDeliverable(deps, patch.url);
  const changed = await updateSubscription(
    deps.db,
    deps.keys.secrets,
    accountId,
    id,
    patch,
    deps.clock(),
  );
  if (!changed) throw noSuchSubscription();
  return changed;
}

export async function removeSubscription(deps: Deps, accountId: string, id: string): Promise<void> {
  if (!(await deleteSubscription(deps.db, accountId, id))) throw noSuchSubscription();
}

export async function deliveriesOf(
  deps: Deps,
  accountId: string,
  subscriptionId: string,
  status: DeliveryStatus | undefined,
): Promise<DeliveryRow[]> {
  await getSubscription(deps, accountId, subscriptionId);
  return listDeliveries(deps.db, accountId, subscriptionId, status);
}

/** Sends a delivery of the account's again (failed or not), now, with the same id and body. */
export async function replay(
  deps: Deps,
  accountId: string,
  deliveryId: string,
): Promise<DeliveryRow> {
  const replayed = await replayDelivery(deps.db, accountId, deliveryId, deps.clock());
  if (!replayed) throw notFound('No such delivery');
  return replayed;
}
