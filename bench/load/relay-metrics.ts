// The relay's own view of a load run, from its /metrics (relay/src/ops): the event latency histogram
// of one event, read before and after the chat window, so the difference is that window's events. It
// is the time from an event's arrival to its answer inside the relay — what the relay itself spends
// and queues, which the generator's own lag (its sends and its reading of acks) does not reach.
import { get } from 'node:https';

/** A Prometheus histogram: cumulative counts by upper bound (seconds), its sum and count. */
export interface Histogram {
  buckets: [le: number, count: number][];
  sum: number;
  count: number;
}

/** A relay's /metrics text (loopback: no token needed). */
function metricsText(url: string, ca: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    get(new URL('/metrics', url), { ca }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`/metrics answered ${res.statusCode}`))));
    }).on('error', reject);
  });
}

/** The relay's event-loop delay since the scrape before (prom-client resets its histogram at each
 * collection): read right after the chat window, it is that window's (p99 and max, ms). */
export async function loopDelay(url: string, ca: string): Promise<{ p99Ms: number; maxMs: number }> {
  const text = await metricsText(url, ca);
  const read = (name: string) => Number(new RegExp(`^${name} ([0-9.eE+-]+)`, 'm').exec(text)?.[1] ?? NaN) * 1000;
  return { p99Ms: Math.round(read('nodejs_eventloop_lag_p99_seconds') * 10) / 10, maxMs: Math.round(read('nodejs_eventloop_lag_max_seconds') * 10) / 10 };
}

/** Reads `rh_event_duration_seconds` of `event` from a relay's /metrics (loopback: no token needed). */
export async function eventLatency(url: string, ca: string, event: string): Promise<Histogram> {
  const text = await metricsText(url, ca);
  const h: Histogram = { buckets: [], sum: 0, count: 0 };
  const label = `event="${event}"`;
  for (const line of text.split('\n')) {
    if (!line.startsWith('rh_event_duration_seconds') || !line.includes(label)) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    const le = /le="([^"]+)"/.exec(line)?.[1];
    if (line.startsWith('rh_event_duration_seconds_bucket') && le) h.buckets.push([le === '+Inf' ? Infinity : Number(le), value]);
    else if (line.startsWith('rh_event_duration_seconds_sum')) h.sum = value;
    else if (line.startsWith('rh_event_duration_seconds_count')) h.count = value;
  }
  return h;
}

/** The events between two readings (`after` - `before`), summed over several nodes' pairs. */
export function windowOf(pairs: [before: Histogram, after: Histogram][]): Histogram {
  const total: Histogram = { buckets: [], sum: 0, count: 0 };
  for (const [before, after] of pairs) {
    after.buckets.forEach(([le, count], i) => {
      const prior = before.buckets[i]?.[1] ?? 0;
      const at = total.buckets.findIndex(([l]) => l === le);
      if (at === -1) total.buckets.push([le, count - prior]);
      else total.buckets[at]![1] += count - prior;
    });
    total.sum += after.sum - before.sum;
    total.count += after.count - before.count;
  }
  total.buckets.sort((a, b) => a[0] - b[0]);
  return total;
}

/** The q-quantile in ms, as Prometheus' histogram_quantile reads it: linear within the bucket it falls
 * in (so no finer than the buckets: 1, 2.5, 5, 10, 25, 50 ms …); NaN without events. */
export function quantileMs(h: Histogram, q: number): number {
  if (h.count <= 0) return NaN;
  const rank = q * h.count;
  let lower = 0;
  let below = 0;
  for (const [le, count] of h.buckets) {
    if (count >= rank) {
      if (le === Infinity) return lower * 1000; // past the last bound: the last bound is all it can say
      const within = count - below;
      return Math.round((lower + (le - lower) * (within > 0 ? (rank - below) / within : 1)) * 1e6) / 1e3;
    }
    lower = le;
    below = count;
  }
  return NaN;
}

export const meanMs = (h: Histogram): number => (h.count > 0 ? Math.round((h.sum / h.count) * 1e6) / 1e3 : NaN);
