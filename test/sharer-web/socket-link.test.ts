// The web pages' link to the relay, over a real Socket.IO server on port 0 standing in for the relay:
// what the page accepts from it (pushed payloads and acks are checked, a bad one never reaches a view),
// and the device-proof join, which falls back to an unenrolled join when the proof is stale.
import assert from 'node:assert/strict';
import type { Server, Socket as ServerSocket } from 'socket.io';
import { io, type Socket } from 'socket.io-client';
import { fail, ok, type ChatMessage, type DeviceProof, type SessionLink, type TrustInfo } from '#protocol';
import { createSocketLink } from '#sharer-web/socket-link.js';
import { helperProfile } from '../fixtures/ui/profiles.js';
import { startStandInRelay, type StandInRelay } from '../support/stand-in-relay.js';

type Handler = (req: unknown, ack: (res: unknown) => void) => void;

const message = (seq: number, text: string): ChatMessage => ({
  sessionId: 's1', seq, clientId: crypto.randomUUID(), from: 'helper', senderName: 'Hanna Helper', text, sentAt: new Date(0).toISOString(),
});
const trust: TrustInfo = { sessionId: 's1', role: 'sharer', peer: helperProfile, warnings: [] };
const challenge = 'challenge-0123456789';
const proof: DeviceProof = { deviceId: 'd1', challenge, signature: 'signature-0123456789' };

describe('the web pages\u2019 link to the relay', () => {
  let standIn: StandInRelay;
  let relay: Server;
  let url: string;
  /** What the stand-in relay answers, by event; an event without a handler is never answered. */
  let handlers: Record<string, Handler>;
  let connected: Promise<ServerSocket>;
  let socket: Socket;

  before(async () => {
    standIn = await startStandInRelay();
    ({ io: relay, url } = standIn);
  });
  after(() => standIn.close());

  beforeEach(() => {
    handlers = {};
    connected = new Promise((resolve) => {
      relay.once('connection', (s) => {
        s.onAny((event: string, req: unknown, ack: (res: unknown) => void) => handlers[event]?.(req, ack));
        resolve(s);
      });
    });
  });
  afterEach(() => socket?.disconnect());

  async function open(
    prover?: (ask: () => Promise<string | null>) => Promise<DeviceProof | undefined>, extra: Partial<Parameters<typeof createSocketLink>[1]> = {},
  ): Promise<{ link: SessionLink; server: ServerSocket }> {
    socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
    const link = createSocketLink(socket, { ackTimeoutMs: 1000, prover: prover ?? (async () => undefined), ...extra });
    return { link, server: await connected };
  }

  it('drops a malformed pushed payload and passes the next good one on', async () => {
    const { link, server } = await open();
    const seen: ChatMessage[] = [];
    const third = new Promise<void>((resolve) => link.on('chat:message', (m) => {
      seen.push(m);
      if (m.seq === 3) resolve();
    }));
    server.emit('chat:message', { ...message(1, 'no seq'), seq: 'one' });
    server.emit('chat:message', { sessionId: 's1', text: 'half a message' });
    server.emit('chat:message', message(3, 'whole'));
    await third;
    assert.deepEqual(seen.map((m) => m.text), ['whole']);
  });

  it('asks a create again after overloaded, telling the page while it waits, until the relay takes it', async () => {
    const told: string[] = [];
    const { link } = await open(undefined, { overloadBaseMs: 20, onOverloaded: () => told.push('busy'), onOverloadOver: () => told.push('over') });
    let asked = 0;
    handlers['session:create'] = (_req, ack) => {
      asked++;
      ack(asked < 3 ? fail('overloaded', 'at capacity') : ok({ sessionId: 's1', code: '0123ABCD', link: 'https://relay/rh?passcode=0123ABCD', expiresAt: new Date(0).toISOString() }));
    };
    const res = await link.request('session:create', {});
    assert.equal(res.ok && res.value.sessionId, 's1');
    assert.equal(asked, 3);
    assert.deepEqual(told, ['busy', 'busy', 'over']);
  });

  it('answers relay-unreachable when the relay never acks', async () => {
    const { link } = await open();
    const res = await link.request('session:end', { sessionId: 's1' });
    assert.equal(!res.ok && res.error.code, 'relay-unreachable');
  });

  it('answers internal for an ack that does not fit the event, and passes a fitting one through', async () => {
    const { link } = await open();
    handlers['session:end'] = (_req, ack) => ack({ ok: 'yes' });
    handlers['chat:send'] = (_req, ack) => ack(ok({ text: 'no seq, no sender' }));
    handlers['session:consent'] = (_req, ack) => ack(fail('policy-blocked', 'x', { ruleName: 'Office only', remedy: 'ask-admin' }));
    const resumed = { state: 'sharing', trust, messages: [message(1, 'hi')] } as const;
    handlers['session:resume'] = (_req, ack) => ack(ok(resumed));
    const end = await link.request('session:end', { sessionId: 's1' });
    assert.equal(!end.ok && end.error.code, 'internal');
    const chat = await link.request('chat:send', { sessionId: 's1', clientId: crypto.randomUUID(), text: 'hi' });
    assert.equal(!chat.ok && chat.error.code, 'internal');
    assert.deepEqual(await link.request('session:consent', { sessionId: 's1', allow: true }),
      fail('policy-blocked', 'x', { ruleName: 'Office only', remedy: 'ask-admin' }));
    assert.deepEqual(await link.request('session:resume', { sessionId: 's1', afterSeq: 0 }),
      ok(resumed));
  });

  it('joins with the device proof, and again without it when the relay finds the proof stale', async () => {
    const joins: unknown[] = [];
    const { link } = await open(async (ask) => ((await ask()) === challenge ? proof : undefined));
    handlers['device:challenge'] = (_req, ack) => ack(ok({ challenge }));
    handlers['session:join'] = (req, ack) => {
      joins.push(req);
      ack((req as { proof?: unknown }).proof ? fail('device-proof-invalid') : ok(trust));
    };
    assert.deepEqual(await link.request('session:join', { code: 'ab12cd34' }), ok(trust));
    assert.deepEqual(joins, [{ code: 'ab12cd34', proof }, { code: 'ab12cd34' }]);
  });
});
