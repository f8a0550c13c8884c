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
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

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
from game_server.core.race import is_race, log_key
from game_server.core.state import DRAWING, GAME_END, LOBBY, TURN_END
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
    commits: int = 0  # grows with every saved change; draw batches waiting for their turn watch it
    cond: asyncio.Condition | None = None

    def __post_init__(self) -> None:
        self.cond = asyncio.Condition(self.lock)


@dataclass
class Runtime:
    """Per-process state of the game layer (never the source of truth: rooms live in the store)."""

    pool: tuple[str, ...] = LINEAGE_WORDS
    seats: dict[str, Seat] = field(default_factory=dict)  # sid -> seat
    joining: set[str] = field(default_factory=set)  # sids with a join in flight (one seat per connection)
    slots: dict[str, _Slot] = field(default_factory=dict)
    limiters: dict[str, RateLimiter] = field(
        default_factory=lambda: {
            "chat": RateLimiter(3, 6),
            "draw": RateLimiter(40, 80),
            "join": RateLimiter(2, 5),
            "other": RateLimiter(5, 10),
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
        """Wait (at most `timeout` s) until room `code` saves a change after commit number `seen`."""
        slot = self.slots.setdefault(code, _Slot())
        slot.users += 1
        try:
            assert slot.cond is not None
            async with slot.cond:
                if slot.commits == seen:
                    with suppress(TimeoutError):
                        await asyncio.wait_for(slot.cond.wait(), timeout)
        finally:
            slot.users -= 1
            if slot.users == 0 and not slot.lock.locked():
                self.slots.pop(code, None)

    def commits(self, code: str) -> int:
        slot = self.slots.get(code)
        return slot.commits if slot is not None else 0

    def drop_connection(self, sid: str) -> Seat | None:
        for limiter in self.limiters.values():
            limiter.drop(sid)
        return self.seats.pop(sid, None)


def runtime(ctx: ServerContext) -> Runtime:
    rt = ctx.game_runtime
    if rt is None:
        rt = Runtime(pool=load_pool(ctx))
        ctx.game_runtime = rt
    return rt


def load_pool(ctx: ServerContext) -> tuple[str, ...]:
    """The model's vocabulary from models/<name>.json if it exists, else the 50 lineage words."""
    path = ctx.config.models_dir / f"{ctx.config.model_name}.json"
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
    rt = runtime(ctx)
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
    rt = runtime(ctx)
    async with rt.slot(code) as slot:
        for _ in range(SAVE_ATTEMPTS):
            loaded = await ctx.store.load(code)
            if loaded is None:
                raise GameError("room_not_found", "no room with that code")
            data, version = loaded
            before = room_from_dict(data)
            command = make(before) if callable(make) else make
            room, events = apply(before, command, ctx.now(), ctx.rng, rt.pool)
            if room is before:
                break
            try:
                await ctx.store.save(code, room_to_dict(room), version, ttl=ctx.config.room_ttl)
            except VersionConflict:
                continue
            slot.commits += 1
            break
        else:
            raise VersionConflict(f"room {code}: too many conflicting writes")
        await _after_save(ctx, before, room, always_set_deadline)
        if before_emit is not None:
            events = await before_emit(room, events)
        await emit(ctx, room, events)
        assert slot.cond is not None
        slot.cond.notify_all()
        return Outcome(before, room, events)


async def _after_save(ctx: ServerContext, before: Room, room: Room, always_set_deadline: bool) -> None:
    store = ctx.store
    if not room.players and not room.spectators:
        await store.delete_room(room.code)
        return
    deadline = next_deadline(room)
    if always_set_deadline or deadline != next_deadline(before):
        await store.set_deadline(room.code, deadline)
    seats = open_seats(room)
    if seats != open_seats(before):
        await store.set_public(room.code, seats)


async def drawing_of(ctx: ServerContext, room: Room) -> dict[str, Any]:
    """The current turn's drawing log, for join/rejoin/get_state acks."""
    if room.turn is None or room.phase not in (DRAWING, TURN_END):
        return {"key": None, "ops": []}
    if is_race(room):  # every player draws their own log: {player_id: ops}
        store, code = ctx.store, room.code
        players = {pid: await store.get_strokes(code, log_key(room, pid)) for pid in room.turn.sketches}
        return {"key": room.turn.key, "ops": [], "players": players}
    return {"key": room.turn.key, "ops": await ctx.store.get_strokes(room.code, room.turn.key)}


async def gallery_of(ctx: ServerContext, room: Room) -> dict[str, list[Any]]:
    """The drawing logs of the room's gallery entries (core/history.py), keyed by entry key; only between
    games (lobby, game end), when no entry is secret."""
    if room.phase not in (LOBBY, GAME_END):
        return {}
    return {e["key"]: await ctx.store.get_strokes(room.code, e["log"]) for e in room.history}


def iter_events(events: list[Event], name: str) -> Iterator[Event]:
    return (e for e in events if e.name == name)
