"""Draw batches: canonical ops, who may draw, the log bookkeeping (seq, open stroke rule, limits), bounds."""

from __future__ import annotations

import pytest

from game_server.core import ChooseWord, DrawBatch, GameError, StartGame, draw_relay
from game_server.core.drawing import (
    MAX_POINTS_PER_BATCH,
    MAX_POINTS_PER_TURN,
    LogMeta,
    append_batch,
    canonical_ops,
    seq_status,
)

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


@pytest.mark.parametrize(
    "ops",
    [
        [],
        "x",
        [1],
        [{"type": "blob"}],
        [stroke(1, [[801, 0]])],
        [stroke(1, [[0, -1]])],
        [stroke(1, [[float("nan"), 0]])],
        [stroke(1, [[True, 0]])],
        [stroke(1, [[1, 2, 3]])],
        [stroke(1, [])],
        [stroke(-1)],
        [stroke(2**31)],
        [stroke(1, color="red")],
        [stroke(1, color="#12345")],
        [stroke(1, width=0)],
        [stroke(1, width=61)],
        [stroke(1, tool="brush")],
        [stroke(1.5)],
        [stroke(1, [[1, 1]] * (MAX_POINTS_PER_BATCH + 1))],
        [{"type": "undo"}] * 65,
        [{"type": "points", "id": 1, "points": "1,2"}],
    ],
)
def test_malformed_batches_are_rejected(ops: object) -> None:
    with pytest.raises(GameError) as err:
        canonical_ops(ops)
    assert err.value.code == "bad_request"


def test_canonical_ops_drop_unknown_keys() -> None:
    ops = canonical_ops([{**stroke(1, color="#AABBCC"), "evil": "<script>"}, {"type": "clear", "x": 1}])
    assert ops == [
        {
            "type": "stroke",
            "id": 1,
            "tool": "pen",
            "color": "#aabbcc",
            "width": 4,
            "points": [[10, 10], [20, 20]],
        },
        {"type": "clear"},
    ]
