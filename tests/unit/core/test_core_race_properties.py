"""Seeded fuzzing of race-mode rooms through the pure core, with race invariants checked after every step.

Commands are the classic fuzzer's (joins, leaves, disconnects, kicks, chat, ticks, settings...) plus race
ones: any member drawing into their own log, and `RaceRecognized` from anyone about any prompt with any
stroke count (the shell only sends it after verification; the core must still never let it break a rule).
A failure prints the seed; `fuzz_race(seed)` replays it.
"""

from __future__ import annotations

import json
import random
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game_server.core import (
    DrawBatch,
    GameError,
    RaceRecognized,
    UpdateSettings,
    apply,
    new_room,
    next_deadline,
    room_from_dict,
    room_to_dict,
)
from game_server.core.ai import AI_ID
from game_server.core.commands import Command
from game_server.core.race import RACE_PROMPTS, place_points
from game_server.core.state import DRAWING, LOBBY, TURN_END, Room

from .support import Game
from .test_core_properties import PLAYERS, random_command

RACE_SETTINGS = [{"mode": "race"}, {"mode": "race"}, {"mode": "classic"}, {"mode": "race", "public": True}]


def race_command(rng: random.Random, room: Room) -> tuple[Command, float]:
    kind = rng.choices(["classic", "settings", "draw", "recognized"], weights=[10, 1, 6, 5])[0]
    members = [p.id for p in room.players] + [s.id for s in room.spectators]
    actor = rng.choice(members) if members and rng.random() < 0.9 else rng.choice([*PLAYERS, "s0", "ghost"])
    dt = rng.choice([0, 0, 0.5, 2, 5])
    turn = room.turn
    if kind == "settings":
        return UpdateSettings(room.host_id or actor, rng.choice(RACE_SETTINGS)), dt
    if kind == "draw":
        seq = rng.randrange(4)  # seqs and stroke ids are the log's bookkeeping (drawing.LogMeta)
        sid = rng.randrange(4)
        op = rng.choice([
            {"type": "stroke", "id": sid, "tool": "pen", "color": "#000000", "width": 3, "points": [[1, 2]]},
            {"type": "points", "id": sid - 1, "points": [[5, 5], [6, 6]]},
            {"type": "undo"},
        ])
        return DrawBatch(actor, seq, (op,)), dt
    if kind == "recognized":
        key = turn.key if turn and rng.random() < 0.85 else rng.choice(["g1-r1-race", "g0-r1-t1"])
        return RaceRecognized(actor, key, rng.choice([0, 1, 1, 2, 50])), dt
    return random_command(rng, room)


def check_race_invariants(room: Room, before: Room, cmd: Command) -> None:
    assert all(p.score >= 0 for p in room.players)
    if room.game == before.game and room.phase != LOBBY and before.phase != LOBBY:
        old = {p.id: p.score for p in before.players}
        assert all(p.score >= old.get(p.id, 0) for p in room.players), "a score went down"
    if room.players:
        assert room.host_id is not None and room.player(room.host_id) is not None, "no host"
    if room.phase != LOBBY:
        assert room.deadline is not None and next_deadline(room) is not None, "a running room without timer"
    assert room_from_dict(json.loads(json.dumps(room_to_dict(room)))) == room
    if room.settings.mode != "race":
        return
    assert room.player(AI_ID) is None, "the AI pseudo-player sits in a race"
    assert room.round <= RACE_PROMPTS
    if room.phase in (DRAWING, TURN_END) and room.turn is not None:
        turn = room.turn
        assert turn.drawer_id == "" and room.drawer_id is None and turn.word
        places = sorted(sk.place for sk in turn.sketches.values() if sk.place is not None)
        assert places == list(range(1, len(places) + 1)), f"places {places}"
        for pid, sk in turn.sketches.items():
            if sk.place is not None:
                assert turn.deltas.get(pid) == place_points(sk.place), "points do not follow the order"
        assert set(turn.deltas) <= {pid for pid, sk in turn.sketches.items() if sk.place is not None}
        if room.phase == DRAWING:  # a prompt never outlives its 20 s nor repeats (if it need not)
            assert room.deadline is not None and turn.started_at is not None
            assert room.deadline - turn.started_at <= 20
            s = room.settings
            if not s.custom_only or len(s.custom_words) >= RACE_PROMPTS:  # enough words for a whole game
                assert Counter(room.used_words).most_common(1)[0][1] == 1, "a prompt repeated"
    if isinstance(cmd, RaceRecognized) and room != before:
        assert before.phase == DRAWING and before.turn is not None and before.turn.key == cmd.turn


def fuzz_race(seed: int, steps: int = 200) -> Game:
    rng = random.Random(seed)
    game = Game(room=new_room("RACEROOM00"), rng=random.Random(seed + 1))
    for step in range(steps):
        if step == 3 and game.room.host_id:
            cmd, dt = UpdateSettings(game.room.host_id, {"mode": "race"}), 0.0
        else:
            cmd, dt = race_command(rng, game.room)
        before = game.room
        try:
            game.do(cmd, dt=dt)
        except GameError as exc:
            try:
                apply(before, cmd, game.now, random.Random(0))
            except GameError as again:
                assert again.code == exc.code
            assert game.room is before
            continue
        except AssertionError as exc:
            raise AssertionError(f"seed={seed} step={step} cmd={cmd}: {exc}") from exc
        try:
            check_race_invariants(game.room, before, cmd)
        except AssertionError as exc:
            raise AssertionError(f"seed={seed} step={step} cmd={cmd}: {exc}") from exc
    return game


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_random_race_sequences_keep_the_invariants(seed: int) -> None:
    print(f"race fuzz seed {seed}")
    fuzz_race(seed)


def test_race_fuzzing_reaches_the_interesting_states() -> None:
    """Not vacuous: races start, drawings relay, recognitions score, prompts and games end."""
    seen: set[str] = set()
    results = 0
    for seed in range(10):
        game = fuzz_race(seed, 250)
        for before, _, _, events in game.log:
            if before.settings.mode == "race":
                seen.update(e.name for e in events)
                results += sum(1 for e in events if e.name == "turn_ended" and e.data.get("results"))
    assert {"turn_started", "draw", "race_recognized", "turn_ended", "chat"} <= seen, seen
    assert results > 0
