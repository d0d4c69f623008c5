import { z } from 'zod';
import { HandoffInput, HandoffListQuery, HandoffView } from '../../contract/handoffs.js';
import { Page } from '../../contract/page.js';
import {
  ReportsAnalyticsRequest,
  ReportsDimensions,
  ReportsDimensionsQuery,
} from '../../contract/admin-reports.js';
import { AnalyticsResponse } from '../../contract/reporting.js';
import {
  TemplateInput,
  TemplateListQuery,
  TemplateReviewInput,
  TemplateStatusView,
  TemplateView,
} from '../../contract/templates.js';
import { CreatedCredential, CredentialInput, CredentialView } from '../../contract/credentials.js';
import { AdminSettingsInput, AdminSettingsView } from '../../contract/settings.js';
import { ADMIN, empty, json, type Operation } from './operation.js';

/* The admin API: a user's session, checked against the policy table per action. */

export function handoffOperations(): Operation[] {
  const base = `${ADMIN}/handoffs`;
  const tag = 'Admin: handoffs';
  const example = {
    title: 'Billing',
    lookback: { days: 1, hours: 0 },
    channels: [{ name: 'sms', enabled: true, message: 'Hi {{1}}, reply here to chat.' }],
  };
  const missing = { 404: 'No such handoff' };
  return [
    {
      method: 'get',
      path: base,
      tag,
      summary: 'List handoffs',
      access: { session: 'handoffs:view' },
      query: HandoffListQuery,
      responses: { 200: json(Page(HandoffView), 'One page') },
    },
    {
      method: 'post',
      path: base,
      tag,
      summary: 'Create a handoff',
      access: { session: 'handoffs:create' },
      body: HandoffInput,
      example,
      responses: { 201: json(HandoffView, 'Created (Location)') },
    },
    {
      method: 'get',
      path: `${base}/:id`,
      tag,
      summary: 'Read a handoff',
      access: { session: 'handoffs:view' },
      responses: { 200: json(HandoffView, 'The handoff') },
      errors: missing,
    },
    {
      method: 'put',
      path: `${base}/:id`,
      tag,
      summary: 'Replace a handoff',
      access: { session: 'handoffs:edit' },
      body: HandoffInput,
      example,
      responses: { 200: json(HandoffView, 'As saved') },
      errors: missing,
    },
    {
      method: 'delete',
      path: `${base}/:id`,
      tag,
      summary: 'Delete a handoff',
      access: { session: 'handoffs:delete' },
      responses: { 204: empty('Deleted') },
      errors: missing,
    },
  ];
}

export function templateOperations(): Operation[] {
  const base = `${ADMIN}/templates`;
  const tag = 'Admin: templates';
  const missing = { 404: 'No such template' };
  const settled = { 404: 'No such template', 409: 'Not a draft or rejected template' };
  const example = {
    name: 'order_update',
    category: 'UTILITY',
    language: 'en_US',
    wabaId: '102290129340398',
    phoneNumber: '+14155550100',
    body: 'Hi {{1}}, reply here to chat with us.',
    examples: ['Ada'],
  };
  return [
    {
      method: 'get',
      path: base,
      tag,
      summary: 'List templates',
      access: { session: 'templates:view' },
      query: TemplateListQuery,
      responses: { 200: json(Page(TemplateView), 'One page') },
    },
    {
      method: 'get',
      path: `${base}/status`,
      tag,
      summary: "Approved templates' status (no content)",
      access: { session: 'templates:status' },
      query: TemplateListQuery,
      responses: { 200: json(Page(TemplateStatusView), 'One page') },
    },
    {
      method: 'post',
      path: base,
      tag,
      summary: 'Create a draft',
      access: { session: 'templates:create' },
      body: TemplateInput,
      example,
      responses: { 201: json(TemplateView, 'The draft') },
      errors: { 409: 'A template with this name and language exists' },
    },
    {
      method: 'get',
      path: `${base}/:id`,
      tag,
      summary: 'Read a template',
      access: { session: 'templates:view' },
      responses: { 200: json(TemplateView, 'The template') },
      errors: missing,
    },
    {
      method: 'put',
      path: `${base}/:id`,
      tag,
      summary: 'Change a draft or rejected template',
      access: { session: 'templates:edit' },
      body: TemplateInput,
      example,
      responses: { 200: json(TemplateView, 'As saved') },
      errors: settled,
    },
    {
      method: 'delete',
      path: `${base}/:id`,
      tag,
      summary: 'Delete a template no handoff uses',
      access: { session: 'templates:delete' },
      responses: { 204: empty('Deleted') },
      errors: { 404: 'No such template', 409: 'A handoff sends with it' },
    },
    {
      method: 'post',
      path: `${base}/:id/clone`,
      tag,
      summary: 'Copy a template into a new draft',
      access: { session: 'templates:create' },
      responses: { 201: json(TemplateView, 'The new draft') },
      errors: missing,
    },
    {
      method: 'post',
      path: `${base}/:id/submit`,
      tag,
      summary: 'Submit for WhatsApp review',
      access: { session: 'templates:publish' },
      responses: { 200: json(TemplateView, 'Pending review') },
      errors: settled,
    },
    {
      method: 'post',
      path: `${base}/:id/review`,
      tag,
      summary: 'Approve or reject (the sandbox’s stand-in for WhatsApp)',
      access: { session: 'templates:publish' },
      body: TemplateReviewInput,
      example: { decision: 'approve' },
      responses: { 200: json(TemplateView, 'Approved or rejected') },
      errors: { 404: 'No such template', 409: 'Not pending, or the account has WhatsApp' },
    },
  ];
}

