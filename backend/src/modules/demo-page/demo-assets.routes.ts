import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Router from '@koa/router';
import { notFound } from '../../errors.js';

/**
 * The demo page's script, `<c2m-demo>` as `npm run build` bundles it from demo/src into the bundle
 * folder. It holds nothing secret and is served to anyone, so the page can say why the demo is not
 * there when its API is not. Only this one name is served: no path from the request reaches the
 * file system.
 */
export function demoAssetRoutes(opts: { bundleDir: string }): Router {
  const router = new Router();
  router.get('/demo/assets/:name', async (ctx) => {
    // an explicit 404: a route that matched but found nothing would read as a 405 otherwise
    if (ctx.params.name !== 'demo.js') throw notFound();
    let file: Buffer;
    try {
      file = await readFile(join(opts.bundleDir, 'demo.js'));
    } catch {
      throw notFound();
    }
    ctx.body = file;
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.set('Cache-Control', 'no-cache');
  });
  return router;
}
