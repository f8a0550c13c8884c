"""The shell's one path for changing a room: lock → load → apply → save → deadline/index → emit.

Also holds the per-process bits handlers share (room locks, seats of local connections, rate limiters,
the word pool) and the mapping from core audiences to Socket.IO rooms (`<CODE>:m:<member id>`, one per
member, so emits work across processes behind a Redis client manager).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

from game_server.config import Config
from game_server.context import ServerContext
from game_server.core import (
    Command,
    Event,
    GameError,
    Room,
    apply,
    next_deadline,
    room_from_dict,
    room_to_dict,
)
from game_server.core.ai import human_count
from game_server.core.drawing import LogMeta
from game_server.core.race import is_race, log_key
from game_server.core.state import DRAWING, GAME_END, HUMAN, LOBBY, TURN_END
from game_server.core.words import LINEAGE_WORDS, pool_from_model_card
from game_server.ratelimit import RateLimiter
from game_server.store.base import VersionConflict

log = logging.getLogger("game_server.handlers")

SAVE_ATTEMPTS = 50
MakeCommand = Command | Callable[[Room], Command]
BeforeEmit = Callable[[Room, list[Event]], Awaitable[list[Event]]]


@dataclass
class Seat:
    """What a local connection holds: a member id in a room, and its reconnection token."""

    code: str
    member_id: str
    role: str  # "player" | "spectator"
    token: str


@dataclass
class _Slot:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0
    commits: int = 0  # grows with every saved change and appended batch; waiting batches and claims watch it
    changed: asyncio.Event = field(default_factory=asyncio.Event)  # set (and replaced) on every commit


CACHE_ROOMS = 4096  # decoded rooms kept per process for the draw path (a cache: the store checks versions)


@dataclass
class Runtime:
    """Per-process state of the game layer (never the source of truth: rooms live in the store)."""

    pool: tuple[str, ...] = LINEAGE_WORDS
    seats: dict[str, Seat] = field(default_factory=dict)  # sid -> seat
    joining: set[str] = field(default_factory=set)  # sids with a join in flight (one seat per connection)
    slots: dict[str, _Slot] = field(default_factory=dict)
    # Read caches for the draw path, never trusted on their own: append_batch checks the room version
    # and the log's bookkeeping in the store (S13) and answers with fresh values when they differ.
    rooms: dict[str, tuple[int, Room]] = field(default_factory=dict)  # code -> (version, room)
    logs: dict[tuple[str, str], str] = field(default_factory=dict)  # (code, log key) -> bookkeeping JSON
    limiters: dict[str, RateLimiter] = field(
        default_factory=lambda: {
            "chat": RateLimiter(3, 6),
            "draw": RateLimiter(40, 80),
            "join": RateLimiter(2, 5),
            "other": RateLimiter(5, 10),
            "ai": RateLimiter(4.0, 8),  # ai_guess: a browser predicts ~2/s
        }
    )

    @asynccontextmanager
    async def slot(self, code: str) -> Any:
        """Hold the room's lock: one writer per room in this process (the store's CAS covers the rest)."""
        slot = self.slots.setdefault(code, _Slot())
        slot.users += 1
        try:
            async with slot.lock:
                yield slot
        finally:
            slot.users -= 1
            if slot.users == 0 and not slot.lock.locked():
                self.slots.pop(code, None)

    async def wait_commit(self, code: str, seen: int, timeout: float) -> None:
        """Wait (at most `timeout` s) until room `code` commits a change after commit number `seen`."""
        slot = self.slots.setdefault(code, _Slot())
        slot.users += 1
        try:
            if slot.commits == seen:
                with suppress(TimeoutError):
                    await asyncio.wait_for(slot.changed.wait(), timeout)
        finally:
            slot.users -= 1
            if slot.users == 0 and not slot.lock.locked():
                self.slots.pop(code, None)

    @contextmanager
    def watching(self, code: str) -> Iterator[None]:
        """Keep room `code`'s slot alive meanwhile, so no commit is missed between reading `commits` and
        waiting (a commit that finds no slot counts nothing)."""
        slot = self.slots.setdefault(code, _Slot())
        slot.users += 1
        try:
            yield
        finally:
            slot.users -= 1
            if slot.users == 0 and not slot.lock.locked():
                self.slots.pop(code, None)

    def committed(self, code: str) -> None:
        """Room `code` saved a change or appended a batch: wake whoever waits for one."""
        slot = self.slots.get(code)
        if slot is not None:
            slot.commits += 1
            event, slot.changed = slot.changed, asyncio.Event()
            event.set()

    def remember(self, code: str, version: int, room: Room | None) -> None:
        """Cache (or, with None, forget) room `code` as stored at `version`."""
        self.rooms.pop(code, None)
        if room is None:
            for key in [k for k in self.logs if k[0] == code]:
                del self.logs[key]
            return
        if len(self.rooms) >= CACHE_ROOMS:
            del self.rooms[next(iter(self.rooms))]  # the least recently stored
        self.rooms[code] = (version, room)

    def remember_log(self, code: str, key: str, meta: str) -> None:
        self.logs.pop((code, key), None)
        if len(self.logs) >= CACHE_ROOMS:
            del self.logs[next(iter(self.logs))]
        self.logs[(code, key)] = meta

    def commits(self, code: str) -> int:
        slot = self.slots.get(code)
        return slot.commits if slot is not None else 0

    def drop_connection(self, sid: str) -> Seat | None:
        for limiter in self.limiters.values():
            limiter.drop(sid)
        seat = self.seats.pop(sid, None)
        if seat is not None and not any(s.code == seat.code for s in self.seats.values()):
            self.remember(seat.code, 0, None)  # nobody here draws in it any more: drop the caches
        return seat


def load_pool(config: Config) -> tuple[str, ...]:
    """The model's vocabulary from models/<name>.json if it exists, else the 50 lineage words."""
    path = config.models_dir / f"{config.model_name}.json"
    try:
        card = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return LINEAGE_WORDS
    return pool_from_model_card(card if isinstance(card, dict) else None)


