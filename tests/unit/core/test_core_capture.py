"""Opt-in training data, the pure part: consent, which finished drawings become CaptureJobs, timed replay."""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
import pytest

from doodle_raster import visible_strokes
from game_server.core import Chat, ChooseWord, Join, Leave, SetConsent, StartGame, Tick
from game_server.core.capture import captures, is_contributor_id, new_contributor_id, timed_strokes
from game_server.core.events import member_view
from game_server.core.race import RACE_TIME

from .support import Game

ANN_ID = "c" + "a" * 24
BOB_ID = "c" + "b" * 24
CY_ID = "c" + "c" * 24


def jobs_of(game: Game) -> list:
    """Every CaptureJob the commands so far produced (as the shell would compute them after each save)."""
    rng = random.Random(1)
    return [job for before, after, _cmd, _ev in game.log for job in captures(before, after, 0.0, rng)]


def classic(*, ann: str = ANN_ID, bob: str = "", cy: str = "") -> tuple[Game, list[str]]:
    game = Game()
    ids = []
    for name, contributor in (("Ann", ann), ("Bob", bob), ("Cy", cy)):
        pid = f"p{name.lower()}"
        game.do(Join(pid, name, conn=f"c-{pid}", contributor=contributor))
        ids.append(pid)
    game.room = replace(game.room, settings=replace(game.room.settings, rounds=1, hints=0))
    return game, ids


def play_turn(game: Game, guessers: list[str], dt: float = 3.0) -> None:
    drawer = game.room.turn.drawer_id
    game.do(ChooseWord(drawer, 0))
    for pid in guessers:
        game.do(Chat(pid, game.word), dt=dt)


def test_only_the_consenting_drawers_turns_become_jobs_with_what_the_rules_know() -> None:
    game, (ann, bob, cy) = classic(ann=ANN_ID, bob=BOB_ID, cy="")
    game.do(StartGame(ann))
    words = {}
    for _ in range(3):
        drawer = game.room.turn.drawer_id
        others = [p for p in (ann, bob, cy) if p != drawer]
        play_turn(game, others)
        words[drawer] = game.word
        game.do(Tick(), dt=5.0)
    jobs = jobs_of(game)
    assert sorted(j.contributor for j in jobs) == [ANN_ID, BOB_ID]  # not Cy's turn
    for job in jobs:
        assert job.word in words.values() and job.mode == "classic" and job.code == game.room.code
        assert job.human_at_s == pytest.approx(3.0)  # the first guess came 3 s into the drawing
        assert job.ai_at_s is None and len(job.key_id) == 16 and job.key_id.isdigit()
    assert len({j.key_id for j in jobs}) == 2


def test_a_revoked_consent_keeps_nothing_and_a_late_one_keeps_the_next_drawing() -> None:
    game, (ann, bob, cy) = classic(ann=ANN_ID)
    game.do(SetConsent(ann, ""))
    game.do(SetConsent(cy, BOB_ID))
    game.do(StartGame(ann))
    for _ in range(3):
        drawer = game.room.turn.drawer_id
        play_turn(game, [p for p in (ann, bob, cy) if p != drawer])
        game.do(Tick(), dt=5.0)
    assert [j.contributor for j in jobs_of(game)] == [BOB_ID]


def test_a_turn_without_a_guess_is_kept_as_unrecognized_and_a_drawer_who_leaves_counts() -> None:
    game, (ann, bob, cy) = classic(ann=ANN_ID, bob=BOB_ID, cy=CY_ID)
    game.do(StartGame(ann))
    first = game.room.turn.drawer_id
    game.do(ChooseWord(first, 0))
    game.do(Tick(), dt=200.0)  # time runs out: nobody guessed
    game.do(Tick(), dt=5.0)
    second = game.room.turn.drawer_id
    game.do(ChooseWord(second, 0))
    game.do(Leave(second), dt=1.0)  # the drawer leaves mid-drawing: the turn ends, the drawing counts
    jobs = jobs_of(game)
    ids = {ann: ANN_ID, bob: BOB_ID, cy: CY_ID}
    assert [(j.contributor, j.human_at_s) for j in jobs] == [(ids[first], None), (ids[second], None)]


def test_consent_rules() -> None:
    game, (ann, _bob, _cy) = classic(ann="")
    game.do(Join("szoe", "Zoe", conn="c-z", spectate=True, contributor=ANN_ID))
    assert game.room.spectators[0].id == "szoe" and not hasattr(game.room.spectators[0], "contributor")
    game.refuse(SetConsent("szoe", ANN_ID), "not_allowed")
    game.refuse(SetConsent(ann, "not-an-id"), "bad_request")
    game.refuse(SetConsent("nobody", ANN_ID), "not_in_room")
    game.do(SetConsent(ann, ANN_ID))
    views = [member_view(game.room, pid, 0.0) for pid in ("pann", "pbob", "szoe")]
    for view in views:
        assert [p["shares"] for p in view["players"]] == [True, False, False]
        assert ANN_ID not in repr(view)  # nobody's view carries the id, not even the owner's


def test_race_prompts_keep_each_consenting_players_own_drawing() -> None:
    game, (ann, _bob, cy) = classic(ann=ANN_ID, bob="", cy=BOB_ID)
    game.room = replace(game.room, settings=replace(game.room.settings, mode="race"))
    game.do(StartGame(ann))
    key = game.room.turn.key
    game.do(Tick(), dt=RACE_TIME + 0.1)
    jobs = jobs_of(game)
    assert sorted((j.log, j.contributor, j.mode) for j in jobs) == [
        (f"{key}:{ann}", ANN_ID, "race"), (f"{key}:{cy}", BOB_ID, "race")]
    assert all(j.human_at_s is None for j in jobs)


def test_contributor_ids_are_opaque_and_checked() -> None:
    rng = random.Random(3)
    ids = {new_contributor_id(rng) for _ in range(50)}
    assert len(ids) == 50 and all(is_contributor_id(i) for i in ids)
    assert not is_contributor_id("c" + "g" * 24) and not is_contributor_id(ANN_ID + "\n")


OPS = [
    {"type": "stroke", "id": 1, "tool": "pen", "color": "#000000", "width": 5, "points": [[1, 2], [3, 4]]},
    {"type": "points", "id": 1, "points": [[5, 6]]},
    {"type": "stroke", "id": 2, "tool": "eraser", "color": "#000000", "width": 20, "points": [[2, 2]]},
    {"type": "points", "id": 7, "points": [[9, 9]]},  # an unknown stroke: dropped
    {"type": "stroke", "id": 3, "tool": "pen", "color": "#000000", "width": 5, "points": [[7, 7]]},
    {"type": "undo"},
    {"type": "fill", "x": 1, "y": 1},  # an op the replay does not know: ignored
    {"type": "points", "id": 1, "points": [[8, 8]]},
]


def test_timed_replay_matches_the_rasterizers_replay_and_keeps_batch_times() -> None:
    times = [0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0]
    strokes = timed_strokes(OPS, times)
    reference = visible_strokes(OPS)
    assert [s["tool"] for s in strokes] == [s.tool for s in reference]
    for mine, theirs in zip(strokes, reference, strict=True):
        assert np.array_equal(np.column_stack([mine["x"], mine["y"]]), theirs.points)
    assert strokes[0]["t"] == [0.0, 0.0, 10.0, 70.0] and strokes[1]["t"] == [20.0]
    assert timed_strokes(OPS)[0]["t"] is None
    assert timed_strokes([*OPS, {"type": "clear"}], [*times, 80.0]) == []
