// The SessionStore several relay nodes share (DESIGN §12), with the semantics of the memory store
// (sessions/memory-session-store.ts). Each step that must not interleave with another node's is one Lua
// script (session-scripts.ts); `update` reads, lets `change` decide in JS, and writes only if the record
// is still the one it read (compare-and-set), else reads again and asks `change` again.
//
// Every key expires, so nothing outlives the nodes: an unjoined session (and its code) at its code's
// expiry plus the tombstone time, a live one `liveTtlMs` after its last write, an ended one the tombstone
// time after its end (purge forgets it earlier). TTLs are relative to the write, never computed from
// the relay's clock, so a test's hand-driven clock cannot expire a key at once.
//
// Keys under the prefix: s:<id> (hash: r = record JSON, state, code = its code's key, nodes = every node
// its owners were ever on, comma-separated: ChatAppend.nodes), code:<hash of
// the code> (sessionId, expiresAt, used), chat:<id> (list of the messages held, seq = `#first` + place),
// chatkey:<id> (dedupe key → seq, and the held chat's `#n`, `#first`, `#bytes`), and the indexes idx:created (by code expiry), idx:live, idx:ended (by end), idx:away ("id|role" by
// grace end).
import { createHash } from 'node:crypto';
import { isTerminal, sessionStates, type ChatMessage, type SessionRole } from '#protocol';
import { defaultChatHeldBytes, type AwayDue, type ChatAppend, type ChatPage, type SessionRecord, type SessionStore } from '../sessions/session-store.js';
import { defaultRedisPrefix, type RedisClient } from './redis-client.js';
import { runScript } from './redis-script.js';
import {
  appendChatScript, chatPageScript, claimScript, insertScript, purgeScript, replaceScript,
} from './session-scripts.js';

export interface RedisSessionStoreOptions {
  prefix?: string;
  /** How long an ended session is remembered (and an unjoined one after its code expired). At least
   * the session service's own tombstone time, which purges it earlier. */
  tombstoneMs?: number;
  /** How long a live session's keys stay after their last write. */
  liveTtlMs?: number;
  /** How many times `update` re-reads after a conflict before it gives up (a bug, or a hot record). */
  maxAttempts?: number;
  /** The chat one session holds for resume, in bytes; past it the oldest messages are dropped. */
  chatHeldBytes?: number;
}

const terminalStates = sessionStates.filter((s) => isTerminal(s));
const liveStates = sessionStates.filter((s) => !isTerminal(s));

/** The Redis store, and what only it can answer cheaply for /metrics. */
export interface RedisSessionStore extends SessionStore {
  /** The cluster's sessions not ended, by state: one SCARD per state, whatever their number. */
  liveByState(): Promise<Record<string, number>>;
}

