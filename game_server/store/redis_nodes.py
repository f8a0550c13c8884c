"""Server-process liveness in Redis (rule S12 of store.base), mixed into `RedisStore`.

Keys (`P` = prefix):

    P {nodes}:alive        zset  node -> heartbeat expiry (Redis time, seconds)
    P {nodes}:lost         zset  claimed dead node -> end of the sweeper's lease
    P node:{<node>}:rooms  zset  room code -> when it was last indexed under the node (Redis time)

The two node sets share the hash tag `{nodes}` (one Cluster slot), so the heartbeat and claim scripts
touch one slot; a node's room index is touched by single-key scripts. Every script reads Redis's own
clock (TIME), so the processes' clocks need not agree. A node index expires a room TTL after its last
write (its rooms are gone by then anyway).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from game_server.store.base import DEFAULT_ROOM_TTL
from game_server.store.redis_support import guarded, ms

# Redis's clock in seconds (a float), for the liveness scripts (S12).
_NOW = """
local function now()
  local t = redis.call('TIME')
  return tonumber(t[1]) + tonumber(t[2]) / 1000000
end
"""

# S12 heartbeat: KEYS = alive, lost; ARGV = node, ttl seconds. Returns 1 if the node was alive, 0 for a
# first beat, -1 (and no refresh) for a node presumed dead: expired, or claimed by a sweeper.
_BEAT = _NOW + """
local t = now()
if redis.call('ZSCORE', KEYS[2], ARGV[1]) then return -1 end
local expires = redis.call('ZSCORE', KEYS[1], ARGV[1])
if expires and tonumber(expires) <= t then return -1 end
redis.call('ZADD', KEYS[1], t + tonumber(ARGV[2]), ARGV[1])
if expires then return 1 end
return 0
"""

# S12 room index: KEYS = the node's index; ARGV = keep seconds (entries older than this go; 0 = keep all),
# key ttl_ms, codes... Stamps the codes with Redis time.
_INDEX = _NOW + """
local t = now()
for i = 3, #ARGV do redis.call('ZADD', KEYS[1], t, ARGV[i]) end
if tonumber(ARGV[1]) > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. (t - tonumber(ARGV[1])))
end
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""

# S12 claim: KEYS = alive, lost; ARGV = lease seconds, limit. Expired nodes move to `lost` with a lease;
# lost nodes whose lease ran out (their sweeper died) are leased again.
_CLAIM_NODES = _NOW + """
local t = now()
local limit = tonumber(ARGV[2])
local out = {}
for _, key in ipairs({KEYS[1], KEYS[2]}) do
  if #out >= limit then break end
  for _, n in ipairs(redis.call('ZRANGEBYSCORE', key, '-inf', t, 'LIMIT', 0, limit - #out)) do
    redis.call('ZREM', KEYS[1], n)
    redis.call('ZADD', KEYS[2], t + tonumber(ARGV[1]), n)
    table.insert(out, n)
  end
end
return out
"""


class RedisLiveness:
    """S12 for `RedisStore` (which provides `_redis`, `prefix`, `_room` and calls `_init_liveness`)."""

    _redis: Any
    prefix: str
    _room: Callable[[str], str]  # the room key prefix of a code (validates the code)

    def _init_liveness(self) -> None:
        self._beat = self._redis.register_script(_BEAT)
        self._index = self._redis.register_script(_INDEX)
        self._claim_nodes = self._redis.register_script(_CLAIM_NODES)

    @property
    def _nodes(self) -> list[str]:
        """The alive and lost node sets (one hash slot)."""
        return [f"{self.prefix}{{nodes}}:alive", f"{self.prefix}{{nodes}}:lost"]

    def _node_index(self, node: str) -> str:
        if "{" in node or "}" in node:
            raise ValueError(f"node id {node!r} must not contain braces")
        return f"{self.prefix}node:{{{node}}}:rooms"

    # -- process liveness (S12) --------------------------------------------------------------------
    @guarded
    async def heartbeat(self, node: str, ttl: float, rooms: Iterable[str] = ()) -> bool:
        codes = list(rooms)
        for code in codes:
            self._room(code)  # validates the code
        state = int(await self._beat(keys=self._nodes, args=[node, repr(float(ttl))]))
        if state >= 0:
            args = [repr(float(ttl)), ms(DEFAULT_ROOM_TTL), *codes]
            await self._index(keys=[self._node_index(node)], args=args)
        return state == 1

    @guarded
    async def add_node_room(self, node: str, code: str) -> None:
        self._room(code)
        await self._index(keys=[self._node_index(node)], args=["0", ms(DEFAULT_ROOM_TTL), code])

    @guarded
    async def claim_dead_nodes(self, lease: float = 5.0, limit: int = 20) -> list[str]:
        if limit <= 0:
            return []
        return list(await self._claim_nodes(keys=self._nodes, args=[repr(float(lease)), int(limit)]))

    @guarded
    async def node_rooms(self, node: str) -> list[str]:
        return sorted(await self._redis.zrange(self._node_index(node), 0, -1))

    @guarded
    async def forget_node(self, node: str) -> None:
        alive, lost = self._nodes
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.zrem(alive, node)
            pipe.zrem(lost, node)
            pipe.delete(self._node_index(node))
            await pipe.execute()
