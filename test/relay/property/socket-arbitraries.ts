// What hostile socket clients send, generated: which client, which event (every request of the
// protocol's table, reserved and unknown names), which payload (anything at all, wrong types,
// prototype-polluting keys, deep nesting, over-long strings, and requests that look valid but aim at
// random or foreign sessions and codes) and which ack (a function, none, or something that is not one).
// Session ids and codes of the run itself and of the bystander session are symbolic (`ref`), filled in
// when the step runs: the generator cannot know them.
import fc from 'fast-check';
import { clientEvents, limits, securityCodeAlphabet } from '#protocol';
import { demoDevices } from '#relay/directory/index.js';

/** A value known only while the run goes: the last session the hostile helper created, its code, or the bystander's. */
export interface Ref { readonly $ref: 'ownSession' | 'ownCode' | 'bystanderSession' | 'bystanderCode' }
const ref = (name: Ref['$ref']): fc.Arbitrary<Ref> => fc.constant({ $ref: name });

/** The hostile clients of one run: two of the bystander's tenant (neither is a member of it), one of another tenant. */
export const hostileClients = ['helper', 'sharer', 'foreign'] as const;
export type HostileClient = (typeof hostileClients)[number];

export type AckMode = { kind: 'function' } | { kind: 'none' } | { kind: 'not-a-function'; value: unknown };

export type Step =
  | { kind: 'emit'; client: HostileClient; event: string; args: unknown[]; ack: AckMode }
  /** A socket that tries to connect with a made-up credential. */
  | { kind: 'handshake'; auth: Record<string, unknown> | undefined; headers: Record<string, string> };

const requestNames = Object.keys(clientEvents);
/** Names socket.io-client refuses to emit (it throws), and names of Object.prototype. */
export const reservedNames = ['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'];
const oddNames = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'error:event', 'session:trust', 'chat:message', 'signal', ''];

export const eventName: fc.Arbitrary<string> = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom(...requestNames) },
  { weight: 1, arbitrary: fc.constantFrom(...reservedNames, ...oddNames) },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.constantFrom(...requestNames).map((n) => `${n.toUpperCase()}`) },
);

const pollutingKeys = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', '__defineGetter__'];
const fieldNames = ['sessionId', 'code', 'clientId', 'text', 'signal', 'afterSeq', 'allow', 'paused', 'deviceId', 'proof', 'restartMedia'];

/** Oversized: just within the transport's limit (the schema must refuse it), or over it (the transport drops the socket). */
export const overLimitBytes = limits.eventBytesMax + 1024;
const longString = fc.oneof(
  fc.constantFrom(101, 1001, limits.chatTextMax + 1, 32_001, limits.eventBytesMax - 2048, overLimitBytes).map((n) => 'x'.repeat(n)),
  fc.string({ unit: 'binary', minLength: 200, maxLength: 2000 }),
);

/** An object built from JSON text, so `__proto__` is an own key as it is on the relay after parsing. */
function objectFromEntries(entries: [string, unknown][]): Record<string, unknown> {
  const text = `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`;
  return JSON.parse(text) as Record<string, unknown>;
}

const shallowJson = fc.jsonValue({ maxDepth: 2 });
const pollutingObject = fc
  .array(fc.tuple(fc.constantFrom(...pollutingKeys, ...fieldNames), fc.oneof(shallowJson, fc.constant({ polluted: true }))), { minLength: 1, maxLength: 4 })
  .map(objectFromEntries);

/** Arrays or objects nested far deeper than any request is; kept symbolic (built when the step runs)
 * so that fast-check's report of a counterexample does not itself overflow the stack. */
export interface Deep { readonly $deep: number; readonly asArray: boolean }
const deeplyNested: fc.Arbitrary<Deep> = fc.record({ $deep: fc.integer({ min: 20, max: 1500 }), asArray: fc.boolean() });
export function buildDeep({ $deep, asArray }: Deep): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < $deep; i++) v = asArray ? [v] : { sessionId: v };
  return v;
}

const sessionIdLike = fc.oneof(
  { weight: 3, arbitrary: ref('ownSession') },
  { weight: 3, arbitrary: ref('bystanderSession') },
  { weight: 2, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.string({ maxLength: 120 }) },
  { weight: 1, arbitrary: fc.constantFrom('', 'x'.repeat(101), '../../etc/passwd', 'session:x:helper') },
);
const codeLike = fc.oneof(
  { weight: 3, arbitrary: ref('ownCode') },
  { weight: 2, arbitrary: ref('bystanderCode') },
  { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(...securityCodeAlphabet), minLength: 8, maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 45 }) },
  { weight: 1, arbitrary: fc.constantFrom('abcd-efgh', 'OOOO IIII', 'llll-0000', 'x'.repeat(41)) },
);
const textLike = fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }), longString, fc.constant(''));
const deviceIdLike = fc.oneof(fc.constantFrom(...demoDevices.slice(0, 4).map((d) => d.id)), fc.string({ maxLength: 110 }));
const proofLike = fc.record({ deviceId: deviceIdLike, challenge: fc.string({ maxLength: 220 }), signature: fc.string({ maxLength: 220 }) }, { requiredKeys: [] });
const signalLike = fc.oneof(
  fc.record({ description: fc.record({ type: fc.constantFrom('offer', 'answer', 'rollback', 'pranswer'), sdp: fc.oneof(fc.string({ maxLength: 60 }), longString) }) }),
  fc.record({
    candidate: fc.record({
      candidate: fc.oneof(fc.constant('candidate:1 1 udp 2122260223 127.0.0.1 54321 typ host'), fc.string({ maxLength: 60 }), longString),
      sdpMid: fc.oneof(fc.constant(null), fc.string({ maxLength: 5 })),
      sdpMLineIndex: fc.oneof(fc.constant(null), fc.integer({ min: -1, max: 101 }), fc.double()),
    }, { requiredKeys: ['candidate'] }),
  }),
  shallowJson,
);
const seqLike = fc.oneof(fc.nat(1_000), fc.integer(), fc.double(), fc.constant(Number.MAX_SAFE_INTEGER));

