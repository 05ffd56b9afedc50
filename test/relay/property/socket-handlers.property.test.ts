// Hostile socket clients, generated (issue 12, point 7). A real relay with real signed-in clients; a
// bystander session (helper and sharer, sharing, with chat) is set up first, then fast-check drives
// every socket event with generated payloads, event orders and acks from three hostile clients (two of
// the bystander's tenant, one of another) and made-up handshakes. After every run: each ack that came
// back is an Ack of the protocol (its code in errorCodes, its value of the event's shape), none is
// missing, every push fits its schema, the relay logged no error, and the bystander session is as it
// was: both members there, nothing pushed to them, chat between them still works, its history unchanged.
//
// Seed and size: fixed (see `settings` below) so CI replays the same cases. Longer local runs:
//   RH_FUZZ_RUNS=2000 npx tsx scripts/run-tests.ts test/relay/property/socket-handlers.property.test.ts
// and RH_FUZZ_SEED=<n> for other cases; a failure prints the seed and path that replay it.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { z } from 'zod';
import { ackSchema, clientEvents, errorCodes, limits, serverEventSchemas, type Ack, type ChatMessage } from '#protocol';
import { connected, demo, next, request, startTestRelay, valueOf, type ClientSocket, type TestRelay } from '../../support/relay.js';
import { follow, type Member } from '../../support/session-member.js';
import { fcParameters, fuzzSettings } from '../../support/fuzz-settings.js';
import { buildDeep, hostileClients, reservedNames, script, type Deep, type HostileClient, type Prelude, type Ref, type Script } from './socket-arbitraries.js';

const settings = fuzzSettings({ seed: 0x5eed12, numRuns: 60 });
/** The relay answers every request in milliseconds; this only turns a missing ack into a failure. */
const ackWaitMs = 3000;

const users: Record<HostileClient, string> = {
  helper: demo.contosoHelper,
  sharer: 'contractor@contoso-partner.example',
  foreign: demo.fabrikamHelper,
};

type Violation = string;

/** What the relay answered, counted, printed with RH_FUZZ_VERBOSE=1: shows the runs reach past validation. */
const answers = new Map<string, number>();
const tally = (key: string): void => void answers.set(key, (answers.get(key) ?? 0) + 1);

