// The key a client is counted under for rate limits: Koa's ctx.ip (which honours X-Forwarded-For only
// when the app trusts its proxy). An IPv4-mapped address counts as the IPv4 one, and an IPv6 client by
// its /64: one home or cloud host gets a whole /64, so single addresses would be free for the taking.
import { isIPv6 } from 'node:net';

export function clientAddress(ip: string | undefined): string {
  const raw = (ip ?? '').trim();
  if (!raw) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(raw);
  if (mapped) return mapped[1]!;
  const bare = raw.split('%')[0]!; // zone index (fe80::1%eth0)
  if (!isIPv6(bare)) return raw;
  const [head = '', tail] = bare.toLowerCase().split('::');
  const front = head ? head.split(':') : [];
  const back = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = tail === undefined ? front : [...front, ...Array<string>(8 - front.length - back.length).fill('0'), ...back];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
