// Keeps a session view listening to its SessionLink while the view is in the page: on when it is
// connected, moved over when the link changes, off when it is removed. Only the events of the view's
// own session reach it (a link may carry an older session's stragglers); connection changes always do.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { SessionLink, SessionLinkEvents } from '#protocol/session-link.js';

export type LinkHandlers = { [K in keyof SessionLinkEvents]?: (payload: SessionLinkEvents[K]) => void };

export interface LinkHost extends ReactiveControllerHost {
  readonly link: SessionLink | undefined;
  readonly sessionId: string | undefined;
  readonly isConnected: boolean;
}

export class LinkController implements ReactiveController {
  private listening: SessionLink | undefined;
  private offs: Array<() => void> = [];

  /** Not yet added to the host: whoever builds it calls `host.addController` once `handlers` are in
   * place, since Lit calls hostConnected at once when the host is already in the page. */
  constructor(
    private readonly host: LinkHost,
    protected handlers: LinkHandlers = {},
  ) {}

  hostConnected(): void {
    this.listen();
  }

  hostDisconnected(): void {
    this.offs.splice(0).forEach((off) => off());
    this.listening = undefined;
  }

  hostUpdate(): void {
    if (this.host.link === this.listening) return;
    this.hostDisconnected();
    if (this.host.isConnected) this.listen();
  }

  private listen(): void {
    const link = this.host.link;
    if (!link || this.listening) return;
    this.listening = link;
    for (const key of Object.keys(this.handlers) as Array<keyof SessionLinkEvents>) {
      const handler = this.handlers[key] as ((p: SessionLinkEvents[typeof key]) => void) | undefined;
      if (!handler) continue;
      this.offs.push(link.on(key, (payload) => {
        if (!('sessionId' in payload) || payload.sessionId === this.host.sessionId) handler(payload);
      }));
    }
  }
}
