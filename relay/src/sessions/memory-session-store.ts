// The single-node SessionStore. Every method body runs without an await inside, so each call is
// atomic with respect to the others, which is the guarantee the interface asks for.
import { isTerminal, type ChatMessage } from '#protocol';
import type { AwayDue, ChatAppend, CodeLookup, SessionRecord, SessionStore } from './session-store.js';

interface CodeEntry {
  sessionId: string;
  expiresAt: number;
  used: boolean;
}

interface ChatThread {
  messages: ChatMessage[];
  byKey: Map<string, ChatMessage>;
}

export function createMemorySessionStore(): SessionStore {
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
      if (!thread) chats.set(sessionId, (thread = { messages: [], byKey: new Map() }));
      const existing = thread.byKey.get(dedupeKey);
      if (existing) return { ok: true, message: { ...existing }, added: false };
      if (thread.messages.length >= maxMessages) return { ok: false, reason: 'full' };
      const stored: ChatMessage = { ...message, seq: thread.messages.length + 1 };
      thread.messages.push(stored);
      thread.byKey.set(dedupeKey, stored);
      return { ok: true, message: { ...stored }, added: true };
    },
    async chatAfter(sessionId, afterSeq) {
      return (chats.get(sessionId)?.messages ?? []).filter((m) => m.seq > afterSeq).map((m) => ({ ...m }));
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
        for (const role of ['helper', 'sharer'] as const) {
          const a = s.away?.[role];
          if (a && a.graceEndsAt <= now) due.push({ sessionId: s.id, role, gap: a.gap, reason: a.reason });
        }
      }
      return due;
    },
  };
}
