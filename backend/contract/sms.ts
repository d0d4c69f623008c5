// What an SMS invite's text may be and how it is sent: the server's checks and renderer, the admin
// element's counter and preview all count and show the same text.

/** The most an SMS invite may hold, opt-out line included (UTF-16 units, as zod's `max` counts). */
export const SMS_MAX = 1600;

/** Past this the admin element warns: a longer message reads badly on a phone. */
export const SMS_GUIDANCE = 140;

/**
 * The text a consumer receives for an SMS: the message trimmed, then a space and the account's
 * opt-out line, unless the message already carries it or the account has none. A blank message
 * (its variables all left empty) is the opt-out line alone, never one led by a space.
 */
export function smsWithOptOut(message: string, optOutText: string): string {
  const body = message.trim();
  if (!optOutText || body.includes(optOutText)) return body;
  return body ? `${body} ${optOutText}` : optOutText;
}
