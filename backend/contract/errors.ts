import { z } from 'zod';
import { ADMIN_ERROR_CODES } from './admin-errors.js';

/**
 * The IVR API's error codes (wire-compatible with the product's current scheme) plus the few c2m
 * adds where the product is silent. Clients switch on `errorCode`, never on the message.
 */
export const IvrErrorCode = {
  invalidRequest: 1000,
  invalidPhoneNumber: 1001,
  invalidVersion: 1002,
  notFound: 1004,
  methodNotAllowed: 1005,
  payloadTooLarge: 1013,
  unsupportedMediaType: 1015,
  rateLimited: 1029,
  invalidToken: 1100,
  forbidden: 1101,
  noEngagementForSkill: 1300,
  cannotSend: 1400,
  /** c2m addition: the callId's time-to-live has passed. */
  callExpired: 1401,
  /** c2m addition: an Idempotency-Key was reused with a different request. */
  idempotencyKeyReused: 1422,
  /** c2m addition: a request with the same Idempotency-Key is still being processed. */
  idempotencyKeyInUse: 1409,
  noHandoff: 1500,
  noHandoffChannel: 1501,
  overrideChannelNotAvailable: 1900,
  overrideSkillNotAvailable: 1901,
  internal: 5000,
  /** c2m addition: the database is busy (another process holds its write lock); retry shortly. */
  unavailable: 5003,
} as const;
export type IvrErrorCode = (typeof IvrErrorCode)[keyof typeof IvrErrorCode];

export const IvrErrorBody = z.object({
  errorCode: z.number().int(),
  errorMessage: z.string(),
  /** Present on 5xx answers so an operator can find the log line. */
  requestId: z.string().optional(),
});
export type IvrErrorBody = z.infer<typeof IvrErrorBody>;

/** The admin API's error codes (listed in admin-errors.ts, which the browser reads without zod). */
export const AdminErrorCode = z.enum(ADMIN_ERROR_CODES);
export type AdminErrorCode = z.infer<typeof AdminErrorCode>;

/** The admin API's error body (the IVR API keeps the product's `{errorCode, errorMessage}`). */
export const AdminErrorBody = z.object({
  error: z.object({
    code: AdminErrorCode,
    message: z.string(),
    /** For validation_failed: the first rule broken per field, e.g. `{title: 'must be unique'}`. */
    details: z.object({ fieldErrors: z.record(z.string(), z.string()) }).optional(),
    requestId: z.string().optional(),
  }),
});
export type AdminErrorBody = z.infer<typeof AdminErrorBody>;

/**
 * The reporting API's error body, as the product's reporting API answers it: a numeric code, the
 * request's trace id and a message.
 */
export const ReportingErrorBody = z.object({
  code: z.number().int(),
  requestTraceId: z.string(),
  message: z.string(),
});
export type ReportingErrorBody = z.infer<typeof ReportingErrorBody>;
