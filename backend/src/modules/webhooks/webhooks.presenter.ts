import type {
  DeliveryView,
  SubscriptionView,
  WebhookEvent,
  WebhookEventType,
} from '../../../contract/webhooks.js';
import type { DeliveryRow } from './deliveries.repo.js';
import type { Subscription } from './subscriptions.repo.js';
import { iso, isoOrNull } from '../../clock.js';

/** The one shape of a subscription: never its secret (the create call adds that, once). */
export function presentSubscription(s: Subscription): SubscriptionView {
  return {
    id: s.id,
    url: s.url,
    events: s.events,
    description: s.description,
    enabled: s.enabled,
    createdAt: iso(s.createdAt),
    updatedAt: iso(s.updatedAt),
  };
}

export function presentDelivery(d: DeliveryRow): DeliveryView {
  return {
    id: d.id,
    subscriptionId: d.subscription_id,
    type: d.type as WebhookEventType,
    status: d.status,
    attempts: d.attempts,
    lastError: d.last_error,
    createdAt: iso(d.created_at),
    nextAttemptAt: d.status === 'pending' ? iso(d.next_attempt_at) : null,
    deliveredAt: isoOrNull(d.delivered_at),
    event: JSON.parse(d.body_json) as WebhookEvent,
  };
}
