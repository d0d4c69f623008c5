// The baseline: a bare Koa 3 app that reads a JSON body and answers a small JSON object, in its own
// process like c2m. Everything c2m does beyond this (auth, validation, SQLite, logging) is the cost
// the bench puts a number on.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { sendToParent } from './children.js';

const app = new Koa();
app.use(async (ctx) => {
  if (ctx.method !== 'POST' || ctx.path !== '/echo') {
    ctx.status = 404;
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
  ctx.body = { ok: true, fields: Object.keys(body).length };
});

const handler = app.callback();
const server = createServer((req, res) => void handler(req, res));
server.listen(0, '127.0.0.1', () => {
  sendToParent({ type: 'ready', port: (server.address() as AddressInfo).port });
});

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