describe('hostile socket clients, generated (property)', function () {
  // Long local runs (RH_FUZZ_RUNS) take longer: about a second per run at most on 2 busy cores.
  this.timeout(120_000 + settings.numRuns * 1000);
  let relay: TestRelay;
  let helper: Member;
  let sharer: Member;
  let sessionId: string;
  let code: string;
  /** Every text the bystanders sent each other: all they may ever be pushed. */
  const said = new Set<string>();
  /** Pushes to the bystanders other than chat and presence of their own session (signals, state, ends). */
  const strayPushes: string[] = [];
  let historyBefore: ChatMessage[] = [];

  before(async () => {
    // Limits high enough that every run's prelude can open and join a session: the limits have their own tests.
    relay = await startTestRelay({
      RH_CREATES_PER_USER: '100000', RH_JOIN_FAILURES_PER_USER: '10000', RH_JOIN_FAILURES_PER_ADDRESS: '100000',
      RH_LIVE_SESSIONS_PER_HELPER: '10000', RH_CONNECTIONS_PER_USER: '10000',
    });
    const [h, s] = await Promise.all([relay.connect(demo.contosoAdmin), relay.connect(demo.contosoSharer)]);
    helper = follow(h, 'helper');
    sharer = follow(s, 'sharer');
    const created = valueOf(await request(h, 'session:create', {}));
    sessionId = created.sessionId;
    code = created.code;
    helper.sessionId = sessionId;
    valueOf(await request(s, 'session:join', { code }));
    sharer.sessionId = sessionId;
    const sharing = next(h, 'session:state', (c) => c.state === 'sharing');
    valueOf(await request(s, 'session:consent', { sessionId, allow: true }));
    await sharing;
    await bystandersChat('before');
    // Read before the watch starts: a resume tells the other member its peer is present.
    historyBefore = valueOf(await request(h, 'session:resume', { sessionId, afterSeq: 0 })).messages;
    for (const m of [helper, sharer]) {
      m.socket.onAny((event: string) => {
        if (event !== 'chat:message') strayPushes.push(`${m.role} got ${event}`);
      });
    }
    // Sign every hostile user in once: each run then only opens sockets.
    await Promise.all(Object.values(users).map((email) => relay.token(email)));
  });
  after(async () => relay?.stop());

  /** One message each way between the bystanders, both arriving. */
  async function bystandersChat(label: string): Promise<void> {
    for (const [from, to] of [[sharer, helper], [helper, sharer]] as const) {
      const text = `${from.role} ${label} ${said.size}`;
      said.add(text);
      const arrived = next(to.socket, 'chat:message', (m) => m.text === text);
      await from.say(text, 5000);
      await arrived;
    }
  }

  /** Opens the hostile clients of one run, each checking every push it gets against its schema. */
  async function hostileSockets(violations: Violation[]): Promise<Record<HostileClient, ClientSocket>> {
    const entries = await Promise.all(hostileClients.map(async (c) => {
      const s = await relay.connect(users[c]);
      s.onAny((event: string, payload: unknown) => {
        const schema = (serverEventSchemas as Record<string, { safeParse(v: unknown): { success: boolean } }>)[event];
        if (!schema) violations.push(`${c} was pushed an event the protocol does not have: ${event}`);
        else if (!schema.safeParse(payload).success) violations.push(`${c} was pushed a ${event} that does not fit its schema: ${JSON.stringify(payload)}`);
      });
      return [c, s] as const;
    }));
    return Object.fromEntries(entries) as Record<HostileClient, ClientSocket>;
  }

  /** The hostile helper and sharer take a session of their own as far as `prelude` says. */
  async function playPrelude(prelude: Prelude, sockets: Record<HostileClient, ClientSocket>, own: { session?: string; code?: string }): Promise<void> {
    if (prelude === 'none') return;
    const answer = await request(sockets.helper, 'session:create', {});
    // A refusal with a code of the protocol (a limit reached under a long run) is a run without a prelude.
    if (!answer.ok && errorCodes.includes(answer.error.code)) return;
    const created = valueOf(answer);
    own.session = created.sessionId;
    own.code = created.code;
    if (prelude === 'created') return;
    valueOf(await request(sockets.sharer, 'session:join', { code: created.code }));
    if (prelude === 'joined') return;
    valueOf(await request(sockets.sharer, 'session:consent', { sessionId: created.sessionId, allow: true }));
  }

  async function runScript({ prelude, steps }: Script): Promise<Violation[]> {
    const violations: Violation[] = [];
    const logFrom = relay.logLines.length;
    const sockets = await hostileSockets(violations);
    const own: { session?: string; code?: string } = {};
    const fill = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(fill);
      if (v && typeof v === 'object') {
        if ('$deep' in v && 'asArray' in v && Object.keys(v).length === 2) return buildDeep(v as Deep);
        if ('$ref' in v && Object.keys(v).length === 1) {
          const name = (v as Ref).$ref;
          return name === 'bystanderSession' ? sessionId : name === 'bystanderCode' ? code
            : name === 'ownSession' ? own.session ?? 'no-session-yet' : own.code ?? 'NOCODE00';
        }
        // JSON round trip keeps an own `__proto__` key as an own key.
        const text = `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${JSON.stringify(fill(x)) ?? 'null'}`).join(',')}}`;
        return JSON.parse(text) as unknown;
      }
      return v;
    };
    try {
      await playPrelude(prelude, sockets, own);
      for (const step of steps) {
        if (step.kind === 'handshake') {
          const headers = step.headers.origin === 'SELF' ? { ...step.headers, origin: relay.url } : step.headers;
          const s = relay.socket(step.auth, { headers });
          const outcome = await Promise.race([
            connected(s).then(() => 'let in', (e: Error & { data?: { code?: unknown } }) => e.data?.code),
            new Promise((r) => setTimeout(() => r('no answer'), ackWaitMs)),
          ]);
          s.close();
          if (!errorCodes.includes(outcome as never)) violations.push(`a made-up handshake was answered ${String(outcome)}: ${JSON.stringify(step)}`);
          continue;
        }
        // socket.io-client itself refuses reserved names (it throws): nothing reaches the relay.
        if (reservedNames.includes(step.event)) continue;
        const s = sockets[step.client];
        if (!s.connected) await connected(s); // dropped by an oversized event earlier in the run
        const args = step.args.map(fill);
        const bytes = Buffer.byteLength(JSON.stringify(args) ?? '');
        const what = `${step.client} ${step.event} (${bytes} bytes): ${JSON.stringify(args)?.slice(0, 200)}`;
        const emit = (s.emit as (e: string, ...a: unknown[]) => unknown).bind(s);
        const emitWithAck = (s.timeout(ackWaitMs).emitWithAck as (e: string, ...a: unknown[]) => Promise<unknown>).bind(s);
        const extra = step.ack.kind === 'not-a-function' ? [step.ack.value] : [];
        try {
          if (bytes > limits.eventBytesMax) {
            // Over the transport's limit: the relay drops that socket (and only it) instead of answering.
            const dropped = new Promise<boolean>((r) => {
              s.once('disconnect', () => r(true));
              setTimeout(() => r(false), ackWaitMs);
            });
            if (step.ack.kind === 'function') void emitWithAck(step.event, ...args).catch(() => undefined);
            else emit(step.event, ...args, ...extra);
            if (!(await dropped)) violations.push(`an oversized event did not drop its socket: ${what}`);
            continue;
          }
          if (step.ack.kind !== 'function') {
            emit(step.event, ...args, ...extra);
            continue;
          }
        } catch (error) {
          violations.push(`${what} could not be sent: ${String(error)}`);
          continue;
        }
        let ack: unknown;
        try {
          ack = await emitWithAck(step.event, ...args);
        } catch (error) {
          violations.push(`no ack for ${what}: ${String(error)}`);
          continue;
        }
        const known = Object.hasOwn(clientEvents, step.event) ? clientEvents[step.event as keyof typeof clientEvents] : undefined;
        const shape = ackSchema(known?.ack ?? z.never()).safeParse(ack);
        const a = ack as Ack<unknown>;
        if (!shape.success && !(a && a.ok === false && errorCodes.includes(a.error?.code))) {
          violations.push(`${what} was answered with something that is no Ack of the protocol: ${JSON.stringify(ack)?.slice(0, 300)}`);
        }
        tally(`${step.event} → ${a?.ok ? 'ok' : `${String(a?.error?.code)} ${process.env['RH_FUZZ_VERBOSE'] === '2' ? a?.error?.message?.slice(0, 60) : ''}`}`);
        if (a?.ok && step.event === 'session:create') {
          const v = a.value as { sessionId: string; code: string };
          own.session = v.sessionId;
          own.code = v.code;
        }
      }
    } finally {
      // The run's own session ends with it, so sessions do not pile up across runs (each would otherwise
      // wait out its reconnect grace).
      if (own.session && sockets.helper.connected) await request(sockets.helper, 'session:end', { sessionId: own.session }).catch(() => undefined);
      for (const s of Object.values(sockets)) s.disconnect();
    }
    const errors = relay.logLines.slice(logFrom).filter((l) => (JSON.parse(l) as { level?: string }).level === 'error');
    violations.push(...errors.map((l) => `the relay logged an error: ${l.slice(0, 500)}`));
    if (helper.ended.length || sharer.ended.length) violations.push(`the bystander session ended: ${JSON.stringify([...helper.ended, ...sharer.ended])}`);
    if (strayPushes.length) violations.push(`the bystanders were pushed: ${strayPushes.join(', ')}`);
    const foreignChat = [...helper.pushed, ...sharer.pushed].filter((m) => m.sessionId !== sessionId || !said.has(m.text));
    if (foreignChat.length) violations.push(`the bystanders got chat they did not send: ${JSON.stringify(foreignChat)}`);
    return violations;
  }

  it('answers every request with a known code, stays up, and leaves the bystander session as it was', async () => {
    await fc.assert(
      fc.asyncProperty(script, async (s) => {
        const violations = await runScript(s);
        assert.deepEqual(violations, [], `seed ${settings.seed}: ${violations.join('\n')}`);
      }),
      fcParameters(settings),
    );
    if (process.env['RH_FUZZ_VERBOSE']) console.log([...answers].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${n}\t${k}`).join('\n'));
    // The relay still serves: a fresh connection works, and the bystanders still talk.
    const fresh = await relay.connect(demo.contosoHelper);
    const precheck = await request(fresh, 'session:precheck', {});
    assert.ok(precheck.ok || errorCodes.includes(precheck.error.code));
    fresh.disconnect();
    await bystandersChat('after');
    assert.deepEqual(strayPushes, []);
    const before = historyBefore;
    const after = valueOf(await request(helper.socket, 'session:resume', { sessionId, afterSeq: 0 }));
    assert.equal(after.state, 'sharing');
    // Its history is what it was, plus the two messages just sent, and nothing else.
    assert.deepEqual(after.messages.slice(0, before.length), before);
    assert.deepEqual(after.messages.slice(before.length).map((m) => m.text).sort(), [...said].slice(-2).sort());
    assert.deepEqual(helper.ended, []);
    assert.deepEqual(sharer.ended, []);
  });
});
