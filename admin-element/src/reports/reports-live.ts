import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AdminClient } from '../api/admin-client.js';
import type { ReportsFeedState } from './reports-socket.js';

/**
 * Keeps a dashboard told of new counts while it is on the page: follows the client's report feed
 * from connect to disconnect, and follows again when the host is given another client (a new
 * token or account). A client without a feed leaves the dashboard on its Refresh button.
 */
export class ReportsLiveController implements ReactiveController {
  state: ReportsFeedState = 'offline';
  private following?: AdminClient;
  private stop?: () => void;
  private connected = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly client: () => AdminClient | undefined,
    private readonly onChange: () => void,
  ) {
    host.addController(this);
  }

  hostConnected() {
    this.connected = true;
    this.sync();
  }

  hostUpdate() {
    this.sync();
  }

  hostDisconnected() {
    this.connected = false;
    this.sync();
  }

  private sync() {
    const client = this.connected ? this.client() : undefined;
    if (client === this.following) return;
    this.stop?.();
    this.stop = undefined;
    this.following = client;
    this.setState('offline');
    this.stop = client?.watchReports?.(
      () => this.onChange(),
      (state) => this.setState(state),
    );
  }

  private setState(state: ReportsFeedState) {
    if (state === this.state) return;
    this.state = state;
    this.host.requestUpdate();
  }
}
