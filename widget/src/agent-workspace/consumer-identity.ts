// Who the consumer of the agent's conversation is, read from the Agent Workspace SDK's public model.
// The model "is subject to change" and the SDE arrive in more than one shape (the documented
// `personalInfo.contactInfo[]` / `customerDetails`, or the engagement-attribute events
// `{type: 'personal', personal: {contacts: [...]}}` / `{type: 'ctmrinfo', info: {customerId}}`),
// so values are looked for by their field names at any depth instead of at one fixed path.
import { isE164 } from '../../../backend/contract/e164.js';

/** What the bound paths last said; each binding replaces its own field with the full new value. */
export interface WorkspaceModel {
  conversationId?: unknown;
  visitorInfo?: unknown;
  sde?: unknown;
  preChatPhone?: unknown;
}

/** The `<c2m-cx-widget>` subject the model points to. */
export interface ConsumerSubject {
  conversationId?: string;
  consumerPhoneNumber?: string;
  consumerId?: string;
}

/** Deep enough for every documented SDE shape, shallow enough to stop on anything odd. */
const MAX_DEPTH = 6;
/** The lengths c2m accepts for ids (WidgetSubject). */
const MAX_CONSUMER_ID = 255;
const MAX_CONVERSATION_ID = 64;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** A phone number as c2m follows it (E.164), with spaces, dashes, dots and brackets dropped. */
export function toE164(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const compact = value.replace(/[\s\-().]/g, '');
  return isE164(compact) ? compact : undefined;
}

const nonEmpty = (value: unknown, max: number): string | undefined =>
  typeof value === 'string' && value.trim() !== '' && value.length <= max
    ? value.trim()
    : undefined;

/** Every value of `field` inside `node`, in document order (arrays oldest first, as the SDK sends). */
function valuesOf(node: unknown, field: string, depth = 0): unknown[] {
  if (depth > MAX_DEPTH || !isRecord(node)) return [];
  if (Array.isArray(node)) return node.flatMap((item) => valuesOf(item, field, depth + 1));
  return Object.entries(node).flatMap(([key, value]) =>
    key === field
      ? [value, ...valuesOf(value, field, depth + 1)]
      : valuesOf(value, field, depth + 1),
  );
}

/** The latest phone among the SDE's personal contacts (`contacts[]` or `contactInfo[]`). */
export function phoneFromSde(sde: unknown): string | undefined {
  const contacts = [...valuesOf(sde, 'contacts'), ...valuesOf(sde, 'contactInfo')];
  const phones = contacts
    .flatMap((list): unknown[] => (Array.isArray(list) ? (list as unknown[]) : [list]))
    .map((contact) => (isRecord(contact) ? toE164(contact.phone) : undefined))
    .filter((phone) => phone !== undefined);
  return phones.at(-1);
}

/** The latest customer id among the SDE (`customerDetails` or the `ctmrinfo` attribute). */
export function customerIdFromSde(sde: unknown): string | undefined {
  const ids = valuesOf(sde, 'customerId')
    .map((id) => nonEmpty(typeof id === 'number' ? String(id) : id, MAX_CONSUMER_ID))
    .filter((id) => id !== undefined);
  return ids.at(-1);
}

/** The pre-chat survey's phone question: documented as `{value}`; a bare string is taken too. */
export function phoneFromPreChat(question: unknown): string | undefined {
  return toE164(isRecord(question) ? question.value : question);
}

/**
 * Phone: the SDE's contacts, else the pre-chat survey. Consumer id: the SDE's customer id (what
 * the IVR passes for in-app), else `visitorInfo.visitorId`, which the model documents as the
 * consumer id; c2m matches any of the three, so a wrong guess hides nothing.
 */
export function subjectOf(model: WorkspaceModel): ConsumerSubject {
  const visitorId = isRecord(model.visitorInfo) ? model.visitorInfo.visitorId : undefined;
  return {
    conversationId: nonEmpty(model.conversationId, MAX_CONVERSATION_ID),
    consumerPhoneNumber: phoneFromSde(model.sde) ?? phoneFromPreChat(model.preChatPhone),
    consumerId: customerIdFromSde(model.sde) ?? nonEmpty(visitorId, MAX_CONSUMER_ID),
  };
}
