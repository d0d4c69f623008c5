import { TokenRequest, TokenResponse } from '../../contract/deflection.js';
import { HealthStatus, ReadinessStatus } from '../../contract/health.js';
import {
  EVENT_DELIVERY,
  accountSetupOperations,
  conversationOperations,
  eventWebhookOperations,
  sandboxOperations,
} from './operations.account.js';
import { reportingOperations } from './operations.reporting.js';
import { empty, json, type Operation, type Outgoing } from '../http/operation.js';

/** The API reference's sections, in reading order: an IVR integrator's first, then the admin's. */
export const TAGS = [
  { name: 'OAuth', description: 'Bearer tokens for account credentials (client credentials).' },
  { name: 'IVR deflection', description: 'Eligibility, then invite: the IVR offers a channel.' },
  { name: 'Reporting', description: 'The funnel, per-call transactions and exports.' },
  { name: 'Conversations', description: 'Read, answer and close conversations consumers open.' },
  { name: 'Account setup', description: 'Messaging providers, the conversation sink, devices.' },
  { name: 'Event webhooks', description: 'Signed POSTs of transaction and conversation events.' },
  { name: 'Sandbox phone', description: "What a consumer's handset would do, for the sandbox." },
  { name: 'Sessions', description: "Sessions for the brand's users (admin API, widget)." },
  { name: 'Admin: handoffs', description: 'The API handoffs an IVR names in eligibility.' },
  { name: 'Admin: templates', description: 'WhatsApp message templates and their review.' },
  { name: 'Admin: settings', description: 'Account-wide channels, routing, texts and limits.' },
  { name: 'Admin: credentials', description: 'The API keys page: IVR and reporting credentials.' },
  { name: 'Admin: reports', description: "The admin element's reporting dashboard." },
  { name: 'Widget', description: "The agent widget's list of outbound messages." },
  { name: 'Provider webhooks', description: 'Where messaging providers report; signed by them.' },
  { name: 'Operations', description: 'Health, readiness, metrics and this reference.' },
] as const;

const tokenOperation = (path: string, summary: string): Operation => ({
  method: 'post',
  path,
  tag: 'OAuth',
  summary,
  description: 'The token carries the credential’s permissions as its scope.',
  access: 'client',
  body: { contentType: 'application/x-www-form-urlencoded', schema: TokenRequest },
  responses: { 200: json(TokenResponse, 'A bearer token') },
  errors: { 401: 'Unknown client or wrong secret', 415: 'The body is not a form' },
});

/**
 * The routes not yet declared with http/route.ts: the document reads these beside the
 * definitions of every ApiRouter (openapi/openapi.routes.ts).
 */
export const OPERATIONS: readonly Operation[] = [
  tokenOperation('/oauth/token', 'Get a bearer token'),
  tokenOperation(
    '/sentinel/api/account/:accountId/app/token',
    "Get a bearer token (the product's path)",
  ),
  ...reportingOperations(),
  ...conversationOperations(),
  ...accountSetupOperations(),
  ...eventWebhookOperations(),
  ...sandboxOperations(),
  ...['get', 'post'].map((method): Operation => ({
    method: method as 'get' | 'post',
    path: '/webhooks/:provider/:accountId',
    tag: 'Provider webhooks',
    summary: `A provider's ${method === 'get' ? 'verification handshake' : 'events'}`,
    description:
      'Paste this URL into the provider’s console; the account’s provider settings verify ' +
      'the signature (Twilio, WhatsApp Cloud, RBM, the push proxy).',
    access: 'public',
    responses: { 200: empty('Processed; a retry gets the same outcome') },
    errors: { 401: 'Invalid signature', 404: 'No such provider configured for the account' },
  })),
  {
    method: 'get',
    path: '/healthz',
    tag: 'Operations',
    summary: 'The process is up',
    access: 'public',
    responses: { 200: json(HealthStatus, 'Up') },
  },
  {
    method: 'get',
    path: '/readyz',
    tag: 'Operations',
    summary: 'The database is reachable, migrated and start-up is done',
    access: 'public',
    responses: {
      200: json(ReadinessStatus, 'Ready'),
      503: json(ReadinessStatus, 'Starting, migrations pending or no database'),
    },
  },
  {
    method: 'get',
    path: '/metrics',
    tag: 'Operations',
    summary: 'Prometheus metrics',
    description:
      'Answers a scraper on the same host, or one sending `Authorization: Bearer ' +
      '$C2M_METRICS_TOKEN` when that is set.',
    access: 'public',
    responses: {
      200: { description: 'The text exposition format', body: { contentType: 'text/plain' } },
    },
    errors: { 403: 'Neither loopback nor the metrics token' },
  },
  {
    method: 'get',
    path: '/openapi.json',
    tag: 'Operations',
    summary: 'This API description (OpenAPI 3.1)',
    access: 'public',
    responses: { 200: empty('The OpenAPI document') },
  },
  {
    method: 'get',
    path: '/docs/api',
    tag: 'Operations',
    summary: 'This API reference as a page',
    access: 'public',
    responses: { 200: { description: 'HTML', body: { contentType: 'text/html' } } },
  },
];

/** The requests c2m itself makes to a brand's endpoints. */
export const WEBHOOKS: readonly Outgoing[] = [EVENT_DELIVERY];
