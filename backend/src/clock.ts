/** Milliseconds since the epoch; injected so tests can move time (callId TTL, token expiry). */
export type Clock = () => number;
export const systemClock: Clock = () => Date.now();
