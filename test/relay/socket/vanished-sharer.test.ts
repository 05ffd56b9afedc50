import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demo, next, request, startTestRelay, valueOf, type ClientSocket, type TestRelay } from '../../support/relay.js';

const script = fileURLToPath(new URL('../../support/sharer-process.ts', import.meta.url));

describe('a sharer whose browser vanishes', function () {
  let relay: TestRelay;
  let helper: ClientSocket;
  const children: ChildProcess[] = [];

  before(async () => {
    relay = await startTestRelay();
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

  it('killed outright: the helper is told within 10 s', async () => {
    const { child, sessionId } = await sharerProcessJoined();
    const told = next(helper, 'session:ended', (e) => e.sessionId === sessionId, 10_000);
    const t0 = Date.now();
    child.kill('SIGKILL');
    assert.deepEqual(await told, { sessionId, by: 'sharer', reason: 'left' });
    console.log(`      helper told ${Date.now() - t0} ms after the kill`);
  });

  it('frozen without a goodbye (no packets at all): the helper is told within 10 s', async () => {
    const { child, sessionId } = await sharerProcessJoined();
    const told = next(helper, 'session:ended', (e) => e.sessionId === sessionId, 10_000);
    const t0 = Date.now();
    child.kill('SIGSTOP');
    assert.deepEqual(await told, { sessionId, by: 'sharer', reason: 'left' });
    console.log(`      helper told ${Date.now() - t0} ms after the freeze`);
    child.kill('SIGKILL');
  });
});