export function credentialOperations(): Operation[] {
  const base = `${ADMIN}/credentials`;
  const tag = 'Admin: credentials';
  const secretsOnce = 'Created; the secrets are shown this once';
  return [
    {
      method: 'get',
      path: base,
      tag,
      summary: 'List credentials (public ids only)',
      access: { session: 'credentials:view' },
      responses: { 200: json(z.object({ items: z.array(CredentialView) }), 'All of them') },
    },
    {
      method: 'post',
      path: base,
      tag,
      summary: 'Create a credential',
      access: { session: 'credentials:manage' },
      body: CredentialInput,
      example: { kind: 'oauth2', name: 'IVR', permissions: ['ivr'] },
      responses: { 201: json(CreatedCredential, secretsOnce) },
    },
    {
      method: 'post',
      path: `${base}/:id/rotate`,
      tag,
      summary: 'New secrets for a credential; the old stop working',
      access: { session: 'credentials:manage' },
      responses: { 201: json(CreatedCredential, secretsOnce) },
      errors: { 404: 'No such credential' },
    },
    {
      method: 'delete',
      path: `${base}/:id`,
      tag,
      summary: 'Revoke a credential',
      access: { session: 'credentials:manage' },
      responses: { 204: empty('Revoked') },
      errors: { 404: 'No such credential' },
    },
  ];
}

export function settingsOperations(): Operation[] {
  return [
    {
      method: 'get',
      path: `${ADMIN}/settings`,
      tag: 'Admin: settings',
      summary: 'Read the account settings',
      access: { session: 'settings:view' },
      responses: { 200: json(AdminSettingsView, 'The settings') },
    },
    {
      method: 'put',
      path: `${ADMIN}/settings`,
      tag: 'Admin: settings',
      summary: 'Change the account settings (the fields given)',
      access: { session: 'settings:create' },
      body: AdminSettingsInput,
      example: { frequencyCapPerHour: 3, allowedOrigins: ['https://portal.example.com'] },
      responses: { 200: json(AdminSettingsView, 'The settings as saved') },
    },
  ];
}

export function reportOperations(): Operation[] {
  const base = `${ADMIN}/reports`;
  const tag = 'Admin: reports';
  const access = { session: 'reports:view' } as const;
  return [
    {
      method: 'post',
      path: `${base}/analytics`,
      tag,
      summary: 'The funnel for a window of at most 60 days',
      access,
      body: ReportsAnalyticsRequest,
      example: { attemptedStartTime: 1767225600000, attemptedEndTime: 1767830400000 },
      responses: { 200: json(AnalyticsResponse, 'One row per channel, skill and day') },
    },
    {
      method: 'get',
      path: `${base}/dimensions`,
      tag,
      summary: "The values a window's filters may offer",
      access,
      query: ReportsDimensionsQuery,
      responses: { 200: json(ReportsDimensions, 'Each list sorted') },
    },
  ];
}
