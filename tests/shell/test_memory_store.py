"""Behaviour specific to the in-memory store (the shared contract suite lives in tests/contract/)."""

from __future__ import annotations

import pytest

from game_server.store.base import StoreUnavailable, VersionConflict
from game_server.store.memory import MemoryStore


class FakeClock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(clock: FakeClock) -> MemoryStore:
    return MemoryStore(clock=clock)


async def test_stored_state_cannot_be_mutated_through_references(store):
    room = {"players": [{"name": "ann"}]}
    assert await store.create_room("ROOM", room)
    room["players"].append("mallory")
    loaded, _ = await store.load("ROOM")
    loaded["players"].clear()
    assert (await store.load("ROOM"))[0] == {"players": [{"name": "ann"}]}
    item = {"pts": [[1, 2]]}
    await store.append_strokes("ROOM", "t1", [item])
    item["pts"].append([3, 4])
    (await store.get_strokes("ROOM", "t1"))[0]["pts"].clear()
    assert await store.get_strokes("ROOM", "t1") == [{"pts": [[1, 2]]}]


async def test_values_redis_could_not_hold_are_rejected_and_leave_state_intact(store):
    assert await store.create_room("ROOM", {"n": 1})
    _, version = await store.load("ROOM")
    with pytest.raises(TypeError):
        await store.save("ROOM", {"s": {1, 2}}, version)
    assert await store.load("ROOM") == ({"n": 1}, version)
    with pytest.raises(TypeError):
        await store.append_strokes("ROOM", "t", [{"ok": 1}, object()])
    assert await store.get_strokes("ROOM", "t") == []


async def test_versions_never_repeat_when_a_code_is_reused(store):
    await store.create_room("ROOM", {"gen": 1})
    _, stale = await store.load("ROOM")
    await store.delete_room("ROOM")
    await store.create_room("ROOM", {"gen": 2})
    with pytest.raises(VersionConflict):
        await store.save("ROOM", {"gen": "stale"}, stale)
    assert (await store.load("ROOM"))[0] == {"gen": 2}


async def test_room_strokes_deadline_and_public_entry_expire_together(store, clock):
    await store.create_room("ROOM", {}, ttl=100)
    await store.append_strokes("ROOM", "t", [1], ttl=100)
    await store.set_deadline("ROOM", 5.0)
    await store.set_public("ROOM", 3)
    clock.t = 90
    _, version = await store.load("ROOM")
    await store.save("ROOM", {"x": 1}, version, ttl=100)  # refreshes until 190
    clock.t = 150
    assert await store.load("ROOM") is not None
    assert await store.find_public() == ["ROOM"]
    clock.t = 190
    assert await store.claim_due(10.0) == []
    assert await store.find_public() == []
    assert await store.load("ROOM") is None
    assert await store.get_strokes("ROOM", "t") == []
    assert store.count_rooms() == 0


async def test_sessions_expire_by_the_injected_clock(store, clock):
    await store.put_session("tok", {"room": "ROOM", "player": "p1"}, ttl=60)
    clock.t = 59.9
    assert await store.get_session("tok") == {"room": "ROOM", "player": "p1"}
    clock.t = 60
    assert await store.get_session("tok") is None


async def test_public_ties_keep_first_listed_first(store):
    for code, seats in (("C", 2), ("A", 2), ("B", 1)):
        await store.set_public(code, seats)
    await store.set_public("C", 2)  # an update keeps its place among equals
    assert await store.find_public() == ["B", "C", "A"]
    await store.set_public("B", 0)
    assert await store.find_public() == ["C", "A"]


async def test_unavailable_store_raises_store_unavailable_everywhere(store):
    store.available = False
    calls = [
        store.create_room("R", {}), store.load("R"), store.save("R", {}, 1), store.delete_room("R"),
        store.append_strokes("R", "t", []), store.get_strokes("R", "t"), store.set_deadline("R", 1),
        store.claim_due(1), store.put_session("t", {}, 1), store.get_session("t"),
        store.delete_session("t"), store.set_public("R", 1), store.find_public(), store.ping(),
    ]
    for call in calls:
        with pytest.raises(StoreUnavailable):
            await call


async def test_claim_due_respects_limit_and_orders_oldest_first(store):
    for i, at in enumerate((30.0, 10.0, 20.0)):
        await store.set_deadline(f"R{i}", at)
    assert await store.claim_due(100.0, lease=5, limit=2) == ["R1", "R2"]
    assert await store.claim_due(100.0, lease=5, limit=2) == ["R0"]
