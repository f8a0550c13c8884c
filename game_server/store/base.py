"""The store interface every room storage implements, and the rules it must keep.

Rooms are stored as JSON-able dicts (the shell converts core state to and from dicts);
the store never interprets them. Each rule below has an ID; the contract test suite
(tests/contract/) names the rule each test checks and runs against every implementation.

S1  create_room(code, room, ttl) stores a room only if the code is free; returns False otherwise.
S2  load(code) returns (room, version) or None; the version is an int that grows with every save.
S3  save(code, room, expected_version) writes only if the stored version still equals
    expected_version, and returns the new version; otherwise raises VersionConflict and writes nothing.
S4  (retired) The read-modify-write loop over S2/S3 is the shell's one loop, handlers/runtime.run (with
    the process's one per-room lock); the store offers no second one.
S5  append_strokes(code, turn_key, items) appends atomically and returns the new length;
    get_strokes(code, turn_key, start, end) returns items in append order (end exclusive, None = all).
    Strokes of one turn never reorder; keys of different turns never mix.
S6  set_deadline(code, at) keeps one deadline per room (a later call replaces it; None clears it).
    claim_due(now, lease, limit) returns codes whose deadline <= now and, atomically, pushes each
    claimed deadline to now + lease, so concurrent callers never claim the same room twice within
    a lease; a caller that dies after claiming lets the room come due again after the lease.
S7  put_session(token, data, ttl), get_session(token) -> data | None, delete_session(token):
    reconnection sessions that expire after ttl seconds.
S8  set_public(code, open_seats) indexes a public room with free seats (open_seats <= 0 removes it);
    find_public() returns the codes of public rooms with free seats, fewest free seats first
    (quick play fills fuller rooms first), across every process sharing the store.
S9  delete_room(code) removes the room and everything stored under its code (strokes, deadline,
    public index entry).
S10 Every key of a room lives under `room:{CODE}:...` (Redis hash tag), and a room, its strokes
    and its deadline expire ttl seconds after the last write (refreshed by every save/append).
S11 Any storage failure surfaces as StoreUnavailable (never a raw driver error).
S12 Server-process liveness, timed by the store's own clock (the processes' clocks need not agree):
    heartbeat(node, ttl, rooms) keeps `node` alive for ttl seconds and indexes `rooms` under it
    (index entries not re-indexed within ttl are dropped); it returns True only if the node was alive
    until now: False for a node's first beat and for a node whose beat had expired, which stays dead
    (a process that finds itself presumed dead takes a new id). add_node_room(node, code) indexes one
    room at once. claim_dead_nodes(lease, limit) returns nodes whose beat expired and, atomically,
    leases each for `lease` seconds, so concurrent sweepers never claim the same node within a lease;
    a sweeper that dies lets the node come due again after the lease. node_rooms(node) lists a node's
    indexed rooms; forget_node(node) drops the node and its index once its rooms were handled.
S13 append_batch(code, turn_key, seq, items, base, meta, room_version) is one atomic step: it appends
    `items` to the log (as S5) and stores `meta` as the log's bookkeeping only if the room's stored
    version equals room_version, the log's own counter equals seq and its stored bookkeeping equals
    `base` ("" for a log with none); otherwise it writes nothing. The counter then becomes seq + 1.
    Status: "ok" (index = the first item's position), "dup" (seq below the counter: the batch is stored
    already), "ahead" (seq above the counter: an earlier batch is missing), "stale" (the room changed
    or is gone), "changed" (the bookkeeping is not `base`). Every answer carries the stored bookkeeping
    (after the write for "ok"), so a caller can refresh what it cached. read_log_meta(code, turn_key)
    returns it ("" if none). The bookkeeping lives, expires and is deleted with the log (S9, S10).
S14 append_chat(code, item, keep, ttl) appends a chat record to the room's recent chat and keeps only the
    newest `keep`; recent_chat(code) returns them oldest first ([] for a room without chat or gone).
    The list lives under the room's code (S10: it expires ttl after the last chat; delete_room removes it).
S15 ping() raises StoreUnavailable unless the store can serve; `backend` names the implementation;
    count_rooms() is the number of live rooms when the store can count them cheaply, else None (/healthz).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

Room = dict[str, Any]

DEFAULT_ROOM_TTL = 6 * 3600


class VersionConflict(Exception):
    """The room changed since it was loaded (S3)."""


class StoreUnavailable(Exception):
    """The backing storage cannot be reached (S11)."""


@dataclass(frozen=True)
class Appended:
    """The answer of append_batch (S13)."""

    status: str  # "ok" | "dup" | "ahead" | "stale" | "changed"
    index: int  # "ok": position of the batch's first item in the log; otherwise the log's counter
    meta: str  # the log's stored bookkeeping (JSON text, "" if none) after the call


class RoomStore(ABC):
    """Storage of rooms, turn strokes, deadlines, sessions, the public-room index and process liveness."""

    backend: ClassVar[str]  # "memory" | "redis" (S15)

    @abstractmethod
    async def create_room(self, code: str, room: Room, ttl: int = DEFAULT_ROOM_TTL) -> bool:
        """S1: store a new room if `code` is free."""

    @abstractmethod
    async def load(self, code: str) -> tuple[Room, int] | None:
        """S2: the room and its version, or None."""

    @abstractmethod
    async def save(self, code: str, room: Room, expected_version: int, ttl: int = DEFAULT_ROOM_TTL) -> int:
        """S3: compare-and-set write; returns the new version."""

    @abstractmethod
    async def append_strokes(
        self, code: str, turn_key: str, items: list[Any], ttl: int = DEFAULT_ROOM_TTL
    ) -> int:
        """S5: append stroke items to a turn; returns the new length."""

    @abstractmethod
    async def get_strokes(
        self, code: str, turn_key: str, start: int = 0, end: int | None = None
    ) -> list[Any]:
        """S5: a turn's items in append order."""

    @abstractmethod
    async def append_batch(
        self, code: str, turn_key: str, seq: int, items: list[Any], base: str, meta: str, room_version: int,
        ttl: int = DEFAULT_ROOM_TTL,
    ) -> Appended:
        """S13: check `seq` against the log's counter and append, in one atomic step."""

    @abstractmethod
    async def read_log_meta(self, code: str, turn_key: str) -> str:
        """S13: a log's stored bookkeeping (JSON text), "" if it has none."""

    @abstractmethod
    async def append_chat(self, code: str, item: Any, keep: int, ttl: int = DEFAULT_ROOM_TTL) -> None:
        """S14: append one chat record, keep the newest `keep`."""

    @abstractmethod
    async def recent_chat(self, code: str) -> list[Any]:
        """S14: the recent chat records, oldest first."""

    @abstractmethod
    async def set_deadline(self, code: str, at: float | None) -> None:
        """S6: the room's next deadline (epoch seconds), or None to clear it."""

    @abstractmethod
    async def claim_due(self, now: float, lease: float = 5.0, limit: int = 100) -> list[str]:
        """S6: claim rooms whose deadline has passed."""

    @abstractmethod
    async def put_session(self, token: str, data: dict[str, Any], ttl: float) -> None:
        """S7: store a reconnection session."""

    @abstractmethod
    async def get_session(self, token: str) -> dict[str, Any] | None:
        """S7: a live session or None."""

    @abstractmethod
    async def delete_session(self, token: str) -> None:
        """S7: forget a session."""

    @abstractmethod
    async def set_public(self, code: str, open_seats: int) -> None:
        """S8: index (or unindex) a public room."""

    @abstractmethod
    async def find_public(self) -> list[str]:
        """S8: public rooms with free seats, fullest first."""

    @abstractmethod
    async def delete_room(self, code: str) -> None:
        """S9: remove a room and everything under its code."""

    @abstractmethod
    async def heartbeat(self, node: str, ttl: float, rooms: Iterable[str] = ()) -> bool:
        """S12: `node` is alive for `ttl` more seconds and holds members of `rooms`; True if it was alive."""

    @abstractmethod
    async def add_node_room(self, node: str, code: str) -> None:
        """S12: index one room under `node` now (before its next heartbeat)."""

    @abstractmethod
    async def claim_dead_nodes(self, lease: float = 5.0, limit: int = 20) -> list[str]:
        """S12: claim nodes whose heartbeat expired."""

    @abstractmethod
    async def node_rooms(self, node: str) -> list[str]:
        """S12: rooms indexed under `node`."""

    @abstractmethod
    async def forget_node(self, node: str) -> None:
        """S12: drop a (dead, handled) node and its room index."""

    @abstractmethod
    async def ping(self) -> None:
        """S15: raise StoreUnavailable unless the store can serve (start-up check, /healthz)."""

    def count_rooms(self) -> int | None:
        """S15: live rooms, when the store can count them cheaply; None otherwise (Redis: it would scan)."""
        return None

    async def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections (no-op by default)."""
