// Reading small request bodies: JSON for the APIs, urlencoded forms for the sign-in pages. Requiring
// application/json also keeps cross-site forms out: a browser sends that type cross-origin only after a
// CORS preflight, which the relay never grants.
import type Koa from 'koa';
import { fail, ok, type Ack } from '#protocol';

/** How long a refused body may keep arriving, and how much of it, before the connection is cut. */
const linger = { ms: 2_000, bytes: 1024 * 1024 };

/** The whole body, or undefined when it is longer than `limit` bytes: then nothing more is kept, the
 * refusal goes out at once, and the connection closes after it. */
function readBody(ctx: Koa.Context, limit: number): Promise<Buffer | undefined> {
  const req = ctx.req;
  // Declared too long: not read at all.
  if (Number(ctx.get('content-length')) > limit) {
    closeAfterAnswer(ctx);
    return Promise.resolve(undefined);
  }
  if (req.readableEnded) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (body: Buffer | undefined): void => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      resolve(body);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      // Over the limit: answered now, not when the client is done sending (a slow sender could hold a
      // request open for as long as it likes). The request is not destroyed here: that would take the
      // socket with it, and the refusal could not be sent (ctx.cookies, which asks the socket, would throw).
      closeAfterAnswer(ctx);
      settle(undefined);
    };
    const onEnd = (): void => settle(Buffer.concat(chunks));
    const onError = (error: Error): void => {
      req.off('data', onData).off('end', onEnd).off('close', onClose);
      reject(error);
    };
    // Gone before its end (the client went away): nobody to answer, nothing to keep.
    const onClose = (): void => settle(undefined);
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

/**
 * Once the refusal is sent, this side of the connection closes (the client reads the answer, then the
 * end), and what the client still sends is thrown away unread for a short while only: closing a socket
 * with unread bytes makes the kernel send a reset, which can destroy the answer before the client reads
 * it (the "lingering close" of Apache and nginx). Not `Connection: close`: Node would then destroy the
 * socket the moment the answer is written, with exactly that reset.
 */
function closeAfterAnswer(ctx: Koa.Context): void {
  const socket = ctx.req.socket;
  let discarded = 0;
  // A JSON-reading route that answers anyway: the body after the limit is never parsed.
  ctx.req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > linger.bytes) socket.destroy();
  });
  ctx.req.resume();
  ctx.res.once('finish', () => {
    socket.end();
    const cut = setTimeout(() => socket.destroy(), linger.ms);
    cut.unref();
    socket.once('close', () => clearTimeout(cut));
  });
}

export interface JsonBodyOptions {
  /** Bytes accepted; more is `payload-too-large`. */
  limit: number;
  /** What an empty body means (any content type); absent: an empty body is not JSON. */
  empty?: unknown;
  /** The content types read as JSON; application/json when not given (SCIM also sends application/scim+json). */
  types?: string[];
}

/** The parsed JSON body; `payload-too-large` or `validation` otherwise. */
export async function readJson(ctx: Koa.Context, opts: JsonBodyOptions): Promise<Ack<unknown>> {
  const body = await readBody(ctx, opts.limit);
  if (!body) return fail('payload-too-large', 'the request body is too large');
  const text = body.toString('utf8').trim();
  if (text === '' && opts.empty !== undefined) return ok(opts.empty);
  const types = opts.types ?? ['application/json'];
  if (!ctx.is(types)) return fail('validation', `send the body as ${types.join(' or ')}`);
  try {
    return ok(JSON.parse(text) as unknown);
  } catch {
    return fail('validation', 'the body is not JSON');
  }
}

/** A urlencoded form body; undefined when the body is not one or is too large. */
export async function readForm(ctx: Koa.Context, limit = 64 * 1024): Promise<URLSearchParams | undefined> {
  if (!ctx.is('application/x-www-form-urlencoded')) return undefined;
  const body = await readBody(ctx, limit);
  return body && new URLSearchParams(body.toString('utf8'));
}
