// Room names are made here only, from the session's account and a checked subject: a client never
// names a room, so one account's sockets can never be in another account's rooms.

export const phoneRoom = (accountId: string, phone: string) => `acct:${accountId}:phone:${phone}`;
export const consumerRoom = (accountId: string, consumerId: string) =>
  `acct:${accountId}:consumer:${consumerId}`;
export const conversationRoom = (accountId: string, conversationId: string) =>
  `acct:${accountId}:conversation:${conversationId}`;

/**
 * Every socket that follows one of an account's consumers is also in this room: the publisher asks
 * it whether anyone at all could receive an account's broadcast before reading what to send.
 * Nothing is ever emitted to it.
 */
export const followersRoom = (accountId: string) => `acct:${accountId}:followers`;

/** The account whose followers room `room` is, or undefined for any other room. */
export function followedAccountOf(room: string): string | undefined {
  return /^acct:(.+):followers$/.exec(room)?.[1];
}

/** The rooms following a consumer (by any of their identifiers) and their conversations. */
export function roomsOf(
  accountId: string,
  s: { phone?: string | null; consumerId?: string | null; conversationIds?: readonly string[] },
): string[] {
  return [
    ...(s.phone ? [phoneRoom(accountId, s.phone)] : []),
    ...(s.consumerId ? [consumerRoom(accountId, s.consumerId)] : []),
    ...(s.conversationIds ?? []).map((id) => conversationRoom(accountId, id)),
  ];
}
