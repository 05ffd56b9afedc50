// What a session view needs from "the relay", whatever carries it: the web pages implement it over
// socket.io-client, the console renderer over the desktop API (main owns the socket). The ui/ session
// components take a SessionLink and never know which.
import type { Ack } from './ack.js';
import type {
  ChatMessage, CreatedSession, SessionEnded, SessionResumed, SessionStateChange, Signal, TrustInfo,
} from './relay-events.js';

export interface SessionLinkEvents {
  trust: TrustInfo;
  state: SessionStateChange;
  signal: { sessionId: string; signal: Signal };
  chat: ChatMessage;
  ended: SessionEnded;
  /** The transport to the relay dropped (true) or came back (false). */
  connection: { connected: boolean };
}

export interface SessionLink {
  createSession(req: { deviceId?: string }): Promise<Ack<CreatedSession>>;
  joinSession(req: { code: string }): Promise<Ack<TrustInfo>>;
  consent(req: { sessionId: string; allow: boolean }): Promise<Ack<SessionStateChange>>;
  endSession(req: { sessionId: string }): Promise<Ack<null>>;
  resumeSession(req: { sessionId: string; afterSeq: number }): Promise<Ack<SessionResumed>>;
  sendSignal(req: { sessionId: string; signal: Signal }): Promise<Ack<null>>;
  sendChat(req: { sessionId: string; clientId: string; text: string }): Promise<Ack<ChatMessage>>;
  /** Subscribe; returns the unsubscribe function. */
  on<K extends keyof SessionLinkEvents>(event: K, listener: (payload: SessionLinkEvents[K]) => void): () => void;
}
