import { z } from 'zod';
import { ChannelName } from '../../contract/channels.js';
import {
  AgentMessage,
  AgentMessageQueued,
  ConversationDetail,
  ConversationList,
  ConversationsQuery,
  ConversationView,
} from '../../contract/conversations.js';
import { DeviceRegistration } from '../../contract/devices.js';
import {
  SandboxInbound,
  SandboxInboundResult,
  SandboxMessageList,
  SandboxMessagesQuery,
  SandboxStatus,
  SandboxStatusResult,
} from '../../contract/sandbox.js';
import {
  SinkDeliveriesQuery,
  SinkDeliveryList,
  SinkReplayed,
  SinkSettingsInput,
  SinkSettingsView,
} from '../../contract/sink.js';
import { ProviderList, ProviderSettings, ProviderView } from '../../contract/providers.js';
import {
  DeliveriesQuery,
  DeliveryView,
  SubscriptionCreated,
  WebhookEvent,
  SubscriptionInput,
  SubscriptionPatch,
  SubscriptionView,
} from '../../contract/webhooks.js';
import { ACCOUNT, empty, json, type Operation, type Outgoing } from './operation.js';

const ChannelParam = z.object({ channel: ChannelName });

const ACCOUNT_ADMIN = { credential: ['admin'] } as const;

export function conversationOperations(): Operation[] {
  const base = `${ACCOUNT}/conversations`;
  const access = { credential: ['conversations', 'admin'] } as const;
  const tag = 'Conversations';
  return [
    {
      method: 'get',
      path: base,
      tag,
      summary: 'List conversations, newest first (100)',
      access,
      query: ConversationsQuery,
      responses: { 200: json(ConversationList, 'Newest first') },
    },
    {
      method: 'get',
      path: `${base}/:id`,
      tag,
      summary: 'Read a conversation with its transcript',
      access,
      responses: { 200: json(ConversationDetail, 'The conversation and its `transcript`') },
      errors: { 404: 'No such conversation' },
    },
    {
      method: 'post',
      path: `${base}/:id/messages`,
      tag,
      summary: "Send an agent's message",
      access,
      body: AgentMessage,
      example: { text: 'Thanks, your order ships today.' },
      responses: { 202: json(AgentMessageQueued, 'Queued') },
      errors: { 404: 'No such conversation', 409: 'Closed, or the consumer opted out' },
    },
    {
      method: 'post',
      path: `${base}/:id/close`,
      tag,
      summary: 'Close a conversation',
      access,
      responses: { 200: json(ConversationView, 'The closed conversation') },
      errors: { 404: 'No such conversation' },
    },
  ];
}

export function accountSetupOperations(): Operation[] {
  const tag = 'Account setup';
  const access = ACCOUNT_ADMIN;
  const devices = { credential: ['admin', 'ivr'] } as const;
  return [
    {
      method: 'get',
      path: `${ACCOUNT}/providers`,
      tag,
      summary: 'List the messaging providers per channel (no secrets)',
      access,
      responses: { 200: json(ProviderList, 'Each with its webhookUrl') },
    },
    {
      method: 'put',
      path: `${ACCOUNT}/providers/:channel`,
      tag,
      summary: "Set a channel's messaging provider",
      access,
      params: ChannelParam,
      body: ProviderSettings,
      example: { provider: 'sandbox' },
      responses: {
        200: json(ProviderView, 'The provider (no secrets) and the webhookUrl to register'),
      },
    },
    {
      method: 'delete',
      path: `${ACCOUNT}/providers/:channel`,
      tag,
      summary: "Remove a channel's messaging provider",
      access,
      params: ChannelParam,
      responses: { 204: empty('Removed') },
    },
    {
      method: 'put',
      path: `${ACCOUNT}/sink`,
      tag,
      summary: 'Set where conversation events are posted',
      access,
      body: SinkSettingsInput,
      example: { url: 'https://cc.example.com/c2m-events', secret: 'a-secret-of-16-chars-or-more' },
      responses: { 200: json(SinkSettingsView, 'Saved; the secret is not shown') },
    },
    {
      method: 'get',
      path: `${ACCOUNT}/sink/deliveries`,
      tag,
      summary: 'List sink deliveries by status (200)',
      access,
      query: SinkDeliveriesQuery,
      responses: { 200: json(SinkDeliveryList, 'Newest first') },
    },
    {
      method: 'post',
      path: `${ACCOUNT}/sink/deliveries/:id/replay`,
      tag,
      summary: 'Deliver a failed sink event again',
      access,
      responses: { 202: json(SinkReplayed, 'Queued again') },
      errors: { 404: 'No such delivery' },
    },
    {
      method: 'put',
      path: `${ACCOUNT}/devices`,
      tag,
      summary: "Register a consumer's app for push",
      access: devices,
      body: DeviceRegistration,
      example: { consumerId: 'c-1', appId: 'com.example.app', platform: 'ios', token: 'f00dfeed' },
      responses: { 204: empty('Registered') },
    },
    {
      method: 'delete',
      path: `${ACCOUNT}/devices`,
      tag,
      summary: "Unregister a consumer's app",
      access: devices,
      body: DeviceRegistration.pick({ consumerId: true, appId: true, token: true }),
      example: { consumerId: 'c-1', appId: 'com.example.app', token: 'f00dfeed' },
      responses: { 204: empty('Unregistered') },
      errors: { 404: 'No such device' },
    },
  ];
}

