import type { Context, Next } from 'koa';

/** Conservative defaults for an API that also serves a demo page. */
export async function securityHeaders(ctx: Context, next: Next) {
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.set('X-Frame-Options', 'SAMEORIGIN');
  await next();
}
