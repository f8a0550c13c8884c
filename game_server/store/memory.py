"""The embedded in-memory room store: one process, no dependencies, the default backend.

Keeps the rules of `store.base` (S1-S15). Values are stored as JSON text, so a caller can never
mutate stored state through a reference, and everything a Redis store could not hold (sets,
tuples, objects) fails here too. Expiry (S7, S10) and liveness (S12) use an injected monotonic
clock, checked lazily on access. One process serves a memory store, so in production its only node is
the live one; S12 is still kept in full (the contract suite checks it). Every method finishes without
awaiting, so each one is atomic on the event loop. Deadlines and expiry times sit in heaps (one live
entry per room, session or deadline; stale entries are skipped when they surface), so a clock tick costs
what is due, not a scan of every room.
"""

from __future__ import annotations

import heapq
import json
import time
from collections.abc import Callable, Iterable
from typing import Any

from game_server.store.base import (
    DEFAULT_ROOM_TTL,
    Appended,
    Room,
    RoomStore,
    StoreUnavailable,
    VersionConflict,
)


def _dump(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


class MemoryStore(RoomStore):
    """Rooms, strokes, deadlines, sessions and the public index in dicts of one process.

    `clock` measures expiry (seconds, monotonic); deadlines are the caller's epoch timestamps.
    Set `available = False` to make every call raise StoreUnavailable (tests of outage handling).
    """

    backend = "memory"

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.available = True
        self._rooms: dict[str, tuple[str, int]] = {}  # code -> (json, version)
        # One counter for every write: versions grow with each save (S2) and a room recreated under
        # an old code never repeats a version that a stale writer could still hold.
        self._writes = 0
        self._strokes: dict[str, dict[str, list[str]]] = {}  # code -> turn_key -> json items
        self._metas: dict[str, dict[str, tuple[int, str]]] = {}  # code -> turn_key -> (counter, meta json)
        self._chat: dict[str, list[str]] = {}  # code -> json chat records, oldest first (S14)
        self._deadlines: dict[str, float] = {}
        self._deadline_heap: list[tuple[float, str]] = []  # (at, code); stale when _deadlines[code] != at
        self._public: dict[str, int] = {}  # code -> open seats
        self._public_seq: dict[str, int] = {}  # code -> insertion order (stable tie-break)
        self._seq = 0
        self._expires: dict[str, float] = {}  # code -> clock() after which the room is gone
        self._sessions: dict[str, tuple[str, float]] = {}  # token -> (json, expires at)
        # One heap entry per room / session, pushed on its first touch; when it surfaces, a later expiry
        # re-pushes it once, so a room written 30 times a second still holds one entry.
        self._expiry_heap: list[tuple[float, str]] = []
        self._in_expiry_heap: set[str] = set()
        self._session_heap: list[tuple[float, str]] = []
        self._in_session_heap: set[str] = set()
        self._nodes_alive: dict[str, float] = {}  # node -> clock() its heartbeat expires at
        self._nodes_lost: dict[str, float] = {}  # claimed dead node -> clock() its lease ends at
        self._node_rooms: dict[str, dict[str, float]] = {}  # node -> room code -> clock() last indexed

    # -- helpers -------------------------------------------------------------------------------
    def _check(self) -> None:
        if not self.available:
            raise StoreUnavailable("memory store marked unavailable")

    def _alive(self, code: str) -> bool:
        """Expire `code` if its TTL passed (S10); True if nothing of it has expired."""
        expires = self._expires.get(code)
        if expires is not None and self._clock() >= expires:
            self._purge(code)
            return False
        return True

    def _touch(self, code: str, ttl: float) -> None:
        at = self._clock() + ttl
        self._expires[code] = at
        if code not in self._in_expiry_heap:
            self._in_expiry_heap.add(code)
            heapq.heappush(self._expiry_heap, (at, code))

    def _purge(self, code: str) -> None:
        self._rooms.pop(code, None)
        self._strokes.pop(code, None)
        self._metas.pop(code, None)
        self._chat.pop(code, None)
        self._deadlines.pop(code, None)
        self._public.pop(code, None)
        self._public_seq.pop(code, None)
        self._expires.pop(code, None)

    def _sweep(self) -> None:
        """Drop what expired: pops only heap entries that are due (O(due · log n), not a scan)."""
        now = self._clock()
        heap = self._expiry_heap
        while heap and heap[0][0] <= now:
            _, code = heapq.heappop(heap)
            at = self._expires.get(code)
            if at is not None and at > now:  # written since: wait for the new expiry
                heapq.heappush(heap, (at, code))
                continue
            self._in_expiry_heap.discard(code)
            if at is not None:
                self._purge(code)
        heap = self._session_heap
        while heap and heap[0][0] <= now:
            _, token = heapq.heappop(heap)
            entry = self._sessions.get(token)
            if entry is not None and entry[1] > now:
                heapq.heappush(heap, (entry[1], token))
                continue
            self._in_session_heap.discard(token)
            self._sessions.pop(token, None)

    # -- rooms (S1-S4, S9) -----------------------------------------------------------------------
    async def create_room(self, code: str, room: Room, ttl: int = DEFAULT_ROOM_TTL) -> bool:
        self._check()
        self._alive(code)
        if code in self._rooms:
            return False
        text = _dump(room)
        self._writes += 1
        self._rooms[code] = (text, self._writes)
        self._touch(code, ttl)
        return True

    async def load(self, code: str) -> tuple[Room, int] | None:
        self._check()
        if not self._alive(code) or code not in self._rooms:
            return None
        text, version = self._rooms[code]
        return json.loads(text), version

    async def save(self, code: str, room: Room, expected_version: int, ttl: int = DEFAULT_ROOM_TTL) -> int:
        self._check()
        self._alive(code)
        current = self._rooms.get(code)
        if current is None or current[1] != expected_version:
            found = None if current is None else current[1]
            raise VersionConflict(f"room {code}: expected version {expected_version}, found {found}")
        text = _dump(room)  # serialize before writing: a bad room leaves the stored one intact
        self._writes += 1
        self._rooms[code] = (text, self._writes)
        self._touch(code, ttl)
        return self._writes

    async def delete_room(self, code: str) -> None:
        self._check()
        self._purge(code)

    # -- strokes (S5) ----------------------------------------------------------------------------
    async def append_strokes(
        self, code: str, turn_key: str, items: list[Any], ttl: int = DEFAULT_ROOM_TTL
    ) -> int:
        self._check()
        self._alive(code)
        encoded = [_dump(item) for item in items]  # all or nothing
        turn = self._strokes.setdefault(code, {}).setdefault(turn_key, [])
        turn.extend(encoded)
        self._touch(code, ttl)
        return len(turn)

    async def get_strokes(
        self, code: str, turn_key: str, start: int = 0, end: int | None = None
    ) -> list[Any]:
        self._check()
        if not self._alive(code):
            return []
        turn = self._strokes.get(code, {}).get(turn_key, [])
        return [json.loads(item) for item in turn[start:end]]

    async def append_batch(
        self, code: str, turn_key: str, seq: int, items: list[Any], base: str, meta: str, room_version: int,
        ttl: int = DEFAULT_ROOM_TTL,
    ) -> Appended:
        self._check()
        counter, stored = self._metas.get(code, {}).get(turn_key, (0, ""))
        room = self._rooms.get(code) if self._alive(code) else None
        if room is None or room[1] != room_version:
            return Appended("stale", counter, stored)
        if seq != counter:
            return Appended("dup" if seq < counter else "ahead", counter, stored)
        if stored != base or not meta:
            return Appended("changed", counter, stored)
        encoded = [_dump(item) for item in items]  # all or nothing
        turn = self._strokes.setdefault(code, {}).setdefault(turn_key, [])
        index = len(turn)
        turn.extend(encoded)
        self._metas.setdefault(code, {})[turn_key] = (seq + 1, meta)
        self._touch(code, ttl)
        return Appended("ok", index, meta)

    async def read_log_meta(self, code: str, turn_key: str) -> str:
        self._check()
        if not self._alive(code):
            return ""
        return self._metas.get(code, {}).get(turn_key, (0, ""))[1]

    # -- recent chat (S14) -----------------------------------------------------------------------
    async def append_chat(self, code: str, item: Any, keep: int, ttl: int = DEFAULT_ROOM_TTL) -> None:
        self._check()
        if not self._alive(code):
            return
        chat = self._chat.setdefault(code, [])
        chat.append(_dump(item))
        del chat[: max(0, len(chat) - keep)]
        self._touch(code, ttl)

    async def recent_chat(self, code: str) -> list[Any]:
        self._check()
        if not self._alive(code):
            return []
        return [json.loads(item) for item in self._chat.get(code, [])]

    # -- deadlines (S6) --------------------------------------------------------------------------
    async def set_deadline(self, code: str, at: float | None) -> None:
        self._check()
        self._alive(code)
        if at is None:
            self._deadlines.pop(code, None)
        else:
            self._deadlines[code] = float(at)
            heapq.heappush(self._deadline_heap, (float(at), code))

    async def claim_due(self, now: float, lease: float = 5.0, limit: int = 100) -> list[str]:
        self._check()
        self._sweep()
        heap, claimed = self._deadline_heap, []
        while heap and heap[0][0] <= now and len(claimed) < limit:
            at, code = heapq.heappop(heap)
            if self._deadlines.get(code) != at or code in claimed:
                continue  # replaced, cleared or purged since it was pushed
            claimed.append(code)
        for code in claimed:
            self._deadlines[code] = now + lease
            heapq.heappush(heap, (now + lease, code))
        return claimed

    # -- sessions (S7) ---------------------------------------------------------------------------
    async def put_session(self, token: str, data: dict[str, Any], ttl: float) -> None:
        self._check()
        self._sessions[token] = (_dump(data), self._clock() + ttl)
        if token not in self._in_session_heap:
            self._in_session_heap.add(token)
            heapq.heappush(self._session_heap, (self._clock() + ttl, token))

    async def get_session(self, token: str) -> dict[str, Any] | None:
        self._check()
        entry = self._sessions.get(token)
        if entry is None:
            return None
        if self._clock() >= entry[1]:
            del self._sessions[token]
            return None
        return json.loads(entry[0])

    async def delete_session(self, token: str) -> None:
        self._check()
        self._sessions.pop(token, None)

    # -- public index (S8) -----------------------------------------------------------------------
    async def set_public(self, code: str, open_seats: int) -> None:
        self._check()
        if open_seats <= 0:
            self._public.pop(code, None)
            self._public_seq.pop(code, None)
            return
        self._public[code] = int(open_seats)
        if code not in self._public_seq:
            self._seq += 1
            self._public_seq[code] = self._seq

    async def find_public(self) -> list[str]:
        self._check()
        self._sweep()
        return sorted(self._public, key=lambda c: (self._public[c], self._public_seq[c]))

    # -- process liveness (S12) -----------------------------------------------------------------------
    async def heartbeat(self, node: str, ttl: float, rooms: Iterable[str] = ()) -> bool:
        self._check()
        now = self._clock()
        if node in self._nodes_lost or self._nodes_alive.get(node, now + 1) <= now:
            return False  # presumed dead already: the id stays dead
        was_alive = node in self._nodes_alive
        self._nodes_alive[node] = now + ttl
        index = self._node_rooms.setdefault(node, {})
        for code in rooms:
            index[code] = now
        for code in [c for c, at in index.items() if at < now - ttl]:
            del index[code]
        return was_alive

    async def add_node_room(self, node: str, code: str) -> None:
        self._check()
        self._node_rooms.setdefault(node, {})[code] = self._clock()

    async def claim_dead_nodes(self, lease: float = 5.0, limit: int = 20) -> list[str]:
        self._check()
        now = self._clock()
        due = sorted([(at, n) for n, at in self._nodes_alive.items() if at <= now]
                     + [(at, n) for n, at in self._nodes_lost.items() if at <= now])[: max(0, limit)]
        for _, node in due:
            self._nodes_alive.pop(node, None)
            self._nodes_lost[node] = now + lease
        return [node for _, node in due]

    async def node_rooms(self, node: str) -> list[str]:
        self._check()
        return sorted(self._node_rooms.get(node, {}))

    async def forget_node(self, node: str) -> None:
        self._check()
        self._nodes_alive.pop(node, None)
        self._nodes_lost.pop(node, None)
        self._node_rooms.pop(node, None)

    # -- operations ------------------------------------------------------------------------------
    async def ping(self) -> None:
        """Raise StoreUnavailable if the store cannot serve (used by /healthz)."""
        self._check()

    def count_rooms(self) -> int:
        """Live rooms in this process (for /healthz)."""
        self._sweep()
        return len(self._rooms)
