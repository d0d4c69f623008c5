import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Calls `tick` every `everyMs` while its host is connected and the page is visible, one call at a
 * time; a page coming back into view ticks at once. A hidden tab asks nothing.
 */
export class VisiblePollController implements ReactiveController {
  private timer?: ReturnType<typeof setTimeout>;
  private connected = false;

  constructor(
    host: ReactiveControllerHost,
    private readonly everyMs: number,
    private readonly tick: () => Promise<void>,
  ) {
    host.addController(this);
  }

  hostConnected() {
    this.connected = true;
    document.addEventListener('visibilitychange', this.onVisibilityChange);
    this.schedule();
  }

  hostDisconnected() {
    this.connected = false;
    document.removeEventListener('visibilitychange', this.onVisibilityChange);
    clearTimeout(this.timer);
  }

  private readonly onVisibilityChange = () => {
    if (document.visibilityState === 'visible') void this.tick();
    this.schedule();
  };

  private schedule() {
    clearTimeout(this.timer);
    if (!this.connected || document.visibilityState !== 'visible') return;
    this.timer = setTimeout(() => {
      void this.tick().finally(() => this.schedule());
    }, this.everyMs);
  }
}
