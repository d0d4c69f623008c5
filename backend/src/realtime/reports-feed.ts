import { can } from '../../contract/policy.js';
import { REPORTS_NAMESPACE } from '../../contract/realtime.js';
import type { AppDeps } from '../modules/deps.js';
import type { DomainEvents } from '../modules/events/domain-events.js';
import { sessionDoor } from './session-end.js';
import type { RealtimeServer } from './socket-server.js';
import { socketRateLimit } from './socket-limit.js';

/** The most a dashboard is told per account: one `reports:changed` per this many ms. */
export const REPORTS_THROTTLE_MS = 500;

/** The room of one account's open dashboards; made here only, from the session's account. */
export const reportsRoom = (accountId: string) => `reports:${accountId}`;

/**
 * The dashboard's namespace, `/reports`: its own door, so a role that may read reports but not
 * use the agent widget (read-only) connects here without being let into the widget's namespace.
 * Each request checks `reports:view` again, so a session whose role loses it gets nothing.
 */
export function attachReports(io: RealtimeServer, deps: AppDeps): void {
  const reports = io.of(REPORTS_NAMESPACE);
  reports.use(sessionDoor(deps, (session) => can(session.role, 'reports:view')));
  reports.on('connection', (socket) => {
    const { accountId, role } = socket.data.session;
    socket.use(socketRateLimit(deps, 'admin', deps.config.limits.adminPerSec, accountId));
    socket.on('reports:subscribe', (ack) => {
      if (typeof ack !== 'function') return;
      if (!can(role, 'reports:view')) {
        ack({ error: { code: 'forbidden', message: `The role ${role} may not view reports` } });
        return;
      }
      void socket.join(reportsRoom(accountId));
      ack({ data: { accountId } });
    });
  });
}

/**
 * Tells an account's open dashboards that its counts moved: at once for the first change, then at
 * most once per REPORTS_THROTTLE_MS (a burst of receipts becomes one re-fetch, never none: a
 * change inside the quiet time is told at its end). Returns the function that stops it.
 */
export function startReportsFeed(io: RealtimeServer, events: DomainEvents): () => void {
  const reports = io.of(REPORTS_NAMESPACE);
  const lastSent = new Map<string, number>();
  const pending = new Map<string, NodeJS.Timeout>();

  const send = (accountId: string) => {
    pending.delete(accountId);
    // real time, not the app's clock: this paces sockets, it is not a business time
    const now = Date.now();
    lastSent.set(accountId, now);
    reports.to(reportsRoom(accountId)).emit('reports:changed', { at: new Date(now).toISOString() });
  };
  const changed = (accountId: string) => {
    if (pending.has(accountId)) return;
    const wait = (lastSent.get(accountId) ?? -Infinity) + REPORTS_THROTTLE_MS - Date.now();
    if (wait <= 0) send(accountId);
    else
      pending.set(
        accountId,
        setTimeout(() => send(accountId), wait),
      );
  };

  // every change of the funnel's counts
  const stop = events.subscribe({
    'call-created': changed,
    'transaction-created': changed,
    'transaction-changed': changed,
    'conversation-opened': changed,
    'conversation-closed': changed,
  });
  return () => {
    stop();
    for (const timer of pending.values()) clearTimeout(timer);
    pending.clear();
  };
}
