// Reading small request bodies: JSON for the APIs, urlencoded forms for the sign-in pages. Requiring
// application/json also keeps cross-site forms out: a browser sends that type cross-origin only after a
// CORS preflight, which the relay never grants.
import type Koa from 'koa';
import { fail, ok, type Ack } from '#protocol';

/** The whole body, or undefined when it is longer than `limit` bytes. */
async function readBody(ctx: Koa.Context, limit: number): Promise<Buffer | undefined> {
  // Declared too long: not read at all; Node discards it once the answer is sent.
  if (Number(ctx.get('content-length')) > limit) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Over the limit: read on without keeping it. Leaving the loop would destroy the request and its
    // socket, so the refusal could not be sent (and ctx.cookies, which asks the socket, would throw).
    if (size <= limit) chunks.push(chunk);
  }
  return size > limit ? undefined : Buffer.concat(chunks);
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
