/**
 * Webhook payloads exactly as Meta's `messages` webhook reference shows them, for the fake Cloud
 * API to deliver: one envelope per delivery, any number of changes, statuses and messages.
 */
export interface BusinessNumber {
  wabaId: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
}

export interface MetaWebhookError {
  code: number;
  title: string;
  details: string;
}

type Value = Record<string, unknown>;

/** `{object, entry:[{id, changes:[{field:'messages', value}…]}]}` for one WhatsApp Business Account. */
export function delivery(wabaId: string, values: Value[], field = 'messages') {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: wabaId, changes: values.map((value) => ({ value, field })) }],
  };
}

/** The `value` of one change: a business number's statuses and/or consumer messages. */
export function messagesValue(
  number: BusinessNumber,
  items: { statuses?: Value[]; messages?: Value[]; contacts?: Value[] },
): Value {
  return {
    messaging_product: 'whatsapp',
    metadata: {
      display_phone_number: number.displayPhoneNumber,
      phone_number_id: number.phoneNumberId,
    },
    ...items,
  };
}

const seconds = (ms: number) => String(Math.floor(ms / 1000));

export function status(
  wamid: string,
  state: 'sent' | 'delivered' | 'read' | 'failed' | 'deleted',
  recipient: string,
  atMs: number,
  error?: MetaWebhookError,
): Value {
  return {
    id: wamid,
    status: state,
    timestamp: seconds(atMs),
    recipient_id: recipient,
    ...(state === 'sent' && {
      conversation: {
        id: 'c0ffee0123456789abcdef',
        expiration_timestamp: seconds(atMs + 86_400_000),
        origin: { type: 'utility' },
      },
      pricing: { billable: true, pricing_model: 'PMP', category: 'utility', type: 'regular' },
    }),
    ...(error && {
      errors: [
        {
          code: error.code,
          title: error.title,
          message: error.title,
          error_data: { details: error.details },
          href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
        },
      ],
    }),
  };
}

/** A consumer message; `content` is the type-specific part, e.g. `{type:'text', text:{body}}`. */
export function message(from: string, id: string, atMs: number, content: Value): Value {
  return { from, id, timestamp: seconds(atMs), ...content };
}

export const text = (body: string) => ({ type: 'text', text: { body } });
export const quickReply = (label: string) => ({
  type: 'button',
  button: { payload: label.toUpperCase(), text: label },
});
export const buttonReply = (title: string) => ({
  type: 'interactive',
  interactive: { type: 'button_reply', button_reply: { id: `btn-${title}`, title } },
});
export const listReply = (title: string) => ({
  type: 'interactive',
  interactive: { type: 'list_reply', list_reply: { id: `row-${title}`, title, description: '' } },
});
export const image = (caption?: string) => ({
  type: 'image',
  image: { mime_type: 'image/jpeg', sha256: 'abc', id: '1234567890', ...(caption && { caption }) },
});
export const audio = () => ({ type: 'audio', audio: { mime_type: 'audio/ogg', id: '987654321' } });
export const system = () => ({
  type: 'system',
  system: { body: 'User changed number', type: 'user_changed_number' },
});

export const contact = (waId: string, name: string) => ({ profile: { name }, wa_id: waId });
