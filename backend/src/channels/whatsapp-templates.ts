import { z } from 'zod';
import {
  TemplateCategory,
  templateVariables,
  type TemplateStatus,
} from '../../contract/templates.js';
import type { AdapterContext } from './types.js';
import type { WhatsAppCloudSettings } from './whatsapp-cloud.js';
import { refusedCall } from './refused.js';
import { isRetryableMetaCode, MetaError, metaErrorText } from './whatsapp-errors.js';

/** What c2m hands Meta for review: the template's name, language, category and body. */
export interface TemplateSubmission {
  wabaId: string;
  name: string;
  language: string;
  category: TemplateCategory;
  body: string;
  examples: string[];
  /** Meta's id from an earlier submission: a rejected template is edited, not created again. */
  providerTemplateId: string | null;
}

export type TemplateSubmitResult =
  | {
      ok: true;
      providerTemplateId: string;
      status: TemplateStatus;
      /** The category Meta assigned, which may differ from the one asked for. */
      category?: TemplateCategory;
    }
  | {
      ok: false;
      /** What went wrong, for the caller's answer: Meta's verdict or a failure to reach it. */
      kind: 'duplicate' | 'refused' | 'credentials' | 'unavailable';
      errorCode: string;
      errorMessage: string;
    };

/** Template errors carry their text in `error_user_msg` rather than `error_data.details`. */
const TemplateError = MetaError.extend({
  error_user_title: z.string().optional(),
  error_user_msg: z.string().optional(),
});
const TemplateErrorBody = z.object({ error: TemplateError });

const CreateResponse = z.object({
  id: z.string().min(1),
  status: z.string(),
  category: z.string().optional(),
});
const EditResponse = z.object({ success: z.literal(true) });

/** Meta's answer "a template with this name already has content in this language". */
const DUPLICATE_SUBCODE = 2388024;
/** Graph API codes about the token or its permissions: the account's settings, not the template. */
const CREDENTIAL_CODES = new Set([10, 190, 200, 2500]);

/** Meta's template statuses (create answers and status webhooks) in c2m's terms. */
export function fromMetaTemplateStatus(status: string): TemplateStatus | undefined {
  switch (status.toUpperCase()) {
    case 'APPROVED':
    case 'REINSTATED':
      return 'approved';
    case 'PENDING':
    case 'IN_APPEAL':
      return 'pending';
    case 'REJECTED':
      return 'rejected';
    case 'PAUSED':
      return 'paused';
    case 'DISABLED':
      return 'disabled';
    default:
      return undefined;
  }
}

/** The one component c2m's templates have: the body, with sample values when it has variables. */
export function bodyComponent(t: Pick<TemplateSubmission, 'body' | 'examples'>) {
  return {
    type: 'BODY',
    text: t.body,
    ...(templateVariables(t.body) > 0 && { example: { body_text: [t.examples] } }),
  };
}

/**
 * Meta's WhatsApp Business Management API for message templates: a new template is created on the
 * WhatsApp Business Account (`POST /{version}/{waba-id}/message_templates`); a rejected one that
 * Meta already knows is edited in place (`POST /{version}/{template-id}`), which sends it back to
 * review. Both with the account's Bearer token.
 */
export function createWhatsAppTemplateApi(settings: WhatsAppCloudSettings, ctx: AdapterContext) {
  const base = `${settings.baseUrl.replace(/\/+$/, '')}/${settings.apiVersion}`;

  async function post(url: string, body: unknown): Promise<Response | TemplateSubmitResult> {
    try {
      return await ctx.fetch(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${settings.accessToken}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(ctx.timeoutMs),
      });
    } catch (err) {
      const refusal = refusedCall(err, 'wa');
      if (refusal) return refused(refusal.errorCode, refusal.errorMessage);
      const timedOut = err instanceof Error && err.name === 'TimeoutError';
      return unavailable(
        timedOut ? 'timeout' : 'network_error',
        timedOut
          ? `WhatsApp did not answer within ${ctx.timeoutMs} ms`
          : 'WhatsApp could not be reached',
      );
    }
  }

  return {
    async submit(t: TemplateSubmission): Promise<TemplateSubmitResult> {
      const component = bodyComponent(t);
      if (t.providerTemplateId) {
        const url = `${base}/${encodeURIComponent(t.providerTemplateId)}`;
        const res = await post(url, { category: t.category, components: [component] });
        if (!(res instanceof Response)) return res;
        const text = await res.text();
        if (!res.ok) return failure(res.status, text);
        if (!EditResponse.safeParse(parseJson(text)).success) return invalidResponse();
        return { ok: true, providerTemplateId: t.providerTemplateId, status: 'pending' };
      }
      const url = `${base}/${encodeURIComponent(t.wabaId)}/message_templates`;
      const res = await post(url, {
        name: t.name,
        language: t.language,
        category: t.category,
        components: [component],
      });
      if (!(res instanceof Response)) return res;
      const text = await res.text();
      if (!res.ok) return failure(res.status, text);
      const parsed = CreateResponse.safeParse(parseJson(text));
      const status = parsed.success ? fromMetaTemplateStatus(parsed.data.status) : undefined;
      if (!parsed.success || !status) return invalidResponse();
      const category = TemplateCategory.safeParse(parsed.data.category);
      return {
        ok: true,
        providerTemplateId: parsed.data.id,
        status,
        ...(category.success && { category: category.data }),
      };
    },
  };
}

export type WhatsAppTemplateApi = ReturnType<typeof createWhatsAppTemplateApi>;

function failure(status: number, text: string) {
  const parsed = TemplateErrorBody.safeParse(parseJson(text));
  if (!parsed.success) {
    return status >= 500 || status === 429
      ? unavailable(`http_${status}`, `WhatsApp answered HTTP ${status}`)
      : refused(`http_${status}`, `WhatsApp answered HTTP ${status}`);
  }
  const e = parsed.data.error;
  // our words, never Meta's text: the answer may come from any host the settings name
  const message = metaErrorText(e.code, status);
  const errorCode = String(e.code);
  if (e.error_subcode === DUPLICATE_SUBCODE) {
    return fail('duplicate', errorCode, 'a template with this name and language already exists');
  }
  if (status >= 500 || status === 429 || isRetryableMetaCode(e.code)) {
    return unavailable(errorCode, message);
  }
  if (status === 401 || status === 403 || CREDENTIAL_CODES.has(e.code)) {
    return fail('credentials', errorCode, message);
  }
  return refused(errorCode, message);
}

const fail = (
  kind: 'duplicate' | 'refused' | 'credentials' | 'unavailable',
  errorCode: string,
  errorMessage: string,
): TemplateSubmitResult => ({ ok: false, kind, errorCode, errorMessage });
const refused = (code: string, message: string) => fail('refused', code, message);
const unavailable = (code: string, message: string) => fail('unavailable', code, message);
const invalidResponse = () =>
  // Meta may have taken it: the user retries, and a duplicate answer then says so
  unavailable('invalid_response', 'WhatsApp answered without the template’s id and status');

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
