import { randomUUID } from 'node:crypto';
import type { Context } from 'koa';
import { can, Role, type Action } from '../../../contract/policy.js';
import { signJwt, verifyJwt } from '../../auth/jwt.js';
import { hashSecret } from '../../auth/secrets.js';
import type { AppDeps } from '../deps.js';
import { AppError, forbidden, notFound, unauthorized } from '../../errors.js';
import { IvrErrorCode } from '../../../contract/errors.js';
import { checkRate } from '../../http/rate-limit.js';
import type { Auth } from '../../http/route.js';

export interface AdminSession {
  accountId: string;
  userId: string;
  role: Role;
  /** The account credential that minted it (POST /sessions): revoking that ends the session. */
  credentialId?: string;
  /** Signed in with a password: `userId` is a user, whose removal or new role ends the session. */
  login?: boolean;
  /**
   * Minted from a widget installation key (modules/widget/widget-keys.service.ts): revoking the
   * key ends the session, and it may do nothing but the widget's read (refused by `admin`).
   */
  widgetKeyId?: string;
}

/** A session read from a valid token: when it expires, in ms since the epoch. */
export interface VerifiedSession extends AdminSession {
  expiresAtMs: number;
  /**
   * What sign-out ends (sessions/ended-sessions.repo.ts): the token's random `sid`; for a token
   * minted before sessions had one, `tok:` and the token's SHA-256.
   */
  sessionId: string;
}

const SESSION_ISSUER = 'c2m-session';

export function mintSession(
  deps: AppDeps,
  s: AdminSession & { ttlSeconds: number },
): { token: string; expiresAt: string } {
  const token = signJwt(
    {
      iss: SESSION_ISSUER,
      // every session has its own id, so signing out ends it and no other
      sid: randomUUID(),
      aud: s.accountId,
      sub: s.userId,
      role: s.role,
      ...(s.credentialId !== undefined && { cred: s.credentialId }),
      ...(s.login && { login: true }),
      ...(s.widgetKeyId !== undefined && { wk: s.widgetKeyId }),
    },
    deps.keys.tokens,
    { expiresInSeconds: s.ttlSeconds, now: deps.clock },
  );
  return { token, expiresAt: new Date(deps.clock() + s.ttlSeconds * 1000).toISOString() };
}

/**
 * The session in an `Authorization: Bearer` header, when its token is valid and what it stands
 * on (its credential, its user) still stands; else undefined. REST and sockets both ask here.
 */
export async function authenticateSession(
  deps: AppDeps,
  header: string,
): Promise<VerifiedSession | undefined> {
  const session = readSession(deps, header);
  return session && (await deps.sessions.stands(session)) ? session : undefined;
}

/**
 * The session a token claims, checked for signature and expiry only (see authenticateSession):
 * sign-out reads it so, to end a session again (idempotent) or one its revoke already ended.
 */
export function readSession(deps: AppDeps, header: string): VerifiedSession | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!match) return undefined;
  const token = match[1].trim();
  const result = verifyJwt(token, deps.keys.tokens, {
    now: deps.clock,
    issuer: SESSION_ISSUER,
  });
  if (!result.ok) return undefined;
  const { aud, sub, role, cred, login, wk, exp, sid } = result.payload as Record<string, unknown>;
  const parsedRole = Role.safeParse(role);
  if (typeof aud !== 'string' || typeof sub !== 'string' || !parsedRole.success) return undefined;
  if (cred !== undefined && typeof cred !== 'string') return undefined;
  if (wk !== undefined && typeof wk !== 'string') return undefined;
  if (sid !== undefined && typeof sid !== 'string') return undefined;
  return {
    accountId: aud,
    userId: sub,
    role: parsedRole.data,
    ...(cred !== undefined && { credentialId: cred }),
    ...(login === true && { login: true }),
    ...(wk !== undefined && { widgetKeyId: wk }),
    expiresAtMs: (exp as number) * 1000,
    sessionId: sid ?? `tok:${hashSecret(token)}`,
  };
}

/** Whether a session token was one of ours whose time ran out (so "expired", not "invalid"). */
export function sessionTokenExpired(deps: AppDeps, token: string): boolean {
  const result = verifyJwt(token, deps.keys.tokens, { now: deps.clock, issuer: SESSION_ISSUER });
  return !result.ok && result.reason === 'expired';
}

export const SESSION_ENDED_MESSAGE = 'Sign in again: the session is missing or expired';

/**
 * The request's session (401 without one), when it is of the path's account: another account's
 * objects are simply not there (404). The admin API and the widget both start here.
 */
export async function sessionOfPath(deps: AppDeps, ctx: Context): Promise<VerifiedSession> {
  const session = await authenticateSession(deps, ctx.get('Authorization'));
  if (!session) throw unauthorized(SESSION_ENDED_MESSAGE);
  if ((ctx.params as { accountId?: string }).accountId !== session.accountId) throw notFound();
  return session;
}

/**
 * Every admin endpoint's `auth` (http/route.ts): a valid session (401), of this path's account
 * (another account's objects are simply not there: 404), whose role may do `action` per the one
 * policy table (403), within the account's admin rate (429, C2M_ADMIN_RATE_LIMIT: every user of
 * the account together). The handler is given the session.
 */
export function admin(deps: AppDeps, action: Action): Auth<VerifiedSession> {
  return {
    access: { session: action },
    async check(ctx) {
      const session = await sessionOfPath(deps, ctx);
      // a widget installation key's session reads the widget and nothing else, whatever its role
      if (session.widgetKeyId !== undefined) {
        throw forbidden('A widget installation key may only read the widget');
      }
      if (!can(session.role, action)) {
        throw forbidden(`The role ${session.role} may not ${action.replace(':', ' ')}`);
      }
      await checkRate(deps.limiter, 'admin', session.accountId, deps.config.limits.adminPerSec);
      return session;
    },
  };
}

/** The same check, as a function, for a service that decides per object. */
export function requireAction(session: AdminSession, action: Action): void {
  if (!can(session.role, action)) {
    throw new AppError(403, IvrErrorCode.forbidden, `The role ${session.role} may not ${action}`);
  }
}
