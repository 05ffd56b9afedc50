// Runs a Lua script by its SHA-1 (EVALSHA), sending its text (EVAL) only when this Redis does not know
// it yet (NOSCRIPT: a fresh or restarted Redis), which also teaches it the script. The session store
// runs a script of one to two kilobytes for every chat message and every state change, so sending the
// text each time (as plain EVAL does) was most of what a relay node wrote to Redis.
import { createHash } from 'node:crypto';
import type { RedisClient } from './redis-client.js';

const shas = new Map<string, string>();
const shaOf = (script: string): string => {
  let sha = shas.get(script);
  if (!sha) shas.set(script, (sha = createHash('sha1').update(script).digest('hex')));
  return sha;
};

export async function runScript(redis: RedisClient, script: string, keys: string[], args: (string | number)[]): Promise<unknown> {
  const options = { keys, arguments: args.map(String) };
  try {
    return await redis.evalSha(shaOf(script), options);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return redis.eval(script, options);
  }
}
