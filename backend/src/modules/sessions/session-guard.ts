import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { localBus, type ClusterBus } from '../../shared-state/bus.js';
import type { AdminSession } from './admin-auth.js';
import { findActiveCredentialById } from '../accounts/credentials.repo.js';
import { findUserStanding } from './users.repo.js';
import { activeWidgetKeyAccount } from '../widget/widget-keys.repo.js';
import { sessionEnded } from './ended-sessions.repo.js';

/**
 * How long an answer read from the database is believed. A change made through the admin API (a
 * revoke) is known at once, on this node and, through the cluster bus, the others; one made by
 * another process (the CLI) is seen within this time, by REST and by the socket sweep (realtime/session-end.ts).
 */
export const SESSION_CHECK_CACHE_MS = 5_000;
/** Past this many remembered answers, the stale ones are dropped, so the map never only grows. */
const PRUNE_ABOVE = 1_000;

/**
 * Whether what a session stands on still stands: it was not signed out, the credential that minted it is not revoked,
 * the user who signed in still exists with the session's role in its account. A session token
 * carries no state of its own, so this is what lets a revoke end the sessions it minted. The hot
 * path reads one small map; the database is asked at most once per session, credential or user per
 * SESSION_CHECK_CACHE_MS.
 */
export class SessionGuard {
  private readonly answers = new Map<string, { stands: boolean; until: number }>();
  private readonly listeners = new Set<() => void>();
  /** Bumped by each revoke, so an answer read before it never overwrites what it made known. */
  private revokes = 0;

  constructor(
    private readonly db: Db,
    private readonly now: Clock,
    private readonly bus: ClusterBus = localBus,
  ) {
    bus.hear('credential-revoked', (id) => this.ended(id));
    bus.hear('widget-key-revoked', (id) => this.ended(id, 'widget-key'));
    bus.hear('session-ended', (id) => this.ended(id, 'session'));
  }

  async stands(s: AdminSession & { sessionId?: string }): Promise<boolean> {
    if (s.sessionId !== undefined) {
      const id = s.sessionId;
      const stands = await this.remembered(
        `session:${id}`,
        async () => !(await sessionEnded(this.db, id)),
      );
      if (!stands) return false;
    }
    if (s.credentialId !== undefined) {
      const id = s.credentialId;
      const stands = await this.remembered(`credential:${id}`, async () => {
        const row = await findActiveCredentialById(this.db, id);
        return row?.account_id === s.accountId;
      });
      if (!stands) return false;
    }
    if (s.widgetKeyId !== undefined) {
      const id = s.widgetKeyId;
      const stands = await this.remembered(
        `widget-key:${id}`,
        async () => (await activeWidgetKeyAccount(this.db, id)) === s.accountId,
      );
      if (!stands) return false;
    }
    if (s.login) {
      return this.remembered(`user:${s.userId}:${s.accountId}:${s.role}`, async () => {
        const user = await findUserStanding(this.db, s.userId);
        return user?.account_id === s.accountId && user.role === s.role;
      });
    }
    return true;
  }

  /** Told after a revoke commits in this process: its sessions end now, sockets included. */
  credentialRevoked(id: string): void {
    this.ended(id);
    this.bus.tell('credential-revoked', id);
  }

  /** Told after a widget key's revoke commits in this process: its sessions and sockets end. */
  widgetKeyRevoked(id: string): void {
    this.ended(id, 'widget-key');
    this.bus.tell('widget-key-revoked', id);
  }

  /** Told after a sign-out commits in this process: the session and its sockets end. */
  sessionEnded(id: string): void {
    this.ended(id, 'session');
    this.bus.tell('session-ended', id);
  }

  /** A revoke here or on another node: the credential's (or key's) sessions end on this node. */
  private ended(id: string, kind: 'credential' | 'widget-key' | 'session' = 'credential'): void {
    this.revokes += 1;
    this.answers.set(`${kind}:${id}`, {
      stands: false,
      until: this.now() + SESSION_CHECK_CACHE_MS,
    });
    for (const listener of this.listeners) listener();
  }

  /** Called whenever sessions may have ended in this process; returns the unsubscribe. */
  onEnded(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async remembered(key: string, ask: () => Promise<boolean>): Promise<boolean> {
    const now = this.now();
    const known = this.answers.get(key);
    if (known && known.until > now) return known.stands;
    const revokes = this.revokes;
    const stands = await ask();
    if (revokes !== this.revokes) return stands && (this.answers.get(key)?.stands ?? true);
    if (this.answers.size >= PRUNE_ABOVE) {
      for (const [k, v] of this.answers) if (v.until <= now) this.answers.delete(k);
    }
    this.answers.set(key, { stands, until: now + SESSION_CHECK_CACHE_MS });
    return stands;
  }
}
