// The relay's log: pino, one JSON line per event on stdout. Callers pass ids, never security codes,
// tokens, cookies, passwords or chat text (DESIGN §5); the redaction below is a second line of defence
// for a field of such a name that slipped in anyway. Every line written while a request (an HTTP
// request or a socket event) is handled carries its requestId (ops/request-context.ts).
import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config.js';
import { currentRequest } from './ops/request-context.js';
import type { Log } from './ports.js';

/** Field names whose values are secrets or content, at the top level of a line and in a `headers`
 * object. Not under every key (`*.token`): pino's wildcard redaction costs about 50 µs a line, ten
 * times the rest of it; call sites pass flat fields (the log test reads a whole session's lines). */
const secretKeys = [
  'authorization', 'cookie', 'cookies', 'set-cookie', 'token', 'accessToken', 'access_token', 'idToken', 'id_token',
  'refreshToken', 'refresh_token', 'password', 'secret', 'clientSecret', 'client_secret', 'code', 'passcode',
  'securityCode', 'code_verifier', 'text',
];
const redactPaths = [...secretKeys.map((k) => `["${k}"]`), 'headers.authorization', 'headers.cookie', 'headers["set-cookie"]'];

export interface JsonLogOptions {
  level?: LogLevel;
  /** Where lines go; stdout by default (written synchronously, so a line is out before an exit). */
  write?: (line: string) => void;
}

function loggerFor(opts: JsonLogOptions): Logger {
  const write = opts.write;
  const stream: DestinationStream = write
    ? { write: (line: string) => write(line.endsWith('\n') ? line.slice(0, -1) : line) }
    : pino.destination({ dest: 1, sync: true });
  return pino({
    level: opts.level ?? 'info',
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    // The level as a word ("warn"), as an operator greps for it.
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: redactPaths, censor: '[redacted]' },
    mixin: () => {
      const request = currentRequest();
      return request ? { requestId: request.requestId } : {};
    },
  }, stream);
}

/** An Error as a message and its stack (pino's own serializer would keep every property an error has,
 * and an error of a library can hold the request it failed on). */
function fieldsOf(fields: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!fields) return {};
  const err = fields['error'];
  return err instanceof Error ? { ...fields, error: err.message, stack: err.stack } : fields;
}

export function createJsonLog(opts: JsonLogOptions = {}): Log {
  const logger = loggerFor(opts);
  return {
    info: (msg, fields) => logger.info(fieldsOf(fields), msg),
    warn: (msg, fields) => logger.warn(fieldsOf(fields), msg),
    error: (msg, fields) => logger.error(fieldsOf(fields), msg),
  };
}

/** Keeps every line in memory: tests read it (e.g. to prove a code never reaches the log). */
export function createMemoryLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  return { lines, ...createJsonLog({ write: (l) => lines.push(l) }) };
}
