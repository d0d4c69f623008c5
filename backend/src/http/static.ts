import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Router, { type RouterContext } from '@koa/router';
import { notFound } from '../errors.js';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
};

/**
 * The demo page and the built element bundles. Names are matched against a strict pattern, so no
 * path from the request ever reaches the file system unchecked.
 */
export function staticRoutes(opts: { publicDir: string; bundleDir: string }): Router {
  const router = new Router();
  const send = async (ctx: RouterContext, file: string) => {
    try {
      ctx.body = await readFile(file);
      ctx.type = TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream';
    } catch {
      throw notFound(); // answered here: the fallback would take a known path for a 405
    }
  };
  router.get('/', (ctx) => send(ctx, join(opts.publicDir, 'index.html')));
  // sign in as one of the account's users, then the admin element
  router.get('/admin', (ctx) => send(ctx, join(opts.publicDir, 'admin.html')));
  // the page brands register as an Agent Workspace widget: the workspace shows it in an iframe on
  // LivePerson's origin, so this one page may be framed; it has no actions to click-jack
  router.get('/agent-workspace', async (ctx) => {
    await send(ctx, join(opts.publicDir, 'agent-workspace.html'));
    ctx.remove('X-Frame-Options');
  });
  // browsers ask for /favicon.ico on every page of the origin; an SVG answers it (they all sniff)
  const icon = async (ctx: RouterContext) => {
    await send(ctx, join(opts.publicDir, 'favicon.svg'));
    ctx.set('Cache-Control', 'public, max-age=86400');
  };
  router.get('/favicon.ico', icon);
  router.get('/favicon.svg', icon);
  // the elements' entry files (`c2m-admin.js`), asked again before each use, and the chunks they
  // load when a view opens (`c2m-admin-settings.<hash>.js`): named by their content, so cached for
  // good. Any page may load them (a brand's portal embeds the elements from c2m's URL): they hold
  // no secret, and a module script from another origin needs CORS.
  router.get('/assets/:name', async (ctx) => {
    const name = ctx.params.name ?? '';
    if (!/^[a-z0-9-]+(\.[a-z0-9]+)?\.(js|css|map)$/.test(name)) throw notFound();
    const hashed = /^[a-z0-9-]+\.[a-z0-9]{8,}\.js$/.test(name);
    ctx.set('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    ctx.set('Access-Control-Allow-Origin', '*');
    await send(ctx, join(opts.bundleDir, name));
  });
  return router;
}