def member_room(code: str, member_id: str) -> str:
    return f"{code}:m:{member_id}"


def recipients(room: Room, event: Event) -> list[str]:
    """Socket.IO rooms that make up an event's audience (spectators expanded from the room's state)."""
    ids = set(event.to.players)
    if event.to.spectators:
        ids.update(s.id for s in room.spectators)
    return [member_room(room.code, m) for m in sorted(ids)]


def open_seats(room: Room | None) -> int:
    if room is None or not room.settings.public:
        return 0
    return max(0, room.settings.max_players - human_count(room))  # the AI takes no seat


@dataclass
class Outcome:
    before: Room
    room: Room
    events: list[Event]


async def emit(ctx: ServerContext, room: Room, events: list[Event]) -> None:
    for event in events:
        to = recipients(room, event)
        if to:
            await ctx.sio.emit(event.name, event.data, to=to)
    # Members who lost their seat stop receiving the room's events, on every process.
    for event in events:
        if event.name == "player_left":
            await _unseat(ctx, room.code, event.data["player_id"])


async def _unseat(ctx: ServerContext, code: str, member_id: str) -> None:
    rt = ctx.runtime
    name = member_room(code, member_id)
    for sid, _ in list(ctx.sio.manager.get_participants("/", name)):
        seat = rt.seats.get(sid)
        if seat is not None and seat.code == code and seat.member_id == member_id:
            del rt.seats[sid]
    await ctx.sio.close_room(name)


async def run(
    ctx: ServerContext,
    code: str,
    make: MakeCommand,
    *,
    before_emit: BeforeEmit | None = None,
    always_set_deadline: bool = False,
) -> Outcome:
    """Apply one command to room `code` and publish the result; GameError leaves the room untouched."""
    rt = ctx.runtime
    changed = False
    async with rt.slot(code):
        for _ in range(SAVE_ATTEMPTS):
            loaded = await ctx.store.load(code)
            if loaded is None:
                raise GameError("room_not_found", "no room with that code")
            data, version = loaded
            before = room_from_dict(data)
            rt.remember(code, version, before)
            command = make(before) if callable(make) else make
            room, events = apply(before, command, ctx.now(), ctx.rng, rt.pool)
            if room is before:
                break
            try:
                version = await ctx.store.save(code, room_to_dict(room), version, ttl=ctx.config.room_ttl)
            except VersionConflict:
                continue
            rt.remember(code, version, room)
            changed = True
            break
        else:
            raise VersionConflict(f"room {code}: too many conflicting writes")
        await _after_save(ctx, before, room, always_set_deadline)
        if changed and ctx.capture is not None:  # a finished drawing of a sharing player: queued, no I/O
            ctx.capture.offer(before, room, ctx.now(), ctx.rng)
        if before_emit is not None:
            events = await before_emit(room, events)
        await emit(ctx, room, events)
        if changed:
            rt.committed(code)
        return Outcome(before, room, events)


async def _after_save(ctx: ServerContext, before: Room, room: Room, always_set_deadline: bool) -> None:
    store = ctx.store
    if not room.players and not room.spectators:
        ctx.runtime.remember(room.code, 0, None)
        await store.delete_room(room.code)
        return
    deadline = next_deadline(room)
    if always_set_deadline or deadline != next_deadline(before):
        await store.set_deadline(room.code, deadline)
    seats = open_seats(room)
    if seats != open_seats(before):
        await store.set_public(room.code, seats)


async def drawing_of(ctx: ServerContext, room: Room) -> dict[str, Any]:
    """The current turn's drawing log and the seq it expects next, for join/rejoin/get_state acks."""
    if room.turn is None or room.phase not in (DRAWING, TURN_END):
        return {"key": None, "ops": [], "next_seq": 0}
    store, code = ctx.store, room.code
    if is_race(room):  # every player draws their own log: {player_id: ops}
        players, seqs = {}, {}
        for p in room.players:
            if p.kind != HUMAN:
                continue
            key = log_key(room, p.id)
            meta = LogMeta.from_dict(json.loads(await store.read_log_meta(code, key) or "null"))
            if meta.next_seq:
                players[p.id] = await store.get_strokes(code, key)
                seqs[p.id] = meta.next_seq
        return {"key": room.turn.key, "ops": [], "players": players, "next_seqs": seqs, "next_seq": 0}
    meta = LogMeta.from_dict(json.loads(await store.read_log_meta(code, room.turn.key) or "null"))
    return {"key": room.turn.key, "ops": await store.get_strokes(code, room.turn.key),
            "next_seq": meta.next_seq}


async def gallery_of(ctx: ServerContext, room: Room) -> dict[str, list[Any]]:
    """The drawing logs of the room's gallery entries (core/history.py), keyed by entry key; only between
    games (lobby, game end), when no entry is secret."""
    if room.phase not in (LOBBY, GAME_END):
        return {}
    logs = {e["key"]: await ctx.store.get_strokes(room.code, e["log"]) for e in room.history}
    return {key: ops for key, ops in logs.items() if ops}  # a race player who never drew has no log


def iter_events(events: list[Event], name: str) -> Iterator[Event]:
    return (e for e in events if e.name == name)
