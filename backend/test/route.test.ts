// The route definition (backend/src/http/route.ts) on a bare Koa app: one declaration registers the
// route, reads its input by its schemas, answers errors in its router's audience shape and yields
// the operation the API reference shows.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import Koa from 'koa';
import { pino } from 'pino';
import { z } from 'zod';
import { AppError, forbidden } from '../src/errors.js';
import { errorHandler } from '../src/http/error-handler.js';
import { adminErrors, ivrErrors, reportingErrors } from '../src/http/error-models.js';
import { json } from '../src/http/operation.js';
import { anyone, ApiRouter, operationsOf, type Auth } from '../src/http/route.js';
import { parseInput } from '../src/http/validate.js';
import { call, startTestC2m, type TestC2m } from './helpers.js';

const Note = z.object({
  title: z.string().trim().min(1).max(10),
  tags: z.array(z.string()).min(1, 'give at least one tag'),
  count: z.number().int().default(1),
});

/** A caller named by a header, refused without it: what a module's auth factory builds. */
const named: Auth<{ name: string }> = {
  access: { credential: ['test'] },
  check: (ctx) => {
    const name = ctx.get('X-Name');
    return name ? Promise.resolve({ name }) : Promise.reject(forbidden());
  },
};

function notesRouter(errors: typeof ivrErrors, prefix: string): ApiRouter {
  const router = new ApiRouter(errors, { prefix, tag: 'Notes' });
  router.add({
    name: 'createNote',
    method: 'post',
    path: '/notes/:id',
    summary: 'Create a note',
    auth: named,
    params: z.object({ id: z.string().regex(/^\d+$/, 'must be digits') }),
    body: Note,
    example: { title: 'Hi', tags: ['a'] },
    responses: {
      201: json(
        z.object({ by: z.string(), id: z.string(), note: Note, sent: z.unknown() }),
        'Created',
      ),
    },
    handle: (ctx, { caller, params, body, sent }) => {
      ctx.status = 201;
      return { by: caller.name, id: params.id, note: body, sent };
    },
  });
  router.add({
    name: 'boom',
    method: 'get',
    path: '/boom',
    summary: 'Fails',
    auth: anyone,
    responses: {},
    handle: () => {
      throw new AppError(409, 1409, 'Busy');
    },
  });
  return router;
}

describe('route definitions', () => {
  const routers = [
    notesRouter(ivrErrors, '/ivr'),
    notesRouter(adminErrors, '/admin-side'),
    notesRouter(reportingErrors, '/reports'),
  ];
  const app = new Koa();
  app.use(errorHandler(pino({ level: 'silent' }), { models: [], otherwise: ivrErrors }));
  for (const router of routers) app.use(router.routes());
  let server: ReturnType<Koa['listen']>;
  let url = '';
  before(async () => {
    server = app.listen(0);
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  it('hands the handler its caller and its input as the schemas read them', async () => {
    const sent = { title: ' Hi ', tags: ['a'] };
    const res = await call(`${url}/ivr/notes/42`, { body: sent, headers: { 'X-Name': 'ada' } });
    assert.equal(res.status, 201);
    assert.deepEqual(res.body, {
      by: 'ada',
      id: '42',
      note: { title: 'Hi', tags: ['a'], count: 1 },
      sent,
    });
  });

  it('checks the caller before reading the input', async () => {
    const res = await call(`${url}/ivr/notes/x`, { body: [] });
    assert.equal(res.status, 403);
  });

  it("answers each router's errors in its own audience's shape", async () => {
    const body = { title: '', tags: [] };
    const headers = { 'X-Name': 'ada' };
    const ivr = await call(`${url}/ivr/notes/1`, { body, headers });
    assert.deepEqual(ivr.body, { errorCode: 1000, errorMessage: 'title: is required' });
    const admin = await call(`${url}/admin-side/notes/1`, { body, headers });
    assert.deepEqual(admin.body, {
      error: {
        code: 'validation_failed',
        message: 'title: is required',
        details: { fieldErrors: { title: 'is required', tags: 'give at least one tag' } },
      },
    });
    const reports = await call(`${url}/reports/boom`, { method: 'GET' });
    assert.equal(reports.status, 409);
    assert.deepEqual(Object.keys(reports.body as object), ['code', 'requestTraceId', 'message']);
    const params = await call(`${url}/ivr/notes/abc`, { body, headers });
    assert.deepEqual(params.body, { errorCode: 1000, errorMessage: 'id: must be digits' });
  });

  it('yields the operation the API reference shows', () => {
    const [create] = operationsOf(routers);
    assert.equal(create.operationId, 'createNote');
    assert.equal(create.path, '/ivr/notes/:id');
    assert.equal(create.tag, 'Notes');
    assert.deepEqual(create.access, { credential: ['test'] });
    assert.equal(create.errorBody, ivrErrors.body);
    assert.equal(operationsOf(routers).length, 6);
  });
});

describe('parseInput: one wording of a broken rule', () => {
  const rule = (schema: z.ZodType, input: unknown) => {
    try {
      parseInput(schema, input);
    } catch (err) {
      assert.ok(err instanceof AppError);
      return err.message;
    }
    assert.fail('parsed');
  };

  it('words missing, type, size and unknown fields', () => {
    const S = z.strictObject({ n: z.number().int().max(3), s: z.string().min(2) });
    assert.equal(rule(S, { s: 'ab' }), 'n: is required');
    assert.equal(rule(S, { n: 1.5, s: 'ab' }), 'n: must be a whole number');
    assert.equal(rule(S, { n: 'x', s: 'ab' }), 'n: must be of type number');
    assert.equal(rule(S, { n: 4, s: 'ab' }), 'n: at most 3');
    assert.equal(rule(S, { n: 1, s: 'a' }), 's: at least 2 characters');
    assert.equal(rule(S, { n: 1, s: 'ab', x: 1 }), 'x: unknown field');
    assert.equal(rule(S, [1]), 'body: must be a JSON object');
  });

  it("lets a schema's own message win", () => {
    assert.equal(rule(Note, { title: 'a', tags: [] }), 'tags: give at least one tag');
  });
});

describe('requests no route took, on the real app', () => {
  let t: TestC2m;
  before(async () => {
    t = await startTestC2m();
  });
  after(() => t.close());

  it('are answered in the shape of the audience whose paths hold them', async () => {
    const admin = await call(`${t.url}/api/admin/account/acme/nothing`, { method: 'GET' });
    assert.equal(admin.status, 404);
    assert.deepEqual(admin.body, { error: { code: 'not_found', message: 'Not Found' } });

    const wrongMethod = await call(`${t.url}/api/admin/account/acme/handoffs`, { method: 'PATCH' });
    assert.equal(wrongMethod.status, 405);
    assert.match(wrongMethod.headers.get('Allow') ?? '', /GET.*POST/);
    assert.equal(
      (wrongMethod.body as { error: { message: string } }).error.message,
      'Method Not Allowed',
    );

    const reporting = await call(`${t.url}/api/account/acme/app/c2m/nothing`, { method: 'GET' });
    assert.equal(reporting.status, 404);
    assert.equal((reporting.body as { code: number }).code, 404);

    const ivr = await call(`${t.url}/api/account/acme/nothing`, { method: 'GET' });
    assert.deepEqual(ivr.body, { errorCode: 1004, errorMessage: 'Not Found' });
  });
});
