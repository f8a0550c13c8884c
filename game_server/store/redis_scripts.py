"""The Lua scripts of the Redis room store (game_server/store/redis.py), one per atomic operation.

Each script touches only keys of one room (hash tag `{CODE}`) or one global key, so it stays in one
Cluster slot. Rule IDs refer to game_server/store/base.py.
"""

from __future__ import annotations

# Refresh the TTL of every key of one room: state, the turn set and each turn's stroke list and log
# bookkeeping (`<room>:strokes:<t>` and `<room>:log:<t>`; the log prefix is derived from the strokes one).
# KEYS[1] = state, KEYS[2] = turns; ttl_ms and the stroke-key prefix come in as arguments.
TOUCH = """
local function touch(state, turns, ttl, strokes_prefix)
  redis.call('PEXPIRE', state, ttl)
  redis.call('PEXPIRE', turns, ttl)
  local log_prefix = string.sub(strokes_prefix, 1, -9) .. 'log:'
  for _, t in ipairs(redis.call('SMEMBERS', turns)) do
    redis.call('PEXPIRE', strokes_prefix .. t, ttl)
    redis.call('PEXPIRE', log_prefix .. t, ttl)
  end
end
"""

# S1: ARGV = data, first version, ttl_ms, strokes prefix. Returns 1 if created, 0 if the code is taken.
CREATE = TOUCH + """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'd', ARGV[1], 'v', ARGV[2])
touch(KEYS[1], KEYS[2], ARGV[3], ARGV[4])
return 1
"""

# S3: ARGV = expected version, data, ttl_ms, strokes prefix.
# Returns {1, new version} or {0, found version or false}. HINCRBY keeps versions exact integers
# (Lua numbers are doubles and Redis would format large ones in exponent notation).
SAVE = TOUCH + """
local found = redis.call('HGET', KEYS[1], 'v')
if found ~= ARGV[1] then return {0, found} end
redis.call('HSET', KEYS[1], 'd', ARGV[2])
local v = redis.call('HINCRBY', KEYS[1], 'v', 1)
touch(KEYS[1], KEYS[2], ARGV[3], ARGV[4])
return {1, v}
"""

# S5: KEYS = state, turns, the turn's list; ARGV = ttl_ms, strokes prefix, turn key, items...
# Pushes in chunks: unpack() of thousands of values would overflow Lua's C stack.
APPEND = TOUCH + """
local n = redis.call('LLEN', KEYS[3])
for i = 4, #ARGV, 1000 do
  n = redis.call('RPUSH', KEYS[3], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
redis.call('SADD', KEYS[2], ARGV[3])
touch(KEYS[1], KEYS[2], ARGV[1], ARGV[2])
return n
"""

# S13: KEYS = state, turns, the turn's list, the turn's log hash;
# ARGV = room version, seq, base meta, new meta, ttl_ms, turn key, items...
# Returns {status, index or counter, stored meta}. Only this log's keys (and the room's state and turn
# set) are refreshed: every room save refreshes the rest, so a batch costs O(1) whatever the room's age.
APPEND_BATCH = """
local counter = tonumber(redis.call('HGET', KEYS[4], 'n') or '0')
local stored = redis.call('HGET', KEYS[4], 'm') or ''
if redis.call('HGET', KEYS[1], 'v') ~= ARGV[1] then return {'stale', counter, stored} end
local seq = tonumber(ARGV[2])
if seq < counter then return {'dup', counter, stored} end
if seq > counter then return {'ahead', counter, stored} end
if stored ~= ARGV[3] or ARGV[4] == '' then return {'changed', counter, stored} end
local index = redis.call('LLEN', KEYS[3])
for i = 7, #ARGV, 1000 do
  redis.call('RPUSH', KEYS[3], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
redis.call('HSET', KEYS[4], 'n', seq + 1, 'm', ARGV[4])
redis.call('SADD', KEYS[2], ARGV[6])
for i = 1, 4 do redis.call('PEXPIRE', KEYS[i], ARGV[5]) end
return {'ok', index, ARGV[4]}
"""

# S6: KEYS[1] = deadlines; ARGV = now, lease-until, limit. Claims and pushes back in one step, so two
# processes polling at once never get the same room within a lease.
CLAIM = """
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, code in ipairs(due) do
  redis.call('ZADD', KEYS[1], 'XX', ARGV[2], code)
end
return due
"""

# Forget claimed deadlines of rooms that no longer exist, unless someone set a new deadline since.
# KEYS[1] = deadlines; ARGV = the lease-until score the claim wrote, codes...
DROP_CLAIMED = """
for i = 2, #ARGV do
  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if score and tonumber(score) == tonumber(ARGV[1]) then redis.call('ZREM', KEYS[1], ARGV[i]) end
end
return 0
"""

# S9: KEYS = state, turns; ARGV = strokes prefix, log prefix.
DELETE = """
for _, t in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  redis.call('DEL', ARGV[1] .. t, ARGV[2] .. t)
end
return redis.call('DEL', KEYS[1], KEYS[2])
"""
