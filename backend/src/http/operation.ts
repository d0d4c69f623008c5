import type { z } from 'zod';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Who may call an operation, as the API reference tells it: an account credential (OAuth 1.0a or
 * a bearer token) holding one of the permissions; a user's session whose role may do the action
 * (`widget`: the widget's roles); an OAuth 2.0 client authenticating itself; or anyone (a
 * provider's webhook checks a signature). The modules that check these build the values.
 */
export type Access = { credential: readonly string[] } | { session: string } | 'client' | 'public';

/** A body in a media type other than JSON (a form, a CSV export). */
export interface Content {
  contentType: string;
  schema?: z.ZodType;
}

/** One answer. A zod schema is JSON; `Content` names other media types; none is an empty body. */
export interface Answer {
  description: string;
  body?: z.ZodType | Content | Content[];
}

/**
 * One route as the API reference shows it. The path is the router's own (`:param`), so the test
 * that compares the document with the routers needs no second spelling.
 */
export interface Operation {
  method: Method;
  path: string;
  /** The name a generated client gives the call (`checkEligibility`); else made of the path. */
  operationId?: string;
  tag: string;
  summary: string;
  description?: string;
  access: Access;
  /** Path parameters that are more than a string (an enum, say); the rest are described by name. */
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  body?: z.ZodType | Content;
  /** The body may be left out (the route reads none as `{}`). */
  optionalBody?: true;
  /** A request body that parses with `body`; the reference page's curl sends it. */
  example?: unknown;
  responses: Record<number, Answer>;
  /** Errors beyond those the access and the body imply (401, 403, 400), with why they happen. */
  errors?: Record<number, string>;
  /** The error body of the router's error model (its audience's shape). */
  errorBody: z.ZodType;
}

/** A request c2m makes to the brand (OpenAPI's `webhooks`): what a receiver must accept. */
export interface Outgoing {
  name: string;
  summary: string;
  description?: string;
  headers?: z.ZodObject;
  body: z.ZodType;
}

export const ACCOUNT = '/api/account/:accountId';
export const ADMIN = '/api/admin/account/:accountId';

export const json = <S extends z.ZodType>(body: S, description: string) => ({ description, body });
export const empty = (description: string): Answer => ({ description });
