"""The store contract (rules S1-S15 of game_server/store/base.py), one suite for every implementation.

Each test names the rule it checks. `backend` runs every test against the in-memory store and against
a real Redis (tests/conftest.py); `peer()` gives a second store on the same data (for Redis: a second
connection pool, as a second server process would have; for memory: the same object, since the memory
store is single-process by design). `advance(s)` lets time pass: a fake clock for memory, real
sleeping with short TTLs for Redis.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from game_server.store.base import RoomStore, StoreUnavailable, VersionConflict
from game_server.store.memory import MemoryStore
from game_server.store.redis import RedisStore


@dataclass
class Backend:
    name: str
    store: RoomStore
    advance: Callable[[float], Awaitable[None]]
    make_peer: Callable[[], Awaitable[RoomStore]]
    peers: list[RoomStore] = field(default_factory=list)

    async def peer(self) -> RoomStore:
        store = await self.make_peer()
        self.peers.append(store)
        return store


_codes = itertools.count()


def new_code() -> str:
    return f"C{next(_codes):04d}x{int(time.time() * 1000) % 100000}"


@pytest.fixture(params=["memory", "redis"])
async def backend(request: pytest.FixtureRequest) -> AsyncIterator[Backend]:
    if request.param == "memory":
        now = [1000.0]

        async def advance(seconds: float) -> None:
            now[0] += seconds

        store = MemoryStore(clock=lambda: now[0])

        async def same() -> RoomStore:
            return store

        yield Backend("memory", store, advance, same)
        return
    url = request.getfixturevalue("redis_url")
    prefix = request.getfixturevalue("redis_prefix")
    store = await RedisStore.connect(url, prefix)

    async def second() -> RoomStore:
        return await RedisStore.connect(url, prefix)

    result = Backend("redis", store, asyncio.sleep, second)
    yield result
    for other in [store, *result.peers]:
        await other.close()


# -- S1 create -----------------------------------------------------------------------------------
async def test_s1_create_only_if_code_is_free(backend: Backend) -> None:
    store, code = backend.store, new_code()
    assert await store.create_room(code, {"n": 1}) is True
    assert await store.create_room(code, {"n": 2}) is False
    room, _ = await store.load(code)
    assert room == {"n": 1}


async def test_s1_concurrent_creates_of_one_code_let_exactly_one_win(backend: Backend) -> None:
    stores = [backend.store, await backend.peer(), await backend.peer()]
    code = new_code()
    results = await asyncio.gather(*(stores[i % 3].create_room(code, {"by": i}) for i in range(12)))
    assert results.count(True) == 1
    winner = results.index(True)
    assert (await backend.store.load(code))[0] == {"by": winner}


# -- S2 load ---------------------------------------------------------------------------------------
async def test_s2_load_missing_is_none_and_versions_grow(backend: Backend) -> None:
    store, code = backend.store, new_code()
    assert await store.load(code) is None
    await store.create_room(code, {"n": 0, "nested": {"a": [1, "é", None, True]}})
    room, v1 = await store.load(code)
    assert room == {"n": 0, "nested": {"a": [1, "é", None, True]}}
    assert isinstance(v1, int)
    v2 = await store.save(code, {"n": 1}, v1)
    v3 = await store.save(code, {"n": 2}, v2)
    assert v1 < v2 < v3
    assert await store.load(code) == ({"n": 2}, v3)


async def test_s2_loaded_room_is_a_copy(backend: Backend) -> None:
    store, code = backend.store, new_code()
    await store.create_room(code, {"players": ["a"]})
    room, _ = await store.load(code)
    room["players"].append("mutated")
    assert (await store.load(code))[0] == {"players": ["a"]}


# -- S3 compare-and-set ---------------------------------------------------------------------------------
async def test_s3_stale_version_conflicts_and_writes_nothing(backend: Backend) -> None:
    store, code = backend.store, new_code()
    await store.create_room(code, {"n": 0})
    _, v1 = await store.load(code)
    v2 = await store.save(code, {"n": 1}, v1)
    with pytest.raises(VersionConflict):
        await store.save(code, {"n": 99}, v1)
    assert await store.load(code) == ({"n": 1}, v2)


async def test_s3_save_of_missing_room_conflicts(backend: Backend) -> None:
    store, code = backend.store, new_code()
    with pytest.raises(VersionConflict):
        await store.save(code, {"n": 1}, 1)
    assert await store.load(code) is None


async def test_s3_unserializable_room_leaves_stored_one_intact(backend: Backend) -> None:
    store, code = backend.store, new_code()
    await store.create_room(code, {"n": 0})
    before = await store.load(code)
    with pytest.raises(TypeError):
        await store.save(code, {"n": {1, 2}}, before[1])
    assert await store.load(code) == before


async def test_s3_concurrent_saves_of_one_version_let_exactly_one_win(backend: Backend) -> None:
    stores = [backend.store, await backend.peer()]
    code = new_code()
    await backend.store.create_room(code, {"n": 0})
    _, version = await backend.store.load(code)

    async def attempt(i: int) -> bool:
        try:
            await stores[i % 2].save(code, {"n": i}, version)
        except VersionConflict:
            return False
        return True

    results = await asyncio.gather(*(attempt(i) for i in range(10)))
    assert results.count(True) == 1
    assert (await backend.store.load(code))[0] == {"n": results.index(True)}


# -- S2/S3 as a read-modify-write loop (the shell's runtime.run is such a loop; S4 is retired) ------------
def _increment(room: dict[str, Any]) -> tuple[dict[str, Any], int]:
    new = {**room, "n": room["n"] + 1}
    return new, new["n"]


async def cas_update(store: RoomStore, code: str, fn: Any = _increment) -> tuple[dict[str, Any], int] | None:
    """load, fn, save(expected version), retry on VersionConflict: what handlers/runtime.run does."""
    while True:
        loaded = await store.load(code)
        if loaded is None:
            return None
        new, result = fn(loaded[0])
        try:
            await store.save(code, new, loaded[1])
        except VersionConflict:
            continue
        return new, result


async def test_s3_read_modify_write_applies_fn_and_returns_its_result(backend: Backend) -> None:
    store, code = backend.store, new_code()
    assert await cas_update(store, code) is None  # missing room
    await store.create_room(code, {"n": 41})
    room, result = await cas_update(store, code)
    assert room == {"n": 42} and result == 42
    assert (await store.load(code))[0] == {"n": 42}


async def test_s3_concurrent_read_modify_writes_from_several_stores_lose_nothing(backend: Backend) -> None:
    stores = [backend.store, await backend.peer(), await backend.peer()]
    code = new_code()
    await backend.store.create_room(code, {"n": 0})
    per_store = 40
    results = await asyncio.gather(
        *(cas_update(stores[i % len(stores)], code) for i in range(per_store * len(stores)))
    )
    total = per_store * len(stores)
    assert (await backend.store.load(code))[0] == {"n": total}
    # Every increment saw a distinct predecessor: the results are exactly 1..total.
    assert sorted(result for _, result in results) == list(range(1, total + 1))


async def test_s3_read_modify_write_retries_fn_after_a_conflicting_write(backend: Backend) -> None:
    store, other = backend.store, await backend.peer()
    code = new_code()
    await store.create_room(code, {"n": 0})
    calls: list[int] = []
    original_load = store.load

    async def load_then_interfere(c: str) -> Any:
        loaded = await original_load(c)
        if not calls:  # first attempt: another writer commits between our load and our save
            calls.append(loaded[0]["n"])
            await other.save(c, {"n": 10}, loaded[1])
        return loaded

    store.load = load_then_interfere  # type: ignore[method-assign]
    try:
        room, result = await cas_update(store, code)
    finally:
        del store.load
    assert room == {"n": 11} and result == 11


# -- S5 strokes -----------------------------------------------------------------------------------------
async def test_s5_append_returns_length_and_keeps_order(backend: Backend) -> None:
    store, code = backend.store, new_code()
    await store.create_room(code, {})
    assert await store.append_strokes(code, "t1", [{"s": 0}, {"s": 1}]) == 2
    assert await store.append_strokes(code, "t1", [{"s": 2, "pts": [[1.5, 2], [3, 4]]}]) == 3
    assert await store.append_strokes(code, "t1", []) == 3
    assert await store.get_strokes(code, "t1") == [{"s": 0}, {"s": 1}, {"s": 2, "pts": [[1.5, 2], [3, 4]]}]
    assert await store.get_strokes(code, "t1", 1) == [{"s": 1}, {"s": 2, "pts": [[1.5, 2], [3, 4]]}]
    assert await store.get_strokes(code, "t1", 0, 2) == [{"s": 0}, {"s": 1}]
    assert await store.get_strokes(code, "t1", 2, 2) == []
    assert await store.get_strokes(code, "t1", 5) == []
    assert await store.get_strokes(code, "t1", -1) == [{"s": 2, "pts": [[1.5, 2], [3, 4]]}]


async def test_s5_turns_and_rooms_never_mix(backend: Backend) -> None:
    store, a, b = backend.store, new_code(), new_code()
    await store.create_room(a, {})
    await store.create_room(b, {})
    await store.append_strokes(a, "t1", ["a1"])
    await store.append_strokes(a, "t2", ["a2"])
    await store.append_strokes(b, "t1", ["b1"])
    assert await store.get_strokes(a, "t1") == ["a1"]
    assert await store.get_strokes(a, "t2") == ["a2"]
    assert await store.get_strokes(b, "t1") == ["b1"]
    assert await store.get_strokes(b, "t3") == []


async def test_s5_concurrent_appends_keep_each_batch_whole_and_in_order(backend: Backend) -> None:
    stores = [backend.store, await backend.peer()]
    code = new_code()
    await backend.store.create_room(code, {})
    writers, batches, size = 6, 15, 4

    async def writer(w: int) -> list[int]:
        lengths = []
        for b in range(batches):
            items = [[w, b, i] for i in range(size)]
            lengths.append(await stores[w % 2].append_strokes(code, "t", items))
        return lengths

    lengths = await asyncio.gather(*(writer(w) for w in range(writers)))
    total = writers * batches * size
    items = await backend.store.get_strokes(code, "t")
    assert len(items) == total
    assert sorted(itertools.chain.from_iterable(lengths))[-1] == total
    for start in range(0, total, size):  # every batch is contiguous and intact
        batch = items[start : start + size]
        assert [it[2] for it in batch] == list(range(size))
        assert len({(it[0], it[1]) for it in batch}) == 1
    for w in range(writers):  # one writer's batches stay in its order
        assert [it[1] for it in items if it[0] == w and it[2] == 0] == list(range(batches))


# -- S6 deadlines ---------------------------------------------------------------------------------------
async def test_s6_set_deadline_replaces_and_clears(backend: Backend) -> None:
    store, code = backend.store, new_code()
    await store.create_room(code, {})
    await store.set_deadline(code, 100.0)
    await store.set_deadline(code, 200.0)  # replaces
    assert await store.claim_due(150.0) == []
    assert await store.claim_due(200.0, lease=5.0) == [code]
    await store.set_deadline(code, 300.0)
    await store.set_deadline(code, None)
    assert await store.claim_due(10_000.0) == []


async def test_s6_claim_is_ordered_limited_and_leased(backend: Backend) -> None:
    store = backend.store
    codes = [new_code() for _ in range(4)]
    for i, code in enumerate(codes):
        await store.create_room(code, {})
        await store.set_deadline(code, 100.0 + (3 - i))  # codes[3] is due first
    assert await store.claim_due(99.0) == []
    assert await store.claim_due(110.0, lease=10.0, limit=2) == [codes[3], codes[2]]
    assert await store.claim_due(110.0, lease=10.0, limit=10) == [codes[1], codes[0]]
    assert await store.claim_due(115.0, lease=10.0) == []  # all leased until 120
    # A claimer that died: after the lease the rooms come due again, once.
    assert sorted(await store.claim_due(120.0, lease=10.0)) == sorted(codes)
    assert await store.claim_due(120.0, lease=10.0) == []
    assert await store.claim_due(110.0, limit=0) == []


async def test_s6_concurrent_claimers_claim_each_room_exactly_once(backend: Backend) -> None:
    stores = [backend.store, await backend.peer(), await backend.peer()]
    codes = [new_code() for _ in range(40)]
    for code in codes:
        await backend.store.create_room(code, {})
        await backend.store.set_deadline(code, 50.0)

    async def poller(i: int) -> list[str]:
        got: list[str] = []
        for _ in range(6):
            got += await stores[i % 3].claim_due(100.0, lease=60.0, limit=3)
            await asyncio.sleep(0)
        return got

    claims = await asyncio.gather(*(poller(i) for i in range(9)))
    flat = list(itertools.chain.from_iterable(claims))
    assert sorted(flat) == sorted(codes)  # every room claimed, none twice


async def test_s6_new_deadline_during_lease_is_kept(backend: Backend) -> None:
    store, code = backend.store, new_code()
    await store.create_room(code, {})
    await store.set_deadline(code, 100.0)
    assert await store.claim_due(100.0, lease=30.0) == [code]
    await store.set_deadline(code, 105.0)  # the firing process saved the next deadline
    assert await store.claim_due(106.0, lease=30.0) == [code]


# -- S7 sessions ----------------------------------------------------------------------------------------
async def test_s7_sessions_put_get_delete(backend: Backend) -> None:
    store = backend.store
    token = f"tok-{new_code()}"
    assert await store.get_session(token) is None
    await store.put_session(token, {"room": "ABCD", "player": "p1"}, ttl=60)
    assert await store.get_session(token) == {"room": "ABCD", "player": "p1"}
    peer = await backend.peer()
    assert await peer.get_session(token) == {"room": "ABCD", "player": "p1"}
    await store.put_session(token, {"room": "ABCD", "player": "p2"}, ttl=60)
    assert await store.get_session(token) == {"room": "ABCD", "player": "p2"}
    await store.delete_session(token)
    assert await store.get_session(token) is None
    await store.delete_session(token)  # idempotent


async def test_s7_sessions_expire_after_ttl(backend: Backend) -> None:
    store = backend.store
    short, long = f"s-{new_code()}", f"l-{new_code()}"
    await store.put_session(short, {"x": 1}, ttl=0.3)
    await store.put_session(long, {"x": 2}, ttl=30)
    await backend.advance(0.1)
    assert await store.get_session(short) == {"x": 1}
    await backend.advance(0.35)
    assert await store.get_session(short) is None
    assert await store.get_session(long) == {"x": 2}


# -- S8 public index ----------------------------------------------------------------------------------
async def test_s8_public_rooms_fullest_first_and_removed_when_full(backend: Backend) -> None:
    store = backend.store
    a, b, c = new_code(), new_code(), new_code()
    for code in (a, b, c):
        await store.create_room(code, {})
    mine = {a, b, c}
    await store.set_public(a, 5)
    await store.set_public(b, 1)
    await store.set_public(c, 3)
    assert [x for x in await store.find_public() if x in mine] == [b, c, a]
    await store.set_public(b, 0)  # full
    await store.set_public(a, 2)  # someone joined a
    assert [x for x in await store.find_public() if x in mine] == [a, c]
    await store.set_public(c, -1)
    assert [x for x in await store.find_public() if x in mine] == [a]


async def test_s8_public_index_is_shared_by_every_process(backend: Backend) -> None:
    one, two = backend.store, await backend.peer()
    a, b = new_code(), new_code()
    await one.create_room(a, {})
    await two.create_room(b, {})
    await one.set_public(a, 4)
    await two.set_public(b, 2)
    for store in (one, two):
        assert [x for x in await store.find_public() if x in {a, b}] == [b, a]
    await one.set_public(b, 0)  # process one fills a room process two created
    assert [x for x in await two.find_public() if x in {a, b}] == [a]


# -- S14 recent chat ----------------------------------------------------------------------------------------
async def test_s14_recent_chat_keeps_the_newest_in_order_per_room(backend: Backend) -> None:
    store, code, other = backend.store, new_code(), new_code()
    await store.create_room(code, {"n": 1})
    await store.create_room(other, {"n": 2})
    assert await store.recent_chat(code) == []
    for i in range(7):
        await store.append_chat(code, {"text": f"m{i}", "channel": "all"}, keep=5)
    await store.append_chat(other, {"text": "elsewhere"}, keep=5)
    assert [m["text"] for m in await store.recent_chat(code)] == ["m2", "m3", "m4", "m5", "m6"]
    assert await store.recent_chat(other) == [{"text": "elsewhere"}]
    peer = await backend.peer()  # another process sharing the store sees the same chat
    assert [m["text"] for m in await peer.recent_chat(code)] == ["m2", "m3", "m4", "m5", "m6"]
    await store.delete_room(code)  # S9: the chat goes with the room
    assert await store.recent_chat(code) == []


# -- S9 delete ----------------------------------------------------------------------------------------------
async def test_s9_delete_removes_everything_under_the_code(backend: Backend) -> None:
    store, code, other = backend.store, new_code(), new_code()
    await store.create_room(code, {"n": 1})
    await store.create_room(other, {"n": 2})
    await store.append_strokes(code, "t1", [1, 2])
    await store.append_strokes(code, "t2", [3])
    await store.append_strokes(other, "t1", [9])
    await store.set_deadline(code, 10.0)
    await store.set_deadline(other, 10.0)
    await store.set_public(code, 3)
    _, stale = await store.load(code)
    await store.delete_room(code)
    assert await store.load(code) is None
    assert await store.get_strokes(code, "t1") == []
    assert await store.get_strokes(code, "t2") == []
    assert code not in await store.find_public()
    assert await store.claim_due(20.0) == [other]
    assert await store.get_strokes(other, "t1") == [9]
    await store.delete_room(code)  # idempotent
    # The code can be used again, fresh, and a writer holding the old version cannot clobber it.
    assert await store.create_room(code, {"n": "new"}) is True
    assert await store.get_strokes(code, "t1") == []
    with pytest.raises(VersionConflict):
        await store.save(code, {"n": "stale"}, stale)
    assert (await store.load(code))[0] == {"n": "new"}


# -- S10 keys and expiry ---------------------------------------------------------------------------------
async def test_s10_room_strokes_deadline_and_index_expire_together(backend: Backend) -> None:
    store, code = backend.store, new_code()
    ttl = 0.6
    await store.create_room(code, {"n": 0}, ttl=ttl)
    await store.append_strokes(code, "t1", ["s"], ttl=ttl)
    await store.set_deadline(code, 10.0)
    await store.set_public(code, 2)
    await backend.advance(0.4)
    _, version = await store.load(code)
    await store.save(code, {"n": 1}, version, ttl=ttl)  # refreshes everything of the room
    await backend.advance(0.4)  # 0.8 s after creation, 0.4 s after the last write
    assert (await store.load(code))[0] == {"n": 1}
    assert await store.get_strokes(code, "t1") == ["s"]
    await store.append_strokes(code, "t1", ["s2"], ttl=ttl)  # an append refreshes too
    await backend.advance(0.4)
    assert (await store.load(code))[0] == {"n": 1}
    await backend.advance(0.5)
    assert await store.load(code) is None
    assert await store.get_strokes(code, "t1") == []
    assert code not in await store.claim_due(20.0)
    assert code not in await store.find_public()


@pytest.mark.parametrize("backend", ["redis"], indirect=True)  # key layout is a Redis property
async def test_s10_every_room_key_carries_the_hash_tag(backend: Backend) -> None:
    store: RedisStore = backend.store  # type: ignore[assignment]
    code = new_code()
    await store.create_room(code, {}, ttl=100)
    await store.append_strokes(code, "r1t1", [1], ttl=100)
    await store.append_strokes(code, "r1t2", [1], ttl=100)
    await store.set_deadline(code, 1.0)
    await store.set_public(code, 1)
    await store.put_session("tok", {}, ttl=100)
    client = store._redis
    keys = sorted([k async for k in client.scan_iter(match=f"{store.prefix}*")])
    room_keys = [k for k in keys if k.startswith(f"{store.prefix}room:")]
    assert room_keys and all(k.startswith(f"{store.prefix}room:{{{code}}}:") for k in room_keys)
    _, version = await store.load(code)
    assert (await store.append_batch(code, "r1t3", 0, [1], "", "m1", version, ttl=100)).status == "ok"
    room_keys = [k async for k in client.scan_iter(match=f"{store.prefix}room:*")]
    keys = sorted([k async for k in client.scan_iter(match=f"{store.prefix}*")])
    assert room_keys and all(k.startswith(f"{store.prefix}room:{{{code}}}:") for k in room_keys)
    assert len(room_keys) == 6  # state, turns, three stroke lists, one log's bookkeeping
    assert set(keys) - set(room_keys) == {
        f"{store.prefix}deadlines", f"{store.prefix}public", f"{store.prefix}session:tok"
    }
    for key in room_keys:  # every room key has a TTL, none lives forever
        assert 0 < await client.pttl(key) <= 100_000


# -- S13 atomic check-seq-and-append ---------------------------------------------------------------------
async def _version(store: RoomStore, code: str) -> int:
    loaded = await store.load(code)
    assert loaded is not None
    return loaded[1]


async def test_s13_append_batch_checks_seq_and_bookkeeping_in_one_step(backend: Backend) -> None:
    store, code = backend.store, new_code()
    await store.create_room(code, {"n": 0})
    v = await _version(store, code)
    first = await store.append_batch(code, "t1", 0, ["a", "b"], "", "m1", v)
    assert (first.status, first.index, first.meta) == ("ok", 0, "m1")
    dup = await store.append_batch(code, "t1", 0, ["a", "b"], "", "m1", v)  # a retried batch
    assert (dup.status, dup.index, dup.meta) == ("dup", 1, "m1")
    ahead = await store.append_batch(code, "t1", 2, ["x"], "m2", "m3", v)  # batch 1 is missing
    assert (ahead.status, ahead.meta) == ("ahead", "m1")
    changed = await store.append_batch(code, "t1", 1, ["x"], "stale", "m2", v)
    assert (changed.status, changed.meta) == ("changed", "m1")
    probe = await store.append_batch(code, "t1", 1, ["x"], "m1", "", v)  # no new bookkeeping: a probe
    assert probe.status == "changed"
    assert await store.get_strokes(code, "t1") == ["a", "b"]  # none of the refused calls wrote
    second = await store.append_batch(code, "t1", 1, [{"c": [1, 2]}], "m1", "m2", v)
    assert (second.status, second.index) == ("ok", 2)
    assert await store.get_strokes(code, "t1") == ["a", "b", {"c": [1, 2]}]
    assert await store.read_log_meta(code, "t1") == "m2" and await store.read_log_meta(code, "t2") == ""
    assert (await store.load(code))[1] == v  # the room was not rewritten


async def test_s13_a_changed_or_missing_room_refuses_the_batch(backend: Backend) -> None:
    store, code = backend.store, new_code()
    assert (await store.append_batch(code, "t1", 0, ["a"], "", "m1", 1)).status == "stale"
    await store.create_room(code, {"n": 0})
    v = await _version(store, code)
    v2 = await store.save(code, {"n": 1}, v)  # e.g. the turn ended
    assert (await store.append_batch(code, "t1", 0, ["a"], "", "m1", v)).status == "stale"
    assert await store.get_strokes(code, "t1") == [] and await store.read_log_meta(code, "t1") == ""
    assert (await store.append_batch(code, "t1", 0, ["a"], "", "m1", v2)).status == "ok"
    await store.delete_room(code)
    assert (await store.append_batch(code, "t1", 1, ["b"], "m1", "m2", v2)).status == "stale"
    assert await store.get_strokes(code, "t1") == [] and await store.read_log_meta(code, "t1") == ""


async def test_s13_concurrent_batches_of_one_seq_append_exactly_once(backend: Backend) -> None:
    store, code = backend.store, new_code()
    await store.create_room(code, {"n": 0})
    v = await _version(store, code)
    stores = [store, *[await backend.peer() for _ in range(3)]]
    for seq in range(5):
        base = "" if seq == 0 else f"m{seq}"
        results = await asyncio.gather(*(s.append_batch(code, "t", seq, [seq, seq], base, f"m{seq + 1}", v)
                                         for s in stores for _ in range(2)))
        assert sorted(r.status for r in results) == ["dup"] * 7 + ["ok"]
    assert await store.get_strokes(code, "t") == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]


async def test_s13_bookkeeping_is_deleted_and_expires_with_the_room(backend: Backend) -> None:
    store, code = backend.store, new_code()
    ttl = 0.6
    await store.create_room(code, {"n": 0}, ttl=ttl)
    v = await _version(store, code)
    await store.append_batch(code, "t1", 0, ["a"], "", "m1", v, ttl=ttl)
    await backend.advance(0.4)
    await store.append_batch(code, "t1", 1, ["b"], "m1", "m2", v, ttl=ttl)  # refreshes the room too
    await backend.advance(0.4)
    assert await store.read_log_meta(code, "t1") == "m2" and await store.load(code) is not None
    await backend.advance(0.5)
    assert await store.load(code) is None
    assert await store.read_log_meta(code, "t1") == "" and await store.get_strokes(code, "t1") == []
    other = new_code()
    await store.create_room(other, {"n": 0})
    await store.append_batch(other, "t1", 0, ["a"], "", "m1", await _version(store, other))
    await store.delete_room(other)
    assert await store.read_log_meta(other, "t1") == "" and await store.get_strokes(other, "t1") == []
    if backend.name == "redis":  # nothing of either room is left behind
        client = store._redis  # type: ignore[attr-defined]
        prefix = store.prefix  # type: ignore[attr-defined]
        for c in (code, other):
            assert [k async for k in client.scan_iter(match=f"{prefix}room:{{{c}}}:*")] == []


# -- S12 process liveness -------------------------------------------------------------------------------
async def test_s12_a_beating_node_lives_and_an_expired_one_is_claimed_once_then_stays_dead(
    backend: Backend,
) -> None:
    store, peer = backend.store, await backend.peer()
    node, other = f"n-{new_code()}", f"o-{new_code()}"
    assert await store.heartbeat(node, ttl=0.5) is False  # a first beat
    assert await store.heartbeat(node, ttl=0.5) is True
    assert await peer.heartbeat(other, ttl=30) is False
    await backend.advance(0.3)
    assert await store.heartbeat(node, ttl=0.5) is True  # refreshed: alive until 0.8
    await backend.advance(0.3)
    assert node not in await peer.claim_dead_nodes(lease=0.4)
    await backend.advance(0.4)  # 0.4 s past its last beat's expiry
    claims = [await s.claim_dead_nodes(lease=0.4) for s in (peer, store)]
    assert [node in c for c in claims] == [True, False]  # leased to the first claimer
    assert all(other not in c for c in claims)  # still beating
    assert await store.heartbeat(node, ttl=0.5) is False  # presumed dead: a late beat does not revive it
    assert node not in await store.claim_dead_nodes(lease=0.4)
    await backend.advance(0.5)  # the claimer died: after the lease the node comes due again, once
    assert node in await store.claim_dead_nodes(lease=0.4)
    assert node not in await peer.claim_dead_nodes(lease=0.4)
    await store.forget_node(node)
    await backend.advance(0.5)
    assert node not in await store.claim_dead_nodes(lease=0.4)
    assert await store.claim_dead_nodes(limit=0) == []


async def test_s12_an_expired_unclaimed_node_stays_dead(backend: Backend) -> None:
    store, node = backend.store, f"n-{new_code()}"
    await store.heartbeat(node, ttl=0.3)
    await backend.advance(0.4)
    assert await store.heartbeat(node, ttl=0.3) is False
    assert node in await store.claim_dead_nodes(lease=5)


async def test_s12_room_index_of_a_node(backend: Backend) -> None:
    store, peer = backend.store, await backend.peer()
    node, other = f"n-{new_code()}", f"o-{new_code()}"
    a, b, c = new_code(), new_code(), new_code()
    await store.heartbeat(node, ttl=0.6, rooms=[a, b])
    await store.add_node_room(node, c)  # a join between two beats
    await peer.heartbeat(other, ttl=0.6, rooms=[b])
    assert await peer.node_rooms(node) == sorted([a, b, c])
    assert await store.node_rooms(other) == [b]
    await backend.advance(0.35)
    await store.heartbeat(node, ttl=0.6, rooms=[a])  # b and c were indexed 0.35 s ago: kept
    assert await store.node_rooms(node) == sorted([a, b, c])
    await backend.advance(0.35)
    await store.heartbeat(node, ttl=0.6, rooms=[a])  # not re-indexed for 0.7 s > ttl: dropped
    assert await store.node_rooms(node) == [a]
    await store.forget_node(node)
    assert await store.node_rooms(node) == []
    assert await peer.node_rooms(other) == [b]
    assert await store.node_rooms(f"never-{new_code()}") == []


async def test_s12_concurrent_sweepers_claim_each_dead_node_exactly_once(backend: Backend) -> None:
    stores = [backend.store, await backend.peer(), await backend.peer()]
    nodes = [f"n{i}-{new_code()}" for i in range(12)]
    for node in nodes:
        await backend.store.heartbeat(node, ttl=0.2)
    await backend.advance(0.3)

    async def sweeper(i: int) -> list[str]:
        got: list[str] = []
        for _ in range(4):
            got += await stores[i % 3].claim_dead_nodes(lease=60, limit=2)
            await asyncio.sleep(0)
        return got

    flat = list(itertools.chain.from_iterable(await asyncio.gather(*(sweeper(i) for i in range(6)))))
    mine = [n for n in flat if n in nodes]
    assert sorted(mine) == sorted(nodes)  # every dead node claimed, none twice
    for node in nodes:
        await backend.store.forget_node(node)


# -- S15 operations -------------------------------------------------------------------------------------
async def test_s15_ping_backend_and_room_count(backend: Backend) -> None:
    store = backend.store
    await store.ping()
    assert store.backend in {"memory", "redis"}
    before = store.count_rooms()
    await store.create_room(new_code(), {})
    after = store.count_rooms()
    assert (before, after) == (None, None) or (before is not None and after == before + 1)


# -- S11 failures --------------------------------------------------------------------------------------
def _every_call(store: RoomStore, code: str) -> list[Callable[[], Awaitable[Any]]]:
    return [
        lambda: store.create_room(code, {}),
        lambda: store.load(code),
        lambda: store.save(code, {}, 1),
        lambda: store.ping(),
        lambda: store.append_strokes(code, "t", [1]),
        lambda: store.get_strokes(code, "t"),
        lambda: store.append_batch(code, "t", 0, [1], "", "m1", 1),
        lambda: store.read_log_meta(code, "t"),
        lambda: store.append_chat(code, {"text": "x"}, 5),
        lambda: store.recent_chat(code),
        lambda: store.set_deadline(code, 1.0),
        lambda: store.set_deadline(code, None),
        lambda: store.claim_due(10.0),
        lambda: store.put_session("t", {}, 10),
        lambda: store.get_session("t"),
        lambda: store.delete_session("t"),
        lambda: store.set_public(code, 1),
        lambda: store.find_public(),
        lambda: store.delete_room(code),
        lambda: store.heartbeat("n", 1.0, [code]),
        lambda: store.add_node_room("n", code),
        lambda: store.claim_dead_nodes(),
        lambda: store.node_rooms("n"),
        lambda: store.forget_node("n"),
    ]


async def test_s11_unavailable_storage_raises_store_unavailable(backend: Backend) -> None:
    code = new_code()
    if backend.name == "memory":
        store = MemoryStore()
        store.available = False
    else:
        from redis_server import free_port

        store = RedisStore(f"redis://127.0.0.1:{free_port()}/0", prefix="nothing:", socket_timeout=0.5)
    try:
        for call in _every_call(store, code):
            with pytest.raises(StoreUnavailable):
                await call()
    finally:
        await store.close()


async def test_s11_redis_connect_names_the_url(redis_url: str) -> None:
    from redis_server import free_port

    url = f"redis://user:secret@127.0.0.1:{free_port()}/0"
    with pytest.raises(StoreUnavailable) as info:
        await RedisStore.connect(url)
    assert "127.0.0.1" in str(info.value) and "secret" not in str(info.value)


@pytest.mark.slow
async def test_s11_redis_restart_fails_calls_then_recovers(redis_server_factory: Any) -> None:
    server = redis_server_factory(appendonly=True)
    store = await RedisStore.connect(server.url, "restart:", socket_timeout=1.0)
    try:
        code = new_code()
        await store.create_room(code, {"n": 0})
        await store.append_strokes(code, "t", [1])
        # A restart between two calls is invisible: the dead pooled connection is replaced and the
        # call retried once (redis-py's asyncio Retry, on connection errors only).
        server.stop(graceful=True)
        server.start()
        assert (await store.load(code))[0] == {"n": 0}
        server.stop()
        for call in _every_call(store, code):
            with pytest.raises(StoreUnavailable):
                await call()
        server.start()
        # The pool's dead connections are replaced on first use; the data came back from the AOF.
        room, _ = await store.load(code)
        assert room == {"n": 0}
        assert (await cas_update(store, code))[1] == 1
        assert await store.append_strokes(code, "t", [2]) == 2
    finally:
        await store.close()
