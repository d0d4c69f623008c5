import { z } from 'zod';

/** The client-credentials grant (RFC 6749 §4.4), sent as `application/x-www-form-urlencoded`. */
export const TokenRequest = z.object({
  grant_type: z.literal('client_credentials'),
  client_id: z.string().optional().describe('Or HTTP Basic authentication'),
  client_secret: z.string().optional().describe('Or HTTP Basic authentication'),
});
export type TokenRequest = z.infer<typeof TokenRequest>;

export const TokenResponse = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
});
export type TokenResponse = z.infer<typeof TokenResponse>;
