// Reads a small JSON request body. Requiring application/json also keeps cross-site forms out: a
// browser sends that type cross-origin only after a CORS preflight, which the relay never grants.
import type Koa from 'koa';

const limit = 16 * 1024;

export async function readJson(ctx: Koa.Context): Promise<{ ok: true; value: unknown } | { ok: false; status: number }> {
  if (!ctx.is('application/json')) return { ok: false, status: 415 };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return { ok: false, status: 413 };
    chunks.push(chunk);
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
  } catch {
    return { ok: false, status: 400 };
  }
}
