// Reads a small urlencoded form body. Our few form posts (sign-in, callback) do not need a general parser.
import type Koa from 'koa';

const limit = 64 * 1024;

export async function readForm(ctx: Koa.Context): Promise<URLSearchParams | undefined> {
  if (!ctx.is('application/x-www-form-urlencoded')) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
