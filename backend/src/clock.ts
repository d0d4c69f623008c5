/** Milliseconds since the epoch; injected so tests can move time (callId TTL, token expiry). */
export type Clock = () => number;
export const systemClock: Clock = () => Date.now();

/** How the API writes a time: ISO 8601 in UTC, to the millisecond. */
export const iso = (ms: number): string => new Date(ms).toISOString();

/** The same for a time that may not have happened yet. */
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));
