// The fake's FCM and RBM endpoints: Bearer token and scope, path, query and body checked as
// Google documents them, answered with Google's error envelope `{error: {code, message, status}}`.
import { z } from 'zod';
import type { FakeState, RecordedRequest, Reply } from './google-server.js';

export const SCOPE = {
  fcm: 'https://www.googleapis.com/auth/firebase.messaging',
  rbm: 'https://www.googleapis.com/auth/rcsbusinessmessaging',
  cloud: 'https://www.googleapis.com/auth/cloud-platform',
};

export function googleErrorBody(
  code: number,
  status: string,
  message: string,
  details?: unknown[],
) {
  return { error: { code, message, status, ...(details ? { details } : {}) } };
}

/** FCM's HTTP status and canonical status for each of its error codes. */
const FCM_CODES: Record<string, [number, string]> = {
  UNREGISTERED: [404, 'NOT_FOUND'],
  INVALID_ARGUMENT: [400, 'INVALID_ARGUMENT'],
  SENDER_ID_MISMATCH: [403, 'PERMISSION_DENIED'],
  QUOTA_EXCEEDED: [429, 'RESOURCE_EXHAUSTED'],
  UNAVAILABLE: [503, 'UNAVAILABLE'],
  INTERNAL: [500, 'INTERNAL'],
  THIRD_PARTY_AUTH_ERROR: [401, 'UNAUTHENTICATED'],
};

