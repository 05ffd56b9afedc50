// The Lua scripts of the Redis session store (redis-session-store.ts). Redis runs a script as one step,
// so what each does cannot interleave with another node's call: that is the store's atomicity. They
// are run by their hash (EVALSHA), the text sent only to a Redis that does not know it yet
// (redis-script.ts): with the index kept in step, a script is one to two kilobytes.
//
// One node of Redis is assumed (DESIGN §12): a few keys are named inside the scripts (the code key kept
// in a session's hash, the keys of purged sessions), which a Redis Cluster would refuse.

/** Keeps the indexes in step with a session written by the caller. KEYS[1..5]: session, created,
 * live, ended, away. ARGV from `ix`: id, class ('created' | 'live' | 'terminal'), expiresAt, endedAt,
 * helper's grace end or '', sharer's grace end or '', colleague's grace end or '', index TTL, the nodes
 * of the record's owners (comma-separated, added to the session's `nodes`, which only grows). `prev`
 * and `state`: the session's state before this write (false for a new one) and after it. Besides the
 * live index, each state a session is not ended in has a set of its own, the live index's key with
 * ':<state>' (liveByState counts them with SCARD, whatever the number of sessions). */
const indexSession = `
local function index(ix, prev, state)
  local id, class = ARGV[ix], ARGV[ix + 1]
  if prev and prev ~= state then redis.call('SREM', KEYS[3] .. ':' .. prev, id) end
  if class ~= 'terminal' then
    redis.call('SADD', KEYS[3] .. ':' .. state, id)
    redis.call('PEXPIRE', KEYS[3] .. ':' .. state, ARGV[ix + 7])
  end
  if class == 'created' then redis.call('ZADD', KEYS[2], ARGV[ix + 2], id) else redis.call('ZREM', KEYS[2], id) end
  if class == 'terminal' then
    redis.call('SREM', KEYS[3], id)
    redis.call('ZADD', KEYS[4], ARGV[ix + 3], id)
  else
    redis.call('SADD', KEYS[3], id)
  end
  local graces = { helper = ARGV[ix + 4], sharer = ARGV[ix + 5], colleague = ARGV[ix + 6] }
  for role, grace in pairs(graces) do
    if grace ~= '' and class ~= 'terminal' then redis.call('ZADD', KEYS[5], grace, id .. '|' .. role)
    else redis.call('ZREM', KEYS[5], id .. '|' .. role) end
  end
  for i = 2, 5 do redis.call('PEXPIRE', KEYS[i], ARGV[ix + 7]) end
  local known = redis.call('HGET', KEYS[1], 'nodes') or ''
  local grown = known
  for node in string.gmatch(ARGV[ix + 8] or '', '[^,]+') do
    if not string.find(',' .. grown .. ',', ',' .. node .. ',', 1, true) then grown = grown == '' and node or grown .. ',' .. node end
  end
  if grown ~= known then redis.call('HSET', KEYS[1], 'nodes', grown) end
end
`;

/** Stores a new session under a free code. KEYS: the five of `index`, then the code. ARGV: record
 * JSON, state, TTL, then index's. Answers 0 when the code is taken. */
export const insertScript = `${indexSession}
if redis.call('EXISTS', KEYS[6]) == 1 then return 0 end
redis.call('HSET', KEYS[6], 'sessionId', ARGV[4], 'expiresAt', ARGV[6], 'used', '0')
redis.call('PEXPIRE', KEYS[6], ARGV[3])
redis.call('HSET', KEYS[1], 'r', ARGV[1], 'state', ARGV[2], 'code', KEYS[6])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
index(4, false, ARGV[2])
return 1
`;

/** Compare-and-set: writes the record only if it is still exactly the one read. KEYS: the five of
 * `index`. ARGV: expected JSON, new JSON, state, TTL, then index's. Answers 0 on a conflict. */
export const replaceScript = `${indexSession}
if redis.call('HGET', KEYS[1], 'r') ~= ARGV[1] then return 0 end
local prev = redis.call('HGET', KEYS[1], 'state')
redis.call('HSET', KEYS[1], 'r', ARGV[2], 'state', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
-- The code answers code-used (not code-invalid) as long as its session is remembered.
local code = redis.call('HGET', KEYS[1], 'code')
if code then redis.call('PEXPIRE', code, ARGV[4]) end
index(5, prev, ARGV[3])
return 1
`;

