import { z } from 'zod';
import {
  ReportsAnalyticsRequest,
  ReportsDimensions,
  ReportsDimensionsQuery,
} from '../../contract/admin-reports.js';
import { AnalyticsResponse } from '../../contract/reporting.js';
import {
  CreatedCredential,
  CredentialInput,
  CredentialView,
} from '../modules/accounts/credentials.admin.schema.js';
import { ADMIN, empty, json, type Operation } from '../http/operation.js';

/* The admin API: a user's session, checked against the policy table per action. */

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
