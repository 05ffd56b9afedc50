// The clients of bench/load-floor.ts, a process of their own (as the load benchmark's generator is):
// `sessions` pairs of socket.io-clients connect to the floor server, wait `holdSeconds` connected and
// silent (what holding them costs), then each sends a chat message a second for `chatSeconds`, at a
// random phase. Reports every ack's time, and messages that never reached the other side.
import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';

export interface FloorGeneratorConfig {
  port: number;
  ca: string;
  sessions: number;
  holdSeconds: number;
  chatSeconds: number;
}

export type FloorGeneratorMessage =
  | { phase: 'connected' }
  | { phase: 'chatting' }
  | { phase: 'chatted' }
  | { phase: 'done'; ackMs: number[]; lost: number; unacked: number };

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const send = (m: FloorGeneratorMessage) => process.send?.(m);

async function run(c: FloorGeneratorConfig): Promise<void> {
  const sockets: Socket[] = [];
  const received = new Set<string>();
  for (let pair = 0; pair < c.sessions; pair++) {
    for (const side of ['a', 'b']) {
      const s = io(`https://localhost:${c.port}`, { transports: ['websocket'], ca: c.ca, auth: { pair: `p${pair}`, side }, reconnection: false });
      s.on('chat:message', (m: { clientId: string }) => received.add(m.clientId));
      // A connection refused is the run failed, not a generator waiting for it forever.
      s.on('connect_error', (e: Error) => {
        process.stderr.write(`floor generator: a connection failed: ${e.message}\n`);
        process.exit(1);
      });
      sockets.push(s);
    }
    // Connections a few hundred a second, as the load benchmark ramps.
    if (pair % 100 === 99) await sleep(200);
  }
  while (!sockets.every((s) => s.connected)) await sleep(200);
  send({ phase: 'connected' });
  await sleep(c.holdSeconds * 1000);
  send({ phase: 'chatting' });
  const ackMs: number[] = [];
  const acked: string[] = [];
  let n = 0;
  const timers = sockets.map((s, i) => setTimeout(() => {
    const tick = () => {
      const clientId = `${i}-${n++}`;
      const t0 = performance.now();
      s.emit('chat:send', { clientId, text: 'Hello, could you look at the printer settings with me?' }, () => {
        ackMs.push(performance.now() - t0);
        acked.push(clientId);
      });
    };
    tick();
    (s as Socket & { ticker?: NodeJS.Timeout }).ticker = setInterval(tick, 1000);
  }, Math.random() * 1000));
  await sleep(c.chatSeconds * 1000);
  timers.forEach(clearTimeout);
  for (const s of sockets) clearInterval((s as Socket & { ticker?: NodeJS.Timeout }).ticker);
  send({ phase: 'chatted' });
  await sleep(2000);
  send({ phase: 'done', ackMs, lost: acked.filter((id) => !received.has(id)).length, unacked: n - ackMs.length });
  for (const s of sockets) s.disconnect();
}

process.once('message', (c: FloorGeneratorConfig) => void run(c).catch((e: unknown) => {
  process.stderr.write(`floor generator failed: ${String(e)}\n`);
  process.exit(1);
}));
