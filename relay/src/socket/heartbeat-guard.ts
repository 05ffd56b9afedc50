// A stalled event loop must not end every connection at once. Engine.IO sends each client a ping and
// closes the connection ("ping timeout") when no pong came within pingTimeout. After a stall longer
// than that, every ping-timeout timer is overdue, and Node runs overdue timers before it reads the
// sockets, where the pongs have been waiting all along: every client would be dropped together (and
// every session would see its members "away"). So a ping timeout that fires late — the loop was not
// running when it was due — is not believed: the client gets a fresh pingTimeout, counted from now
// that the loop runs again, to be heard. A client that is really gone is still dropped one pingTimeout
// after the loop catches up; on a loop that runs on time nothing changes (DESIGN §5 "Leaving": a
// killed browser is noticed within pingInterval + pingTimeout, and a page that closes says so at once).
//
// The clients wait too: each drops its connection when no ping came within pingInterval + pingTimeout
// of the last one. Engine.IO sends the next ping pingInterval after it *read* the pong, so a stall
// delays every next ping by its length, and a stall longer than pingTimeout would have every client
// drop itself. So after a late pong the next ping goes out on the clients' schedule — pingInterval after
// the previous ping — not pingInterval after the stall: stalls up to pingInterval + pingTimeout leave
// every connection in place.
import { performance } from 'node:perf_hooks';
import type { RelayServer } from './types.js';

/** How late a timeout may fire and still be believed: ordinary jitter, GC pauses, a busy tick. */
export const lateTimeoutToleranceMs = 250;

/** Engine.IO's socket, as far as this reaches into it (private members, stable through engine.io 6). */
interface EngineSocketInternals {
  protocol: number;
  readyState: string;
  resetPingTimeout(): void;
  onClose(reason: string, description?: unknown): void;
  sendPacket(type: 'ping'): void;
  hasRefreshedPingTimeout?: boolean;
  pingTimeoutTimer: unknown;
  pingIntervalTimer: NodeJS.Timeout | null;
  on(event: 'packet' | 'packetCreate', listener: (packet: { type: string }) => void): unknown;
  on(event: 'heartbeat', listener: () => void): unknown;
}

export function guardHeartbeats(io: RelayServer, timing: { pingIntervalMs: number; pingTimeoutMs: number }, toleranceMs = lateTimeoutToleranceMs): void {
  const { pingIntervalMs, pingTimeoutMs } = timing;
  io.engine.on('connection', (raw: unknown) => {
    const socket = raw as EngineSocketInternals;
    if (typeof socket.resetPingTimeout !== 'function' || typeof socket.onClose !== 'function') return; // another engine.io: as it is
    let armedAt = performance.now();
    const reset = socket.resetPingTimeout.bind(socket);
    socket.resetPingTimeout = () => {
      armedAt = performance.now();
      reset();
    };
    // Engine.IO restarts the pending timeout once when another packet comes in while it waits for the pong.
    socket.on('packet', (packet) => {
      if (packet.type !== 'pong' && socket.pingTimeoutTimer !== null && socket.hasRefreshedPingTimeout === false) armedAt = performance.now();
    });
    // Protocol 4 (the server pings): a pong read late brings the next ping forward (see above).
    let pingSentAt = performance.now();
    socket.on('packetCreate', (packet) => {
      if (packet.type === 'ping') pingSentAt = performance.now();
    });
    socket.on('heartbeat', () => {
      const sincePing = performance.now() - pingSentAt;
      if (socket.protocol === 3 || sincePing <= toleranceMs || socket.pingIntervalTimer === null) return;
      // What Engine.IO's own ping timer does; the timer it refreshes on each pong is replaced by one of
      // the usual length once this early ping is out, and goes on as Engine.IO's did.
      const ping = (): void => {
        if (socket.readyState !== 'open') return;
        socket.hasRefreshedPingTimeout = false;
        socket.sendPacket('ping');
        socket.resetPingTimeout();
      };
      clearTimeout(socket.pingIntervalTimer);
      socket.pingIntervalTimer = setTimeout(() => {
        socket.pingIntervalTimer = setTimeout(ping, pingIntervalMs);
        ping();
      }, Math.max(0, pingIntervalMs - sincePing));
    });
    const close = socket.onClose.bind(socket);
    socket.onClose = (reason, description) => {
      if (reason === 'ping timeout' && performance.now() - armedAt - pingTimeoutMs > toleranceMs) {
        socket.resetPingTimeout();
        return;
      }
      close(reason, description);
    };
  });
}
