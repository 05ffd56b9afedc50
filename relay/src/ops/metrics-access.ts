// Who may read /metrics. With a metrics token: whoever sends it as a Bearer token. Without one: only a
// scraper on this host talking to the relay directly. Behind a TLS proxy every request arrives from the
// proxy's (often loopback) address, so a request that came through it (it carries X-Forwarded-For or
// Forwarded) is refused even from loopback: the proxy is local, its client is not. The forwarded
// address itself is not asked, since a client can put any first entry in X-Forwarded-For.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const loopback = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

export function metricsAllowed(req: IncomingMessage, metricsToken: string | undefined): boolean {
  if (metricsToken !== undefined) {
    const sent = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    return sent !== undefined && sameSecret(sent, metricsToken);
  }
  const proxied = req.headers['x-forwarded-for'] !== undefined || req.headers['forwarded'] !== undefined;
  return !proxied && loopback.test(req.socket.remoteAddress ?? '');
}

/** Compares digests, so neither the length nor the content shows in the time taken. */
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}
