import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demo, next, request, startTestRelay, valueOf, whyEnded, type ClientSocket, type TestRelay } from '../../support/relay.js';

const script = fileURLToPath(new URL('../../support/sharer-process.ts', import.meta.url));

describe('a sharer whose browser vanishes', function () {
  let relay: TestRelay;
  let helper: ClientSocket;
  const children: ChildProcess[] = [];

  before(async () => {
    // A short reconnect grace: the helper hears at once that the sharer is away, and the end follows soon.
    relay = await startTestRelay({ RH_RECONNECT_GRACE_MS: '500' });
    helper = await relay.connect(demo.contosoHelper);
  });
  after(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await relay?.stop();
  });

  async function sharerProcessJoined(): Promise<{ child: ChildProcess; sessionId: string }> {
    const created = valueOf(await request(helper, 'session:create', {}));
    const caPath = join(relay.dataDir, 'ca-for-child.pem');
    writeFileSync(caPath, relay.caPem);
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      env: { ...process.env, RH_URL: relay.url, RH_TOKEN: await relay.token(demo.contosoSharer), RH_CA: caPath, RH_CODE: created.code },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    const first = await new Promise<string>((resolve, reject) => {
      child.stdout!.once('data', (d: Buffer) => resolve(d.toString()));
      child.once('exit', (code) => reject(new Error(`sharer process exited (${code})`)));
    });
    assert.deepEqual(JSON.parse(first), { joined: true });
    return { child, sessionId: created.sessionId };
  }

  /** The helper hears the sharer is away (its connection) within 10 s, then the end once the grace is over. */
  async function helperTold(sessionId: string, what: string, t0: number): Promise<void> {
    const awayP = next(helper, 'session:peer', (p) => p.sessionId === sessionId, 10_000);
    const endedP = next(helper, 'session:ended', (e) => e.sessionId === sessionId, 20_000);
    const away = await awayP;
    console.log(`      helper told ${Date.now() - t0} ms after the ${what}`);
    assert.deepEqual([away.role, away.present, away.away], ['sharer', false, 'connection']);
    const ended = await endedP;
    assert.deepEqual(whyEnded(ended), { sessionId, by: 'sharer', reason: 'connection-lost' });
  }

  it('killed outright: the helper is told within 10 s', async () => {
    const { child, sessionId } = await sharerProcessJoined();
    const t0 = Date.now();
    const told = helperTold(sessionId, 'kill', t0);
    child.kill('SIGKILL');
    await told;
  });

  it('frozen without a goodbye (no packets at all): the helper is told within 10 s', async () => {
    const { child, sessionId } = await sharerProcessJoined();
    const t0 = Date.now();
    const told = helperTold(sessionId, 'freeze', t0);
    child.kill('SIGSTOP');
    await told;
    child.kill('SIGKILL');
  });
});
