// Test helpers for event webhooks: the brand's webhooks API (OAuth 1.0a signed, as an admin
// credential calls it) and the receiver's own signature check, written with node:crypto only.
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IvrErrorBody } from '../contract/errors.js';
import type {
  DeliveryView,
  SubscriptionCreated,
  SubscriptionView,
  WebhookEvent,
} from '../contract/webhooks.js';
import {
  call,
  oauth1Header,
  type ApiResponse,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';
import type { ReceivedDelivery } from './sink-receiver.js';

export type ReceivedEvent = ReceivedDelivery<WebhookEvent>;

/** `/api/account/:accountId/webhooks…` of one account, signed with its OAuth 1.0a credential. */
export function webhooksApi(
  t: Pick<TestC2m, 'url'>,
  account: SeededAccount,
  accountId = account.accountId,
) {
  const base = `${t.url}/api/account/${accountId}/webhooks`;
  const request = (method: string, path = '', body?: unknown) => {
    const url = `${base}${path}`;
    return call(url, { method, body, authorization: oauth1Header(account.oauth1, method, url) });
  };
  return {
    request,
    create: async (body: unknown) => {
      const res = await request('POST', '', body);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body as SubscriptionCreated;
    },
    deliveries: async (subscriptionId: string, status?: DeliveryView['status']) => {
      const res = await request(
        'GET',
        `/${subscriptionId}/deliveries${status ? `?status=${status}` : ''}`,
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return (res.body as { deliveries: DeliveryView[] }).deliveries;
    },
    list: async () => {
      const res = await request('GET');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return (res.body as { subscriptions: SubscriptionView[] }).subscriptions;
    },
  };
}
export type WebhooksApi = ReturnType<typeof webhooksApi>;

/**
 * What a brand's receiver does before trusting a delivery: recompute the HMAC-SHA256 of
 * `timestamp.rawBody` with its secret and compare in constant time. Written here with node:crypto
 * so the test does not vouch for c2m's signing code with c2m's own code.
 */
export function verifiedByReceiver(d: ReceivedEvent, secret: string): boolean {
  const timestamp = String(d.headers['x-c2m-timestamp']);
  const signature = String(d.headers['x-c2m-signature']);
  const expected =
    'v1=' + createHmac('sha256', secret).update(`${timestamp}.${d.rawBody}`).digest('hex');
  return (
    /^\d{10}$/.test(timestamp) &&
    signature.length === expected.length &&
    timingSafeEqual(Buffer.from(signature), Buffer.from(expected))
  );
}

export function expectBadRequest(res: ApiResponse, message: RegExp) {
  assert.equal(res.status, 400, JSON.stringify(res.body));
  assert.match((res.body as IvrErrorBody).errorMessage, message);
}