/** Requests shaped like the real ones for each event, filled with borrowed, random or broken values. */
const validLooking: Record<string, fc.Arbitrary<unknown>> = {
  'session:create': fc.oneof(fc.constant({}), fc.record({ deviceId: deviceIdLike })),
  'session:precheck': fc.record({ deviceId: deviceIdLike }, { requiredKeys: [] }),
  'session:join': fc.oneof({ weight: 3, arbitrary: fc.record({ code: codeLike }) }, { weight: 1, arbitrary: fc.record({ code: codeLike, proof: proofLike }) }),
  'device:challenge': fc.constant({}),
  'session:consent': fc.record({ sessionId: sessionIdLike, allow: fc.oneof(fc.boolean(), shallowJson) }),
  'session:end': fc.record({ sessionId: sessionIdLike }),
  'session:resume': fc.record({ sessionId: sessionIdLike, afterSeq: seqLike, restartMedia: fc.boolean() }, { requiredKeys: ['sessionId', 'afterSeq'] }),
  'session:away': fc.record({ sessionId: sessionIdLike }),
  'session:pause': fc.record({ sessionId: sessionIdLike, paused: fc.boolean() }),
  'signal:send': fc.record({ sessionId: sessionIdLike, signal: signalLike }),
  'chat:send': fc.record({ sessionId: sessionIdLike, clientId: fc.oneof(fc.uuid(), fc.string({ maxLength: 40 })), text: textLike }),
};
const anyValidLooking = fc.oneof(...Object.values(validLooking));

/** A payload for `event`: mostly shaped like its request, else anything hostile. */
function payloadFor(event: string): fc.Arbitrary<unknown> {
  const shaped = Object.hasOwn(validLooking, event) ? validLooking[event]! : anyValidLooking;
  return fc.oneof(
    { weight: 10, arbitrary: shaped },
    { weight: 1, arbitrary: shaped.map((p) => (typeof p === 'object' && p !== null ? { ...p, admin: true } : p)) },
    { weight: 2, arbitrary: fc.anything({ maxDepth: 3, maxKeys: 5 }) },
    { weight: 1, arbitrary: pollutingObject },
    { weight: 1, arbitrary: deeplyNested },
    { weight: 1, arbitrary: longString },
  );
}

const ackMode: fc.Arbitrary<AckMode> = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ kind: 'function' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }).map((value) => ({ kind: 'not-a-function' as const, value })) },
);

/** No argument, one payload, or the payload with extra arguments after it. */
function argsFor(event: string): fc.Arbitrary<unknown[]> {
  const payload = payloadFor(event);
  return fc.oneof(
    { weight: 8, arbitrary: payload.map((p) => [p]) },
    { weight: 1, arbitrary: fc.constant<unknown[]>([]) },
    { weight: 1, arbitrary: fc.tuple(payload, shallowJson).map(([p, extra]) => [p, extra]) },
  );
}

const emitStep: fc.Arbitrary<Step> = fc
  .tuple(fc.constantFrom(...hostileClients), eventName, ackMode)
  .chain(([client, event, ack]) => argsFor(event).map((args): Step => ({ kind: 'emit', client, event, args, ack })));

const handshakeStep: fc.Arbitrary<Step> = fc.record({
  auth: fc.oneof(
    fc.constant(undefined),
    fc.record({ token: fc.oneof(fc.anything({ maxDepth: 2 }), fc.string({ maxLength: 300 }), fc.constant('x'.repeat(16_385))) }),
    pollutingObject,
  ),
  headers: fc.oneof(
    fc.constant({}),
    fc.record({ cookie: fc.oneof(fc.string({ maxLength: 80 }).map((v) => `rh_session=${encodeURIComponent(v)}`), fc.constant('rh_session=')), origin: fc.constantFrom('SELF', 'https://evil.example') }),
  ),
}).map(({ auth, headers }): Step => ({ kind: 'handshake', auth, headers: headers as Record<string, string> }));

/** How far the hostile helper and sharer take a session of their own before the generated steps: so
 * the steps also meet a session that was joined, or is sharing, not only refusals of one that is not. */
export const preludes = ['none', 'created', 'joined', 'sharing'] as const;
export type Prelude = (typeof preludes)[number];

export interface Script {
  prelude: Prelude;
  steps: Step[];
}

/** One run: a prelude, then a short sequence of steps, mostly events, now and then a made-up handshake. */
export const script: fc.Arbitrary<Script> = fc.record({
  prelude: fc.constantFrom(...preludes),
  steps: fc.array(fc.oneof({ weight: 12, arbitrary: emitStep }, { weight: 1, arbitrary: handshakeStep }), { minLength: 1, maxLength: 12 }),
});
