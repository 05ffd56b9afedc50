// SessionLink over socket.io-client, for the web pages. The relay's acks are awaited with a timeout
// (no answer = relay-unreachable), and incoming events are checked before the views see them.
import type { Socket } from 'socket.io-client';
import { fail, type Ack } from '../../protocol/src/ack.js';
import { trustInfo, type ClientToServerEvents, type ServerToClientEvents, type TrustInfo } from '../../protocol/src/relay-events.js';
import type { SessionLink, SessionLinkEvents } from '../../protocol/src/session-link.js';
import { proveWithStoredKey, type DeviceProver } from './device-key.js';

export type RelaySocket = Socket<ServerToClientEvents, ClientToServerEvents>;

type Listener<K extends keyof SessionLinkEvents> = (payload: SessionLinkEvents[K]) => void;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const hasSessionId = (v: unknown): v is { sessionId: string } => isObject(v) && typeof v['sessionId'] === 'string';

export function createSocketLink(
  socket: RelaySocket,
  opts: { ackTimeoutMs: number; /** Device-trust proof at join; the IndexedDB device key by default. */ prover?: DeviceProver },
): SessionLink {
  const prover = opts.prover ?? proveWithStoredKey;
  const listeners = new Map<keyof SessionLinkEvents, Set<(p: never) => void>>();
  const emitLocal = <K extends keyof SessionLinkEvents>(event: K, payload: SessionLinkEvents[K]): void => {
    for (const l of listeners.get(event) ?? []) (l as Listener<K>)(payload);
  };

  socket.on('session:trust', (raw) => {
    const parsed = trustInfo.safeParse(raw);
    if (parsed.success) emitLocal('trust', parsed.data);
  });
  socket.on('session:state', (raw) => {
    if (hasSessionId(raw) && typeof raw.state === 'string') emitLocal('state', raw);
  });
  socket.on('signal', (raw) => {
    if (hasSessionId(raw) && isObject(raw.signal)) emitLocal('signal', raw);
  });
  socket.on('chat:message', (raw) => {
    if (hasSessionId(raw) && typeof raw.text === 'string' && typeof raw.clientId === 'string' && typeof raw.seq === 'number') {
      emitLocal('chat', raw);
    }
  });
  socket.on('session:ended', (raw) => {
    if (hasSessionId(raw)) emitLocal('ended', raw);
  });
  socket.on('connect', () => emitLocal('connection', { connected: true }));
  socket.on('disconnect', () => emitLocal('connection', { connected: false }));

  const call = <E extends keyof ClientToServerEvents, T>(event: E, req: Parameters<ClientToServerEvents[E]>[0]): Promise<Ack<T>> =>
    new Promise((resolve) => {
      // The typed emit cannot express "any event of the table" generically; `call`'s signature
      // types each call site instead.
      const timed = socket.timeout(opts.ackTimeoutMs) as unknown as {
        emit(ev: E, payload: typeof req, ack: (err: Error | null, res: unknown) => void): void;
      };
      timed.emit(event, req, (err, res) => {
        if (err) resolve(fail('relay-unreachable', 'no answer from the relay'));
        else if (isObject(res) && typeof res['ok'] === 'boolean') resolve(res as Ack<T>);
        else resolve(fail('internal', 'malformed answer from the relay'));
      });
    });

  return {
    createSession: (req) => call('session:create', req),
    // An enrolled browser proves its device key on a fresh challenge; otherwise it joins as unenrolled.
    joinSession: async (req) => {
      const proof = await prover(async () => {
        const res = await call<'device:challenge', { challenge: string }>('device:challenge', {});
        return res.ok ? res.value.challenge : null;
      });
      if (!proof) return call('session:join', { code: req.code });
      const proven = await call<'session:join', TrustInfo>('session:join', { code: req.code, proof });
      if (proven.ok || proven.error.code !== 'device-proof-invalid') return proven;
      // A stale key (its device was removed, the relay's data reset) must not keep anyone from getting
      // help: without a proof the browser is simply unenrolled, which the helper is warned about. If that
      // is refused too, the proof's error says more ("enroll it again").
      const plain = await call<'session:join', TrustInfo>('session:join', { code: req.code });
      return plain.ok ? plain : proven;
    },
    consent: (req) => call('session:consent', req),
    endSession: (req) => call('session:end', req),
    resumeSession: (req) => call('session:resume', req),
    sendSignal: (req) => call('signal:send', req),
    sendChat: (req) => call('chat:send', req),
    on: (event, listener) => {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (p: never) => void);
      return () => set.delete(listener as (p: never) => void);
    },
  };
}
