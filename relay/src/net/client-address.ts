// Who a request comes from, for rate limits and conditional-access IP ranges, over HTTP (Koa's ctx.ip)
// and Socket.IO handshakes alike.
import { isIP, isIPv6 } from 'node:net';

type Headers = Record<string, string | string[] | undefined>;

/**
 * The key a client is counted under for rate limits. An IPv4-mapped address counts as the IPv4 one, and
 * an IPv6 client by its /64: one home or cloud host is handed a whole /64 and could otherwise take a
 * fresh address for every few guesses.
 */
export function rateLimitBucket(ip: string | undefined): string {
  const raw = (ip ?? '').trim();
  if (!raw) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(raw);
  if (mapped) return mapped[1]!;
  const bare = raw.split('%')[0]!; // a zone index (fe80::1%eth0) names an interface, not a client
  if (!isIPv6(bare)) return raw;
  const [head = '', tail] = bare.toLowerCase().split('::');
  const front = head ? head.split(':') : [];
  const back = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = tail === undefined ? front : [...front, ...Array<string>(8 - front.length - back.length).fill('0'), ...back];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** The first X-Forwarded-For entry as a bare IP (port and IPv6 brackets removed), or undefined. */
export function firstForwardedFor(headers: Headers): string | undefined {
  const raw = headers['x-forwarded-for'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  let first = value?.split(',')[0]?.trim();
  if (!first) return undefined;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(first);
  if (bracketed) first = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(first)) first = first.slice(0, first.lastIndexOf(':'));
  return isIP(first) ? first.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '') : undefined;
}

/**
 * A socket's client address. Behind a TLS-terminating proxy every socket comes from the proxy, so when
 * the relay is told to trust it the client is the first X-Forwarded-For entry; otherwise the header is
 * anyone's claim and the socket's own address is used. (Koa does the same for HTTP via `app.proxy`.)
 */
export function socketClientAddress(handshake: { address: string; headers: Headers }, trustProxy: boolean): string {
  return (trustProxy ? firstForwardedFor(handshake.headers) : undefined) ?? handshake.address;
}