/** An FCM error reply with its `FcmError` detail, e.g. `fcmErrorBody('UNREGISTERED')`. */
export function fcmErrorBody(
  errorCode: keyof typeof FCM_CODES,
  message = `FCM error ${errorCode}`,
) {
  const [code, status] = FCM_CODES[errorCode];
  return {
    status: code,
    body: googleErrorBody(code, status, message, [
      { '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode },
    ]),
  };
}

const fail = (code: number, status: string, message: string): Reply => ({
  status: code,
  body: googleErrorBody(code, status, message),
});

/** Google's answer to a missing, unknown, expired or revoked token, or one without the scope. */
function authorize(state: FakeState, req: RecordedRequest, scope: string): Reply | undefined {
  const m = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
  const token = m ? state.tokens.get(m[1]) : undefined;
  if (!token || token.revoked || token.expiresAt <= state.now()) {
    return fail(
      401,
      'UNAUTHENTICATED',
      'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
    );
  }
  if (!token.scopes.has(scope) && !token.scopes.has(SCOPE.cloud)) {
    return fail(403, 'PERMISSION_DENIED', 'Request had insufficient authentication scopes.');
  }
  return undefined;
}

function jsonBody(req: RecordedRequest): unknown {
  if (!req.headers['content-type']?.startsWith('application/json')) return undefined;
  try {
    return JSON.parse(req.body) as unknown;
  } catch {
    return undefined;
  }
}

const scripted = (state: FakeState, endpoint: 'fcm' | 'capabilities' | 'agentMessages') => {
  const s = state.next(endpoint);
  return s === undefined || s === 'hang' ? s : { status: s.status, body: s.body };
};

const FcmRequest = z
  .object({
    validate_only: z.boolean().optional(),
    message: z
      .object({
        token: z.string().min(1),
        notification: z
          .object({ title: z.string().optional(), body: z.string().optional() })
          .strict()
          .optional(),
        // FCM's data is map<string, string>: a number or nested object is INVALID_ARGUMENT
        data: z.record(z.string(), z.string()).optional(),
        android: z
          .object({ priority: z.enum(['normal', 'high', 'NORMAL', 'HIGH']).optional() })
          .optional(),
        apns: z.object({ headers: z.record(z.string(), z.string()).optional() }).optional(),
      })
      .strict(),
  })
  .strict();

const RESERVED_DATA = /^(from|gcm|message_type|google.*)$/;

export function fcmRoute(state: FakeState, req: RecordedRequest, projectId: string): Reply {
  const denied = authorize(state, req, SCOPE.fcm);
  if (denied) return denied;
  if (projectId !== state.opts.projectId) {
    return fail(
      403,
      'PERMISSION_DENIED',
      `Permission 'cloudmessaging.messages.create' denied on resource '//cloudresourcemanager.googleapis.com/projects/${projectId}' (or it may not exist).`,
    );
  }
  const parsed = FcmRequest.safeParse(jsonBody(req));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fcmErrorBody(
      'INVALID_ARGUMENT',
      `Invalid JSON payload received. ${issue?.path.join('.')}: ${issue?.message}`,
    );
  }
  const { message } = parsed.data;
  const reserved = Object.keys(message.data ?? {}).find((k) => RESERVED_DATA.test(k));
  if (reserved) return fcmErrorBody('INVALID_ARGUMENT', `Invalid data payload key: ${reserved}`);
  if (!/^[\w:-]{20,}$/.test(message.token)) {
    return fcmErrorBody(
      'INVALID_ARGUMENT',
      'The registration token is not a valid FCM registration token',
    );
  }
  const s = scripted(state, 'fcm');
  if (s) return s;
  if (!state.fcmDevices.has(message.token)) {
    return fcmErrorBody('UNREGISTERED', 'Requested entity was not found.');
  }
  const id = `0:${state.now()}${Math.floor(Math.random() * 1e6)}%${state.opts.projectId}`;
  return { status: 200, body: { name: `projects/${state.opts.projectId}/messages/${id}` } };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const E164 = /^\+[1-9]\d{1,14}$/;

/** What RBM checks on both phone endpoints: token, agentId, the phone in the path. */
function rbmPreamble(state: FakeState, req: RecordedRequest, phone: string): Reply | undefined {
  const denied = authorize(state, req, SCOPE.rbm);
  if (denied) return denied;
  const agentId = req.query.get('agentId');
  if (!agentId) return fail(400, 'INVALID_ARGUMENT', 'agentId is required');
  if (agentId !== state.opts.agentId) {
    return fail(403, 'PERMISSION_DENIED', 'The caller does not have permission');
  }
  if (!E164.test(phone)) return fail(400, 'INVALID_ARGUMENT', `Invalid phone number: ${phone}`);
  return undefined;
}

export function rbmCapabilitiesRoute(state: FakeState, req: RecordedRequest, phone: string): Reply {
  const bad = rbmPreamble(state, req, phone);
  if (bad) return bad;
  const requestId = req.query.get('requestId');
  if (requestId !== null && !UUID.test(requestId)) {
    return fail(400, 'INVALID_ARGUMENT', 'requestId must be a UUID');
  }
  const s = scripted(state, 'capabilities');
  if (s) return s;
  if (!state.rcsPhones.has(phone)) return fail(404, 'NOT_FOUND', 'Requested entity was not found.');
  return {
    status: 200,
    body: { features: ['RICHCARD_STANDALONE', 'ACTION_DIAL', 'ACTION_OPEN_URL'] },
  };
}

const AgentMessage = z.object({ contentMessage: z.object({ text: z.string().min(1).max(3072) }) });

export function rbmAgentMessageRoute(state: FakeState, req: RecordedRequest, phone: string): Reply {
  const bad = rbmPreamble(state, req, phone);
  if (bad) return bad;
  const messageId = req.query.get('messageId');
  if (!messageId || !UUID.test(messageId)) {
    return fail(400, 'INVALID_ARGUMENT', 'messageId is required and must be a UUID');
  }
  const parsed = AgentMessage.safeParse(jsonBody(req));
  if (!parsed.success) return fail(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.');
  const s = scripted(state, 'agentMessages');
  if (s) return s;
  if (!state.rcsPhones.has(phone)) return fail(404, 'NOT_FOUND', 'Requested entity was not found.');
  if (state.agentMessageIds.has(messageId)) {
    return fail(409, 'ALREADY_EXISTS', 'Requested entity already exists');
  }
  state.agentMessageIds.add(messageId);
  return {
    status: 200,
    body: {
      name: `phones/${phone}/agentMessages/${messageId}`,
      sendTime: new Date(state.now()).toISOString(),
      contentMessage: parsed.data.contentMessage,
    },
  };
}
