import type { ReactiveControllerHost } from 'lit';
import { ContextConsumer, ContextProvider } from '@lit/context';
import { can, type Action, type Role } from '../../../backend/contract/policy-table.js';
import type { AdminClient } from '../api/admin-client.js';
import { sessionContext, type AdminSession } from '../context.js';

type Host = ReactiveControllerHost & HTMLElement;

/**
 * A view's side of the session: the client and role its provider gives, kept current (the host
 * updates when either changes), and whether the role may take an action.
 */
export class SessionController {
  private readonly consumer: ContextConsumer<typeof sessionContext, Host>;

  constructor(host: Host) {
    this.consumer = new ContextConsumer(host, { context: sessionContext, subscribe: true });
  }

  get client(): AdminClient | undefined {
    return this.consumer.value?.client;
  }

  get role(): Role | undefined {
    return this.consumer.value?.role;
  }

  /** Whether the session's role may take `action`; no role may take none. */
  may(action: Action): boolean {
    return this.role !== undefined && can(this.role, action);
  }
}

/**
 * The provider's side: gives the views below `host` the session `read` returns, read again when
 * the host connects (so views connected with it get it at once) and before each of its updates.
 */
export function provideSession(host: Host, read: () => AdminSession): void {
  const provider = new ContextProvider(host, { context: sessionContext, initialValue: {} });
  const refresh = () => {
    const next = read();
    const current = provider.value;
    if (next.client !== current.client || next.role !== current.role) provider.setValue(next);
  };
  host.addController({ hostConnected: refresh, hostUpdate: refresh });
}
