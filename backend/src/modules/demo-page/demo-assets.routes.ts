import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Router from '@koa/router';
import { notFound } from '../../errors.js';

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/**
 * The demo page's own script and styles, from `<publicDir>/demo/`. They hold nothing secret and
 * are served to anyone, so the page can say why the demo is not there when its API is not. The
 * name is matched against a strict pattern: no path from the request reaches the file system.
 */
export function demoAssetRoutes(opts: { publicDir: string }): Router {
  const router = new Router();
  router.get('/demo/assets/:name', async (ctx) => {
    const match = /^([a-z0-9-]+)\.(js|css)$/.exec(ctx.params.name ?? '');
    // an explicit 404: a route that matched but found nothing would read as a 405 otherwise
    if (!match) throw notFound();
    let file: Buffer;
    try {
      file = await readFile(join(opts.publicDir, 'demo', match[0]));
    } catch {
      throw notFound();
    }
    ctx.body = file;
    ctx.type = TYPES[match[2]];
    ctx.set('Cache-Control', 'no-cache');
  });
  return router;
}
