// The single-node SessionStore. Every method body runs without an await inside, so each call is
// atomic with respect to the others, which is the guarantee the interface asks for.
import { isTerminal, type ChatMessage } from '#protocol';
import {
  defaultChatHeldBytes, type AwayDue, type ChatAppend, type ChatPage, type CodeLookup, type SessionRecord, type SessionStore,
} from './session-store.js';
import { DedupeTable } from './dedupe-table.js';
import { HeldChat } from './held-chat.js';

interface CodeEntry {
  sessionId: string;
  expiresAt: number;
  used: boolean;
}

interface ChatThread {
  /** The messages held (held-chat.ts), each its JSON without its seq: seq `first`, first + 1, … */
  held: HeldChat;
  /** The seq of the oldest held message. */
  first: number;
  /** Dedupe key → seq, for every message ever appended (held or dropped). */
  byKey: DedupeTable;
  /** Messages ever appended: the last seq given. */
  appended: number;
}

export interface MemorySessionStoreOptions {
  /** The chat one session holds for resume, in bytes; past it the oldest messages are dropped. */
  chatHeldBytes?: number;
}

export function createMemorySessionStore(opts: MemorySessionStoreOptions = {}): SessionStore {
  const chatHeldBytes = opts.chatHeldBytes ?? defaultChatHeldBytes;
  const sessions = new Map<string, SessionRecord>();
  const codes = new Map<string, CodeEntry>();
  const chats = new Map<string, ChatThread>();

  return {
    async insert(record, code) {
      if (codes.has(code)) return false;
      codes.set(code, { sessionId: record.id, expiresAt: record.expiresAt, used: false });
      sessions.set(record.id, { ...record });
      return true;
    },
    async get(sessionId) {
      const r = sessions.get(sessionId);
      return r && structuredClone(r);
    },
    async transition(sessionId, from, patch) {
      const r = sessions.get(sessionId);
      if (!r || !from.includes(r.state)) return undefined;
      const next = { ...r, ...patch };
      sessions.set(sessionId, next);
      return structuredClone(next);
    },
    async update(sessionId, from, change) {
      const r = sessions.get(sessionId);
      if (!r || !from.includes(r.state)) return undefined;
      const patch = change(structuredClone(r));
      if (!patch) return { record: structuredClone(r), changed: false };
      const next = { ...r, ...patch };
      sessions.set(sessionId, next);
      return { record: structuredClone(next), changed: true };
    },
    async lookupCode(code, now): Promise<CodeLookup> {
      const c = codes.get(code);
      if (!c) return undefined;
      const status = c.used ? 'used' : now >= c.expiresAt ? 'expired' : 'valid';
      return { status, sessionId: c.sessionId };
    },
    async claimCode(code, now) {
      const c = codes.get(code);
      if (!c || c.used || now >= c.expiresAt) return false;
      c.used = true;
      return true;
    },
    async appendChat(sessionId, dedupeKey, message, maxMessages): Promise<ChatAppend> {
      const s = sessions.get(sessionId);
      if (!s || isTerminal(s.state)) return { ok: false, reason: 'ended' };
      if (s.state === 'created') return { ok: false, reason: 'unjoined' };
      let thread = chats.get(sessionId);
      if (!thread) chats.set(sessionId, (thread = { held: new HeldChat(), first: 1, byKey: new DedupeTable(), appended: 0 }));
      const existingSeq = thread.byKey.get(dedupeKey);
      if (existingSeq !== undefined) {
        // A resend of a message dropped from the held chat since: answered with its seq and the resent text.
        const held = thread.held.json(existingSeq - thread.first);
        return { ok: true, message: { ...(held !== undefined ? JSON.parse(held) as Omit<ChatMessage, 'seq'> : message), seq: existingSeq }, added: false };
      }
      if (thread.appended >= maxMessages) return { ok: false, reason: 'full' };
      const stored: ChatMessage = { ...message, seq: ++thread.appended };
      // Held without its seq (its place says it): its JSON's size is its weight (chatMessageBytes).
      thread.held.push(JSON.stringify(message));
      thread.byKey.set(dedupeKey, stored.seq);
      // The oldest go first; the newest is always held, whatever its size.
      thread.first += thread.held.dropOver(chatHeldBytes);
      return { ok: true, message: stored, added: true };
    },
    async chatAfter(sessionId, afterSeq, maxBytes = Infinity): Promise<ChatPage> {
      const thread = chats.get(sessionId);
      if (!thread) return { messages: [], more: false, firstHeld: 1 };
      const { held } = thread;
      const firstHeld = held.length ? thread.first : thread.appended + 1;
      const messages: ChatMessage[] = [];
      let bytes = 0;
      for (let i = Math.max(0, afterSeq + 1 - firstHeld); i < held.length; i++) {
        const weight = held.weightOf(i);
        if (messages.length > 0 && bytes + weight > maxBytes) return { messages, more: true, firstHeld };
        messages.push({ ...(JSON.parse(held.json(i)!) as Omit<ChatMessage, 'seq'>), seq: firstHeld + i });
        bytes += weight;
      }
      return { messages, more: false, firstHeld };
    },
    async dropChat(sessionId) {
      chats.delete(sessionId);
    },
    async expiredUnjoined(now) {
      return [...sessions.values()].filter((s) => s.state === 'created' && now >= s.expiresAt).map((s) => s.id);
    },
    async liveSessions() {
      return [...sessions.values()].filter((s) => !isTerminal(s.state)).map((s) => s.id);
    },
    async purge(before) {
      for (const [id, s] of sessions) {
        if (isTerminal(s.state) && (s.endedAt ?? 0) < before) {
          sessions.delete(id);
          chats.delete(id);
        }
      }
      for (const [code, c] of codes) if (c.expiresAt < before && !sessions.has(c.sessionId)) codes.delete(code);
    },
    async awayExpired(now) {
      const due: AwayDue[] = [];
      for (const s of sessions.values()) {
        if (isTerminal(s.state)) continue;
        for (const role of ['helper', 'sharer', 'colleague'] as const) {
          const a = s.away?.[role];
          if (a && a.graceEndsAt <= now) due.push({ sessionId: s.id, role, gap: a.gap, reason: a.reason });
        }
      }
      return due;
    },
  };
}