export function createRedisSessionStore(redis: RedisClient, opts: RedisSessionStoreOptions = {}): RedisSessionStore {
  const p = opts.prefix ?? defaultRedisPrefix;
  const tombstoneMs = opts.tombstoneMs ?? 60 * 60_000;
  const liveTtlMs = opts.liveTtlMs ?? 24 * 60 * 60_000;
  const maxAttempts = opts.maxAttempts ?? 100;
  const chatHeldBytes = opts.chatHeldBytes ?? defaultChatHeldBytes;
  const key = {
    session: (id: string) => `${p}s:${id}`,
    // A code is a credential for a few minutes: the key names its hash, so it shows nowhere in Redis.
    code: (code: string) => `${p}code:${createHash('sha256').update(code).digest('base64url')}`,
    chat: (id: string) => `${p}chat:${id}`,
    chatKeys: (id: string) => `${p}chatkey:${id}`,
    created: `${p}idx:created`,
    live: `${p}idx:live`,
    ended: `${p}idx:ended`,
    away: `${p}idx:away`,
    /** The live index's set of one state (indexSession in session-scripts.ts). */
    liveIn: (state: string) => `${p}idx:live:${state}`,
  };
  const indexKeys = (id: string) => [key.session(id), key.created, key.live, key.ended, key.away];

  const eval_ = (script: string, keys: string[], args: (string | number)[]) => runScript(redis, script, keys, args);

  /** What the indexes and TTLs need to know of a record. */
  function shape(r: SessionRecord) {
    const cls = r.state === 'created' ? 'created' : isTerminal(r.state) ? 'terminal' : 'live';
    const ttl = cls === 'created' ? Math.max(1, r.expiresAt - r.createdAt) + tombstoneMs : cls === 'live' ? liveTtlMs : tombstoneMs;
    const nodes = [...new Set(Object.values(r.owners ?? {}).map((o) => o.node))].join(',');
    const index = [r.id, cls, r.expiresAt, r.endedAt ?? 0, r.away?.helper?.graceEndsAt ?? '', r.away?.sharer?.graceEndsAt ?? '', r.away?.colleague?.graceEndsAt ?? '', liveTtlMs, nodes];
    return { ttl, index };
  }

  const parse = (raw: string): SessionRecord => JSON.parse(raw) as SessionRecord;
  const read = (id: string) => redis.hGet(key.session(id), 'r');

  /** Ids from an index whose session key has expired are dropped from it (they cannot come back). */
  async function existing(index: string, ids: string[], drop: (index: string, id: string) => Promise<unknown>): Promise<string[]> {
    const present = await Promise.all(ids.map((id) => redis.exists(key.session(id))));
    const gone = ids.filter((_, i) => present[i] === 0);
    await Promise.all(gone.map((id) => drop(index, id)));
    return ids.filter((_, i) => present[i] === 1);
  }

  const store: RedisSessionStore = {
    async insert(record, code) {
      const { ttl, index } = shape(record);
      const done = await eval_(insertScript, [...indexKeys(record.id), key.code(code)], [JSON.stringify(record), record.state, ttl, ...index]);
      return done === 1;
    },

    async get(sessionId) {
      const raw = await read(sessionId);
      return raw ? parse(raw) : undefined;
    },

    async transition(sessionId, from, patch) {
      return (await store.update(sessionId, from, () => patch))?.record;
    },

    async update(sessionId, from, change) {
      for (let attempt = 0; attempt < maxAttempts; attempt++) {
        const raw = await read(sessionId);
        if (!raw) return undefined;
        const current = parse(raw);
        if (!from.includes(current.state)) return undefined;
        const patch = change(parse(raw));
        if (!patch) return { record: current, changed: false };
        const next: SessionRecord = { ...current, ...patch };
        const { ttl, index } = shape(next);
        const done = await eval_(replaceScript, indexKeys(sessionId), [raw, JSON.stringify(next), next.state, ttl, ...index]);
        if (done === 1) return { record: parse(JSON.stringify(next)), changed: true };
      }
      throw new Error(`session ${sessionId}: update kept conflicting after ${maxAttempts} attempts`);
    },

    async lookupCode(code, now) {
      const c = await redis.hGetAll(key.code(code));
      if (!c.sessionId) return undefined;
      const status = c.used === '1' ? 'used' : now >= Number(c.expiresAt) ? 'expired' : 'valid';
      return { status, sessionId: c.sessionId };
    },

    async claimCode(code, now) {
      return (await eval_(claimScript, [key.code(code)], [now])) === 1;
    },

    async appendChat(sessionId, dedupeKey, message, maxMessages): Promise<ChatAppend> {
      const reply = (await eval_(appendChatScript, [key.session(sessionId), key.chat(sessionId), key.chatKeys(sessionId)],
        [dedupeKey, JSON.stringify(message), maxMessages, liveTtlMs, chatHeldBytes, ...terminalStates])) as string[];
      const [what, seq, raw] = reply;
      if (what === 'ended' || what === 'full' || what === 'unjoined') return { ok: false, reason: what };
      if (what === 'added') return { ok: true, message: { ...message, seq: Number(seq) }, added: true, nodes: raw ? raw.split(',') : [] };
      // Without its JSON: dropped from the held chat since, answered with its seq and the resent text.
      return { ok: true, message: { ...(raw ? JSON.parse(raw) as Omit<ChatMessage, 'seq'> : message), seq: Number(seq) }, added: false };
    },

    async chatAfter(sessionId, afterSeq, maxBytes): Promise<ChatPage> {
      const reply = (await eval_(chatPageScript, [key.chat(sessionId), key.chatKeys(sessionId)], [afterSeq, maxBytes ?? Number.MAX_SAFE_INTEGER])) as string[];
      const [firstHeld, from, more, ...raws] = reply;
      const messages = raws.map((raw, i) => ({ ...(JSON.parse(raw) as Omit<ChatMessage, 'seq'>), seq: Number(from) + i }));
      return { messages, more: more === '1', firstHeld: Number(firstHeld) };
    },

    async dropChat(sessionId) {
      await redis.del([key.chat(sessionId), key.chatKeys(sessionId)]);
    },

    async expiredUnjoined(now) {
      const ids = await redis.zRangeByScore(key.created, '-inf', now);
      return existing(key.created, ids, (index, id) => redis.zRem(index, id));
    },

    async liveSessions() {
      const ids = await redis.sMembers(key.live);
      // A session whose key expired leaves the state sets too (which one it was in is gone with it).
      return existing(key.live, ids, (index, id) => Promise.all([index, ...liveStates.map(key.liveIn)].map((k) => redis.sRem(k, id))));
    },

    async liveByState() {
      const counts = await Promise.all(liveStates.map((state) => redis.sCard(key.liveIn(state))));
      return Object.fromEntries(liveStates.flatMap((state, i) => (counts[i] ? [[state, counts[i]]] : [])));
    },

    async purge(before) {
      await eval_(purgeScript, [key.ended], [before, p]);
    },

    async awayExpired(now) {
      const members = await redis.zRangeByScore(key.away, '-inf', now);
      const due: AwayDue[] = [];
      for (const member of members) {
        const [sessionId = '', role] = member.split('|') as [string, SessionRole];
        const s = await store.get(sessionId);
        // The index is kept exact by every write; only an expired session leaves a member behind.
        if (!s) {
          await redis.zRem(key.away, member);
          continue;
        }
        const a = s.away?.[role];
        if (a && a.graceEndsAt <= now && !isTerminal(s.state)) due.push({ sessionId, role, gap: a.gap, reason: a.reason });
      }
      return due;
    },
  };
  return store;
}