/** KEYS[1]: the code. ARGV[1]: now. Marks a valid code used; 0 when used, expired or unknown. */
export const claimScript = `
local v = redis.call('HMGET', KEYS[1], 'used', 'expiresAt')
if not v[1] or v[1] == '1' or tonumber(ARGV[1]) >= tonumber(v[2]) then return 0 end
redis.call('HSET', KEYS[1], 'used', '1')
return 1
`;

/** KEYS: session, chat list, dedupe hash. ARGV: dedupe key, message JSON (without seq), max, TTL,
 * the bytes of chat held, then the terminal states. Answers {'ended'}, {'unjoined'} (state created), {'full'}, {'found', seq, json}
 * ({'found', seq} when that message was dropped since) or {'added', seq, nodes} (the session's `nodes`, read
 * in this step: a node that joins after it reads the message in its resume). The list holds the messages
 * still held, seq `#first` onwards; the dedupe hash keeps besides its keys (never starting with '#')
 * `#n` (messages ever appended: the last seq), `#first` and `#bytes` (the list's weight). Past the
 * bytes held the oldest are dropped, the newest always kept. A seq is assigned in the same step as the
 * append. A thread written before `#n` existed is read as it was: seq = place in the list. */
export const appendChatScript = `
local s = redis.call('HMGET', KEYS[1], 'state', 'nodes')
local state = s[1]
if not state then return {'ended'} end
for i = 6, #ARGV do if ARGV[i] == state then return {'ended'} end end
if state == 'created' then return {'unjoined'} end
local first = tonumber(redis.call('HGET', KEYS[3], '#first') or '1')
local seq = redis.call('HGET', KEYS[3], ARGV[1])
if seq then
  local at = tonumber(seq) - first
  if at < 0 then return {'found', seq} end
  return {'found', seq, redis.call('LINDEX', KEYS[2], at)}
end
local n = tonumber(redis.call('HGET', KEYS[3], '#n') or redis.call('LLEN', KEYS[2]))
if n >= tonumber(ARGV[3]) then return {'full'} end
local len = redis.call('RPUSH', KEYS[2], ARGV[2])
local held = tonumber(redis.call('HGET', KEYS[3], '#bytes') or '0') + string.len(ARGV[2])
local cap = tonumber(ARGV[5])
while held > cap and len > 1 do
  held = held - string.len(redis.call('LPOP', KEYS[2]))
  first = first + 1
  len = len - 1
end
redis.call('HSET', KEYS[3], ARGV[1], n + 1, '#n', n + 1, '#first', first, '#bytes', held)
redis.call('PEXPIRE', KEYS[2], ARGV[4])
redis.call('PEXPIRE', KEYS[3], ARGV[4])
return {'added', tostring(n + 1), s[2] or ''}
`;

/** KEYS: chat list, dedupe hash. ARGV: afterSeq, max bytes. One page of the held chat after afterSeq,
 * read in the server so a page never costs more than itself on the wire: {first held seq, seq of the
 * page's first message, more (0/1), json…}. */
export const chatPageScript = `
local first = tonumber(redis.call('HGET', KEYS[2], '#first') or '1')
local len = redis.call('LLEN', KEYS[1])
local at = math.max(0, tonumber(ARGV[1]) + 1 - first)
local max = tonumber(ARGV[2])
local out = {tostring(first), tostring(first + at), '0'}
local bytes = 0
while at < len do
  local chunk = redis.call('LRANGE', KEYS[1], at, at + 63)
  for _, m in ipairs(chunk) do
    if #out > 3 and bytes + string.len(m) > max then
      out[3] = '1'
      return out
    end
    out[#out + 1] = m
    bytes = bytes + string.len(m)
  end
  at = at + #chunk
end
return out
`;

/** KEYS[1]: the ended index. ARGV: before, prefix. Forgets sessions that ended before `before` with
 * their chat, and their code when it expired before then too (else it goes with its TTL). */
export const purgeScript = `
local before = tonumber(ARGV[1])
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])
for _, id in ipairs(ids) do
  local s = ARGV[2] .. 's:' .. id
  local code = redis.call('HGET', s, 'code')
  if code then
    local expires = redis.call('HGET', code, 'expiresAt')
    if expires and tonumber(expires) < before then redis.call('DEL', code) end
  end
  redis.call('DEL', s, ARGV[2] .. 'chat:' .. id, ARGV[2] .. 'chatkey:' .. id)
  redis.call('ZREM', KEYS[1], id)
end
return #ids
`;
