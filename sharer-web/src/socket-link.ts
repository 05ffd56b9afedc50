// The web pages' SessionLink: the shared relay client over their socket.io-client socket, plus what
// only a browser does: joining with the proof of its enrolled device key.
import type { Socket } from 'socket.io-client';
import { createRelayClient } from '#protocol/relay-client.js';
import type { AckOf, RequestOf } from '#protocol/relay-events.js';
import type { SessionLink } from '#protocol/session-link.js';
import { proveWithStoredKey, type DeviceProver } from './device-key.js';

export function createSocketLink(
  socket: Socket,
  opts: { ackTimeoutMs: number; /** Device-trust proof at join; the IndexedDB device key by default. */ prover?: DeviceProver },
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

  return {
    request: (event, req) =>
      // The one event the page treats specially; `event` narrows the request but not the generic answer.
      event === 'session:join' ? (join(req as RequestOf<'session:join'>) as never) : relay.request(event, req),
    on: relay.on,
  };
}
