import Router, { type RouterContext } from '@koa/router';
import type { Context } from 'koa';
import type { ParsedUrlQuery } from 'node:querystring';
import { z } from 'zod';
import type { AppError } from '../errors.js';
import { readJson } from './body.js';
import type { ErrorModel } from './error-models.js';
import type { Access, Answer, Content, Operation } from './operation.js';
import { parseInput } from './validate.js';

/**
 * Who may call a route: what the API reference says of it, and the check that holds the request
 * to it (401, 403, 429) before its input is read. Modules build these (`ivr(deps, 'ivr')`,
 * `admin(deps, 'handoffs:edit')`); the check answers who is calling, and the handler gets that.
 */
export interface Auth<Caller> {
  readonly access: Access;
  check: (ctx: Context) => Promise<Caller>;
}

/** Anyone: the route checks what it needs itself (a provider's signature, say). */
export const anyone: Auth<undefined> = {
  access: 'public',
  check: () => Promise.resolve(undefined),
};

/** An OAuth 2.0 client that names itself in the request (the token endpoint checks it). */
export const oauthClient: Auth<undefined> = {
  access: 'client',
  check: () => Promise.resolve(undefined),
};

type Schema = z.ZodType;
type ObjectSchema = z.ZodObject;
type Parsed<S, Otherwise> = S extends Schema ? z.output<S> : Otherwise;

/**
 * What a handler may answer: the JSON of its success schemas (every answer `json(Schema, …)`), or
 * anything when one of them is another media type or none; nothing when it sets the body itself.
 */
type AnswerOf<A> = A extends { body: infer S extends Schema } ? z.output<S> : unknown;
type Answers = Record<number, Answer>;
export type Reply<R extends Answers> = AnswerOf<R[keyof R]> | undefined | void;

/** What a handler is given: the caller and the input, each read by its schema. */
export interface RouteInput<Caller, P, Q, B> {
  caller: Caller;
  params: Parsed<P, Record<string, string>>;
  query: Parsed<Q, ParsedUrlQuery>;
  body: Parsed<B, undefined>;
  /** The JSON body as sent, before its schema read it (an idempotency key hashes this). */
  sent: unknown;
}

export type InputPart = 'params' | 'query' | 'body';

/**
 * One route, declared once: registered on the router, its input validated into the handler's
 * argument, and its OpenAPI operation (`Operation` minus what the router supplies).
 */
export interface RouteDefinition<
  Caller,
  P extends ObjectSchema | undefined,
  Q extends ObjectSchema | undefined,
  B extends Schema | Content | undefined,
  R extends Answers,
> extends Omit<
  Operation,
  | 'path'
  | 'operationId'
  | 'tag'
  | 'access'
  | 'params'
  | 'query'
  | 'body'
  | 'errorBody'
  | 'responses'
> {
  /** The operation id, as a generated client would name the call: `checkEligibility`. */
  name: string;
  /** Under the router's prefix, Koa's way (`/:id`); `also` registers more spellings (`/x/`). */
  path: string;
  also?: string[];
  /** The router's tag unless given. */
  tag?: string;
  auth: Auth<Caller>;
  params?: P;
  query?: Q;
  /** JSON read and checked here; a `Content` (a form) is documented, and read by the handler. */
  body?: B;
  /** The product's own error for an issue (a code of its own for one field), else undefined. */
  refuse?: (part: InputPart, issue: z.core.$ZodIssue) => AppError | undefined;
  /**
   * A check of the raw query, with the product's own errors, after the path parameters and
   * before the query and body are read (a parameter that must be given even where the schema
   * would read an empty one).
   */
  precheck?: (ctx: RouterContext) => void;
  /** The success answers; a handler's JSON is held to their schemas at compile time. */
  responses: R;
  /** Returns the JSON body to answer with, or sets the answer itself. */
  handle: (ctx: RouterContext, input: RouteInput<Caller, P, Q, B>) => Reply<R> | Promise<Reply<R>>;
}

/**
 * A router of one audience: its error model and its routes' definitions, which the OpenAPI
 * document (openapi/document.ts) is built from.
 */
export class ApiRouter extends Router {
  readonly operations: Operation[] = [];
  private readonly base: string;
  private readonly tag: string;

  constructor(
    readonly errors: ErrorModel,
    opts: { prefix?: string; tag: string },
  ) {
    super();
    this.base = opts.prefix ?? '';
    this.tag = opts.tag;
  }

  /** Registers `def` and records its operation. */
  add<
    Caller,
    P extends ObjectSchema | undefined = undefined,
    Q extends ObjectSchema | undefined = undefined,
    B extends Schema | Content | undefined = undefined,
    R extends Answers = Answers,
  >(def: RouteDefinition<Caller, P, Q, B, R>): this {
    const { name, path, also, tag, auth, handle } = def;
    const full = this.base + path;
    this.operations.push({
      method: def.method,
      path: full,
      operationId: name,
      tag: tag ?? this.tag,
      summary: def.summary,
      description: def.description,
      access: auth.access,
      params: def.params,
      query: def.query,
      headers: def.headers,
      body: def.body,
      optionalBody: def.optionalBody,
      example: def.example,
      responses: def.responses,
      errors: def.errors,
      errorBody: this.errors.body,
    });
    const errors = this.errors;
    const answer = async (ctx: RouterContext) => {
      // before anything can fail: every error of this route is written in its audience's shape
      ctx.state.errorModel = errors;
      const caller = await auth.check(ctx);
      const input = await readInput(ctx, def, caller);
      const body = await handle(ctx, input);
      if (body !== undefined) ctx.body = body;
    };
    const paths = [full, ...(also ?? []).map((p) => this.base + p)];
    this.register(paths, [def.method.toUpperCase()], answer);
    return this;
  }
}

async function readInput<Caller, P, Q, B>(
  ctx: RouterContext,
  def: {
    params?: P;
    query?: Q;
    body?: B;
    optionalBody?: true;
    refuse?: (part: InputPart, issue: z.core.$ZodIssue) => AppError | undefined;
    precheck?: (ctx: RouterContext) => void;
  },
  caller: Caller,
): Promise<RouteInput<Caller, P, Q, B>> {
  const parse = (part: InputPart, schema: unknown, value: unknown): unknown =>
    schema instanceof z.ZodType
      ? parseInput(schema, value, { refuse: def.refuse && ((issue) => def.refuse?.(part, issue)) })
      : value;
  const params = parse('params', def.params, ctx.params);
  def.precheck?.(ctx);
  const query = parse('query', def.query, ctx.query);
  const json = def.body instanceof z.ZodType;
  const sent = json ? await (def.optionalBody ? optionalJson(ctx) : readJson(ctx)) : undefined;
  const body = json ? parse('body', def.body, sent) : undefined;
  // each part was read by its own schema, or is Koa's when the definition gave none
  return { caller, params, query, body, sent } as RouteInput<Caller, P, Q, B>;
}

/** A body every field of which is optional: none at all means `{}`. */
export async function optionalJson(ctx: Context): Promise<unknown> {
  const declared = ctx.get('Content-Length');
  if ((declared === '' || declared === '0') && !ctx.get('Transfer-Encoding')) return {};
  return readJson(ctx);
}

/** The operations of every ApiRouter among `routers`, in their order. */
export const operationsOf = (routers: readonly Router[]): Operation[] =>
  routers.flatMap((r) => (r instanceof ApiRouter ? r.operations : []));
