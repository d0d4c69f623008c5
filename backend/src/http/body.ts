import type { Context } from 'koa';
import { IvrErrorCode } from '../../contract/errors.js';
import { AppError, invalidRequest } from '../errors.js';
import { nestingProblem } from './json-depth.js';

export const MAX_BODY_BYTES = 64 * 1024;

/** Reads the raw body once, refusing more than the limit without buffering it. */
export async function readRawBody(ctx: Context, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(ctx.get('Content-Length') || 0);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function tooLarge(limit: number) {
  return new AppError(
    413,
    IvrErrorCode.payloadTooLarge,
    `Request body is larger than ${limit / 1024} KB`,
  );
}

/** The JSON body, or a 415 / 400 that says what is wrong with it. */
export async function readJson(ctx: Context): Promise<unknown> {
  if (!ctx.is('application/json')) {
    throw new AppError(
      415,
      IvrErrorCode.unsupportedMediaType,
      'Content-Type must be application/json',
    );
  }
  const raw = await readRawBody(ctx);
  if (raw.length === 0) throw invalidRequest('body: a JSON object is required');
  return parseJsonBody(raw.toString('utf8'));
}

/**
 * JSON text as a value, refusing text nested deeper than MAX_JSON_DEPTH (400 naming the top-level
 * field that holds it) before parsing: JSON.parse copes, but storing or hashing a few thousand
 * levels (JSON.stringify) overflows the stack.
 */
export function parseJsonBody(text: string): unknown {
  const tooDeep = nestingProblem(text);
  if (tooDeep) throw invalidRequest(tooDeep);
  try {
    return JSON.parse(text);
  } catch {
    throw invalidRequest('body: malformed JSON');
  }
}

// the socket acks still read an issue's wording here; it lives in validate.ts with the rest
