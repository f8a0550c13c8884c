"""Draw batches: who may draw, the log bookkeeping: seq, open stroke, limits (shapes: test_protocol.py)."""

from __future__ import annotations

import pytest

from game_server.core import ChooseWord, DrawBatch, GameError, StartGame, draw_relay
from game_server.core.drawing import MAX_POINTS_PER_TURN, LogMeta, append_batch, seq_status
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


def test_a_batch_relays_to_all_but_the_drawer_and_leaves_the_room_alone(game: Game) -> None:
    before = game.room
    events = batch(game, 0, [stroke(1)])
    assert [e.name for e in events] == ["draw"]  # no state views per batch
    assert events[0].to.players == frozenset({"pbob"}) and events[0].to.spectators
    assert events[0].data["seq"] == 0
    assert game.room is before  # the bookkeeping lives with the log (store S13), not in the room
    key, relay = draw_relay(game.room, DrawBatch("pann", 3, tuple(canonical_ops([stroke(2)]))))
    assert key == game.room.turn.key and relay.data["seq"] == 3


def test_log_bookkeeping_follows_seq_and_ops() -> None:
    meta = append_batch(LogMeta(), canonical_ops([stroke(1)]))
    assert seq_status(meta, 0) == "dup" and seq_status(meta, 1) == "next" and seq_status(meta, 3) == "ahead"
    meta = append_batch(meta, canonical_ops([{"type": "points", "id": 1, "points": [[30, 30]]},
                                             {"type": "undo"}, {"type": "clear"}]))
    assert (meta.next_seq, meta.points, meta.ops, meta.open_stroke) == (2, 3, 4, None)
    assert LogMeta.from_dict(meta.to_dict()) == meta and LogMeta.from_dict(None) == LogMeta()


def test_points_only_continue_the_open_stroke() -> None:
    meta = append_batch(LogMeta(), canonical_ops([stroke(5)]))
    for ops in ([{"type": "points", "id": 4, "points": [[1, 1]]}], [stroke(5)]):  # ids must grow
        with pytest.raises(GameError) as err:
            append_batch(meta, canonical_ops(ops))
        assert err.value.code == "bad_request"
    meta = append_batch(meta, [{"type": "undo"}])
    with pytest.raises(GameError):
        append_batch(meta, canonical_ops([{"type": "points", "id": 5, "points": [[1, 1]]}]))


def test_role_and_phase(game: Game) -> None:
    ops = tuple(canonical_ops([stroke(1)]))
    game.refuse(DrawBatch("pbob", 0, ops), "not_allowed")
    game.refuse(DrawBatch("nobody", 0, ops), "not_in_room")
    with pytest.raises(GameError) as err:
        draw_relay(game.room, DrawBatch("pann", 0, ops), turn_key="g0-r0-t0")
    assert err.value.code == "wrong_phase"
    g = Game()
    g.join("Ann", "Bob")
    g.refuse(DrawBatch("pann", 0, ops), "wrong_phase")


def test_turn_point_limit() -> None:
    meta = LogMeta()
    pts = [[1.0, 1.0]] * MAX_POINTS_PER_BATCH
    for i in range(MAX_POINTS_PER_TURN // MAX_POINTS_PER_BATCH):
        meta = append_batch(meta, canonical_ops([stroke(i, pts)]))
    with pytest.raises(GameError) as err:
        append_batch(meta, canonical_ops([stroke(10_000)]))
    assert err.value.code == "draw_limit"