export function sandboxOperations(): Operation[] {
  const base = `${ACCOUNT}/sandbox`;
  const tag = 'Sandbox phone';
  const access = { credential: ['admin', 'ivr'] } as const;
  return [
    {
      method: 'get',
      path: `${base}/messages`,
      tag,
      summary: 'What the sandbox sent and received, newest first (100)',
      access,
      query: SandboxMessagesQuery,
      responses: { 200: json(SandboxMessageList, 'Newest first') },
    },
    {
      method: 'post',
      path: `${base}/messages/:messageId/status`,
      tag,
      summary: 'Report a sent message delivered, read or failed',
      access,
      body: SandboxStatus,
      example: { status: 'read' },
      responses: { 200: json(SandboxStatusResult, 'What the status pipeline made of it') },
      errors: { 404: 'No such sandbox message' },
    },
    {
      method: 'post',
      path: `${base}/inbound`,
      tag,
      summary: 'Answer as the consumer',
      access,
      body: SandboxInbound,
      example: { channel: 'sms', from: '+14155550100', text: 'Hi!' },
      responses: { 200: json(SandboxInboundResult, 'What the inbound pipeline made of it') },
    },
  ];
}

export function eventWebhookOperations(): Operation[] {
  const base = `${ACCOUNT}/webhooks`;
  const tag = 'Event webhooks';
  const access = ACCOUNT_ADMIN;
  const missing = { 404: 'No such subscription' };
  return [
    {
      method: 'post',
      path: base,
      tag,
      summary: 'Subscribe a URL to events',
      description: 'The secret that signs deliveries is answered by this call only.',
      access,
      body: SubscriptionInput,
      example: { url: 'https://cc.example.com/c2m', events: ['transaction.delivered'] },
      responses: { 201: json(SubscriptionCreated, 'Subscribed; the secret is shown this once') },
    },
    {
      method: 'get',
      path: base,
      tag,
      summary: 'List subscriptions',
      access,
      responses: {
        200: json(z.object({ subscriptions: z.array(SubscriptionView) }), 'All of them'),
      },
    },
    {
      method: 'get',
      path: `${base}/:id`,
      tag,
      summary: 'Read a subscription',
      access,
      responses: { 200: json(SubscriptionView, 'The subscription') },
      errors: missing,
    },
    {
      method: 'patch',
      path: `${base}/:id`,
      tag,
      summary: 'Change a subscription (a new secret rotates it)',
      access,
      body: SubscriptionPatch,
      example: { enabled: false },
      responses: { 200: json(SubscriptionView, 'As saved') },
      errors: missing,
    },
    {
      method: 'delete',
      path: `${base}/:id`,
      tag,
      summary: 'Remove a subscription',
      access,
      responses: { 204: empty('Removed') },
      errors: missing,
    },
    {
      method: 'get',
      path: `${base}/:id/deliveries`,
      tag,
      summary: "A subscription's deliveries",
      access,
      query: DeliveriesQuery,
      responses: { 200: json(z.object({ deliveries: z.array(DeliveryView) }), 'Newest first') },
      errors: missing,
    },
    {
      method: 'post',
      path: `${base}/deliveries/:deliveryId/replay`,
      tag,
      summary: 'Deliver an event again',
      access,
      responses: { 202: json(DeliveryView, 'Queued again') },
      errors: { 404: 'No such delivery' },
    },
  ];
}

/** What each subscribed URL receives (sent by modules/webhooks/dispatcher.ts). */
export const EVENT_DELIVERY: Outgoing = {
  name: 'event',
  summary: 'An event, POSTed to each subscription of its type',
  description:
    'At least once, in order per transaction. Check the signature, drop a repeated ' +
    '`X-C2M-Delivery`, answer 2xx; anything else is retried with backoff.',
  headers: z.object({
    'X-C2M-Event': z.string().describe('The event type, as in the body'),
    'X-C2M-Delivery': z.string().describe('The body’s id: the same on a retry or replay'),
    'X-C2M-Timestamp': z.string().describe('Unix seconds when this attempt was signed'),
    'X-C2M-Signature': z
      .string()
      .describe('v1=<hex HMAC-SHA256(secret, X-C2M-Timestamp + "." + raw body)>'),
  }),
  body: WebhookEvent,
};
