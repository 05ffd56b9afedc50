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
  on(event: 'packet' | 'packetCreate', listener: (this: EngineSocketInternals, packet: { type: string }) => void): unknown;
  on(event: 'heartbeat', listener: (this: EngineSocketInternals) => void): unknown;
}

/** What the guard keeps of one connection: when its pending ping timeout was armed, when its last ping went. */
interface Heartbeat {
  armedAt: number;
  pingSentAt: number;
}

type EngineMethods = Pick<EngineSocketInternals, 'resetPingTimeout' | 'onClose'>;

// The functions are made once per server and shared by every connection (`this` is the Engine.IO
// socket: EventEmitter calls a listener so, and the methods are called on it). A set of closures per
// connection cost about 0.5 KB of each (issue 12); this costs one small record.
export function guardHeartbeats(io: RelayServer, timing: { pingIntervalMs: number; pingTimeoutMs: number }, toleranceMs = lateTimeoutToleranceMs): void {
  const { pingIntervalMs, pingTimeoutMs } = timing;
  const beats = new WeakMap<EngineSocketInternals, Heartbeat>();
  /** Engine.IO's own methods, from its Socket class (the overrides below are own properties). */
  const own = (socket: EngineSocketInternals): EngineMethods => Object.getPrototypeOf(socket) as EngineMethods;

  function resetPingTimeout(this: EngineSocketInternals): void {
    const beat = beats.get(this);
    if (beat) beat.armedAt = performance.now();
    own(this).resetPingTimeout.call(this);
  }
  // Engine.IO restarts the pending timeout once when another packet comes in while it waits for the pong.
  function onPacket(this: EngineSocketInternals, packet: { type: string }): void {
    const beat = beats.get(this);
    if (beat && packet.type !== 'pong' && this.pingTimeoutTimer !== null && this.hasRefreshedPingTimeout === false) beat.armedAt = performance.now();
  }
  function onPacketCreate(this: EngineSocketInternals, packet: { type: string }): void {
    const beat = beats.get(this);
    if (beat && packet.type === 'ping') beat.pingSentAt = performance.now();
  }
  // Protocol 4 (the server pings): a pong read late brings the next ping forward (see above).
  function onHeartbeat(this: EngineSocketInternals): void {
    const beat = beats.get(this);
    if (!beat) return;
    const sincePing = performance.now() - beat.pingSentAt;
    if (this.protocol === 3 || sincePing <= toleranceMs || this.pingIntervalTimer === null) return;
    nextPingOnSchedule(this, this.pingIntervalTimer, sincePing);
  }
  function nextPingOnSchedule(socket: EngineSocketInternals, pending: NodeJS.Timeout, sincePing: number): void {
    // What Engine.IO's own ping timer does; the timer it refreshes on each pong is replaced by one of
    // the usual length once this early ping is out, and goes on as Engine.IO's did.
    const ping = (): void => {
      if (socket.readyState !== 'open') return;
      socket.hasRefreshedPingTimeout = false;
      socket.sendPacket('ping');
      socket.resetPingTimeout();
    };
    clearTimeout(pending);
    socket.pingIntervalTimer = setTimeout(() => {
      socket.pingIntervalTimer = setTimeout(ping, pingIntervalMs);
      ping();
    }, Math.max(0, pingIntervalMs - sincePing));
  }
  function onClose(this: EngineSocketInternals, reason: string, description?: unknown): void {
    const beat = beats.get(this);
    if (beat && reason === 'ping timeout' && performance.now() - beat.armedAt - pingTimeoutMs > toleranceMs) {
      this.resetPingTimeout();
      return;
    }
    own(this).onClose.call(this, reason, description);
  }

  io.engine.on('connection', (raw: unknown) => {
    const socket = raw as EngineSocketInternals;
    if (typeof socket.resetPingTimeout !== 'function' || typeof socket.onClose !== 'function') return; // another engine.io: as it is
    const now = performance.now();
    beats.set(socket, { armedAt: now, pingSentAt: now });
    socket.resetPingTimeout = resetPingTimeout;
    socket.on('packet', onPacket);
    socket.on('packetCreate', onPacketCreate);
    socket.on('heartbeat', onHeartbeat);
    socket.onClose = onClose;
  });
}
