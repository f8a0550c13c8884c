"""Draw batches: sequence numbers, open stroke rule, turn limits (shapes: tests/unit/test_protocol.py)."""

from __future__ import annotations

import pytest

from game_server.core import ChooseWord, DrawBatch, GameError, StartGame, draw_seq_status
from game_server.core.drawing import MAX_POINTS_PER_TURN
from game_server.protocol import MAX_POINTS_PER_BATCH, decode

from .support import Game


def stroke(sid: int, pts: list[list[float]] | None = None, **kw: object) -> dict:
    return {
        "type": "stroke",
        "id": sid,
        "tool": "pen",
        "color": "#112233",
        "width": 4,
        "points": [[10, 10], [20, 20]] if pts is None else pts,
        **kw,
    }


def canonical_ops(ops: list[dict]) -> list[dict]:
    """Log entries as the handler makes them: decoded by the `draw` schema."""
    return decode("draw", {"seq": 0, "ops": ops}).log_ops()  # type: ignore[no-any-return]


@pytest.fixture
def game() -> Game:
    g = Game()
    g.join("Ann", "Bob")
    g.do(StartGame("pann"))
    g.do(ChooseWord("pann", 0))
    return g


def batch(g: Game, seq: int, ops: list[dict]) -> list:
    return g.do(DrawBatch("pann", seq, tuple(canonical_ops(ops))))


def test_batches_apply_in_seq_order_and_relay_to_all_but_the_drawer(game: Game) -> None:
    events = batch(game, 0, [stroke(1)])
    assert [e.name for e in events] == ["draw"]  # no state views per batch
    assert events[0].to.players == frozenset({"pbob"}) and events[0].to.spectators
    assert events[0].data["seq"] == 0
    assert draw_seq_status(game.room, "pann", 0) == "dup"
    assert draw_seq_status(game.room, "pann", 1) == "next"
    assert draw_seq_status(game.room, "pann", 3) == "ahead"
    with pytest.raises(GameError) as err:
        batch(game, 2, [{"type": "undo"}])
    assert err.value.code == "seq_gap"
    batch(game, 1, [{"type": "points", "id": 1, "points": [[30, 30]]}, {"type": "undo"}, {"type": "clear"}])
    assert game.room.turn.next_seq == 2 and game.room.turn.points == 3 and game.room.turn.open_stroke is None


def test_points_only_continue_the_open_stroke(game: Game) -> None:
    batch(game, 0, [stroke(5)])
    game.refuse(DrawBatch("pann", 1, ({"type": "points", "id": 4, "points": [[1, 1]]},)), "bad_request")
    game.refuse(DrawBatch("pann", 1, (canonical_ops([stroke(5)])[0],)), "bad_request")  # ids must grow
    batch(game, 1, [{"type": "undo"}])
    game.refuse(DrawBatch("pann", 2, ({"type": "points", "id": 5, "points": [[1, 1]]},)), "bad_request")


def test_role_and_phase(game: Game) -> None:
    ops = tuple(canonical_ops([stroke(1)]))
    game.refuse(DrawBatch("pbob", 0, ops), "not_allowed")
    game.refuse(DrawBatch("nobody", 0, ops), "not_in_room")
    with pytest.raises(GameError) as err:
        draw_seq_status(game.room, "pann", 0, turn_key="g0-r0-t0")
    assert err.value.code == "wrong_phase"
    g = Game()
    g.join("Ann", "Bob")
    g.refuse(DrawBatch("pann", 0, ops), "wrong_phase")


def test_turn_point_limit(game: Game) -> None:
    seq = 0
    pts = [[1.0, 1.0]] * MAX_POINTS_PER_BATCH
    for i in range(MAX_POINTS_PER_TURN // MAX_POINTS_PER_BATCH):
        batch(game, seq, [stroke(i, pts)])
        seq += 1
    game.refuse(DrawBatch("pann", seq, tuple(canonical_ops([stroke(10_000)]))), "draw_limit")
