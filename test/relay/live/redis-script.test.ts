// The Redis scripts run by their hash, with the text sent only to a Redis that does not know it (a fresh
// one, or one whose script cache was flushed, as a restart does): the answer is the same either way, and
// a script's own error is not mistaken for an unknown script.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { runScript } from '#relay/live/redis-script.js';
import { useRedis } from '../../support/redis-server.js';

describe('Redis scripts by their hash', () => {
  const redis = useRedis();

  it('answers the same on a Redis that knows the script, one that never saw it, and one that forgot it', async () => {
    // A script text of its own, so no other test has taught it to this Redis.
    const script = `-- ${randomUUID()}\nreturn redis.call('INCRBY', KEYS[1], ARGV[1])`;
    const key = `rh-script-test:${randomUUID()}`;
    assert.equal(await runScript(redis.client, script, [key], [2]), 2, 'unknown: sent as text');
    const calls = async (command: string) => Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(await redis.client.info('commandstats'))?.[1] ?? 0);
    const [evalsBefore, byHashBefore] = [await calls('eval'), await calls('evalsha')];
    assert.equal(await runScript(redis.client, script, [key], [3]), 5, 'known: by its hash');
    assert.deepEqual([await calls('eval') - evalsBefore, await calls('evalsha') - byHashBefore], [0, 1], 'the text was sent again');
    await redis.client.scriptFlush();
    assert.equal(await runScript(redis.client, script, [key], [4]), 9, 'forgotten: sent as text again');
  });

  it('passes a script\u2019s own error on', async () => {
    await assert.rejects(runScript(redis.client, `-- ${randomUUID()}\nreturn redis.error_reply('BROKEN on purpose')`, [], []), /BROKEN on purpose/);
  });
});
