// The web pages' SessionLink: the shared relay client over their socket.io-client socket, plus what
// only a browser does: joining with the proof of its enrolled device key.
import type { Socket } from 'socket.io-client';
import { retryWhileOverloaded } from '#protocol/overload-retry.js';
import { createRelayClient } from '#protocol/relay-client.js';
import type { AckOf, RequestOf } from '#protocol/relay-events.js';
import type { SessionLink } from '#protocol/session-link.js';
import { proveWithStoredKey, type DeviceProver } from './device-key.js';

export function createSocketLink(
  socket: Socket,
  opts: {
    ackTimeoutMs: number;
    /** Device-trust proof at join; the IndexedDB device key by default. */
    prover?: DeviceProver;
    /** A create or join refused as `overloaded` is asked again after a growing wait; told so before each wait. */
    onOverloaded?: (delayMs: number) => void;
    /** The request that waited has its answer (whatever it is): the waiting is over. */
    onOverloadOver?: () => void;
    /** The first wait after `overloaded` (default 1 s; tests shorten it). */
    overloadBaseMs?: number;
  },
): SessionLink {
  const relay = createRelayClient(socket, { ackTimeoutMs: opts.ackTimeoutMs });
  const prover = opts.prover ?? proveWithStoredKey;

  // An enrolled browser proves its device key on a fresh challenge; otherwise it joins as unenrolled.
  async function join(req: RequestOf<'session:join'>): Promise<AckOf<'session:join'>> {
    const proof = await prover(async () => {
      const res = await relay.request('device:challenge', {});
      return res.ok ? res.value.challenge : null;
    });
    if (!proof) return relay.request('session:join', { code: req.code });
    const proven = await relay.request('session:join', { code: req.code, proof });
    if (proven.ok || proven.error.code !== 'device-proof-invalid') return proven;
    // A stale key (its device was removed, the relay's data reset) must not keep anyone from getting
    // help: without a proof the browser is simply unenrolled, which the helper is warned about. If that
    // is refused too, the proof's error says more ("enroll it again").
    const plain = await relay.request('session:join', { code: req.code });
    return plain.ok ? plain : proven;
  }

  const again = <T>(ask: () => Promise<T>): Promise<T> => {
    let waited = false;
    return (retryWhileOverloaded(ask as never, {
      ...(opts.overloadBaseMs !== undefined ? { baseMs: opts.overloadBaseMs } : {}),
      onWait: (delayMs) => {
        waited = true;
        opts.onOverloaded?.(delayMs);
      },
    }) as Promise<T>).finally(() => {
      if (waited) opts.onOverloadOver?.();
    });
  };

  return {
    request: (event, req) =>
      // The events the page treats specially; `event` narrows the request but not the generic answer.
      event === 'session:join' ? (again(() => join(req as RequestOf<'session:join'>)) as never)
      : event === 'session:create' ? again(() => relay.request(event, req))
      : relay.request(event, req),
    on: relay.on,
  };
}
