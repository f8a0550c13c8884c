"""The protocol's client schemas: what each event accepts, what it refuses (with the field named), and
that a draw batch becomes canonical log entries."""

from __future__ import annotations

import math
from typing import Any

import pytest

from game_server.core import GameError
from game_server.protocol import CLIENT_EVENTS, CLIENT_SCHEMAS, MAX_POINTS_PER_BATCH, decode


def stroke(sid: Any, pts: Any = None, **kw: object) -> dict:
    return {"type": "stroke", "id": sid, "tool": "pen", "color": "#112233", "width": 4,
            "points": [[10, 10], [20, 20]] if pts is None else pts, **kw}


def refused(event: str, data: Any) -> str:
    with pytest.raises(GameError) as err:
        decode(event, data)
    assert err.value.code == "bad_request"
    return err.value.message


def test_every_client_event_has_a_schema() -> None:
    assert set(CLIENT_SCHEMAS) == set(CLIENT_EVENTS)


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
    assert "ops" in refused("draw", {"seq": 0, "ops": ops})


def test_canonical_ops_drop_unknown_keys() -> None:
    data = {"seq": 0, "ops": [{**stroke(1, color="#AABBCC"), "evil": "<script>"}, {"type": "clear", "x": 1}]}
    ops = decode("draw", data).log_ops()
    assert ops == [
        {
            "type": "stroke",
            "id": 1,
            "tool": "pen",
            "color": "#aabbcc",
            "width": 4,
            "points": [(10, 10), (20, 20)],  # ints stay ints
        },
        {"type": "clear"},
    ]


@pytest.mark.parametrize("bad", [
    {"rounds": 0}, {"rounds": "3"}, {"rounds": True}, {"draw_time": 5}, {"hints": 9}, {"max_players": 1},
    {"mode": "relay"}, {"nope": 1}, {"custom_words": "cat"}, {"custom_words": ["ok", 5]}, {"public": 1},
    {"ai_player": "yes"}, {"custom_words": ["w"] * 201},
])
def test_bad_settings_are_refused_naming_the_key(bad: dict) -> None:
    key = next(iter(bad))
    assert key in refused("update_settings", {"settings": bad})
    assert key in refused("create_room", {"name": "Ann", "settings": bad})


def test_settings_changes_hold_only_the_keys_sent() -> None:
    payload = decode("update_settings", {"settings": {"rounds": 2, "custom_words": ["a b"]}})
    assert payload.settings.changes() == {"rounds": 2, "custom_words": ("a b",)}


@pytest.mark.parametrize("event,data,field", [
    ("draw", {"seq": -1, "ops": [{"type": "undo"}]}, "seq"),
    ("draw", {"seq": True, "ops": [{"type": "undo"}]}, "seq"),
    ("draw", {"seq": 0, "ops": [{"type": "undo"}], "turn": 5}, "turn"),
    ("draw", {"seq": 0, "ops": [stroke(1, [[math.inf, 1]])]}, "ops[0].points[0][0]"),
    ("choose_word", {"index": 5}, "index"),
    ("chat", {"text": ["hi"]}, "text"),
    ("join_room", {"name": "Bob"}, "code"),
    ("rejoin", {"token": "x" * 65}, "token"),
    ("kick", {"player_id": ""}, "player_id"),
    ("ai_guess", {"turn": "t", "stroke_count": 1, "guesses": [{"label": "cat", "prob": math.nan}]},
     "guesses[0].prob"),
    ("ai_guess", {"turn": "t", "stroke_count": 1, "guesses": [{"label": "cat", "prob": 1}], "provider": None},
     "provider"),
])
def test_refusals_name_the_field(event: str, data: Any, field: str) -> None:
    assert f"`{field}`" in refused(event, data)


@pytest.mark.parametrize("event,data,field", [
    ("rejoin", {"token": "\ud800"}, "token"),
    ("chat", {"text": "a\udfffb"}, "text"),
    ("create_room", {"name": "x", "settings": {"custom_words": ["ok", "c\ud800t"]}},
     "settings.custom_words[1]"),
    ("draw", {"seq": 0, "ops": [{"type": "undo"}], "turn": "\ud800"}, "turn"),
])
def test_lone_surrogates_are_refused_as_not_utf8(event: str, data: Any, field: str) -> None:
    message = refused(event, data)
    assert message.startswith(field) and "UTF-8" in message


@pytest.mark.parametrize("event,data", [
    ("create_room", {"\ud800": 1, "name": "x"}),  # a key (msgspec looks keys up as UTF-8)
    ("update_settings", {"settings": {"\ud800": 1}}),
    ("update_settings", {"settings": {"mode": "\ud800"}}),  # a choice
    ("draw", {"seq": 0, "ops": [{"type": "\ud800"}]}),  # a tag
    ("ai_guess", {"turn": "t", "stroke_count": 1, "guesses": [{"label": "x", "prob": 1}],
                  "provider": "\udc00"}),
])
def test_lone_surrogates_in_keys_and_choices_are_refused(event: str, data: Any) -> None:
    message = refused(event, data)
    assert "UTF-8" in message
    message.encode("utf-8")  # the answer itself is valid text


def test_batch_point_budget_counts_every_op() -> None:
    half = [[1, 1]] * (MAX_POINTS_PER_BATCH // 2)
    decode("draw", {"seq": 0, "ops": [stroke(1, half), {"type": "points", "id": 1, "points": half}]})
    over = [stroke(1, half), {"type": "points", "id": 1, "points": [*half, [1, 1]]}]
    assert "500 points" in refused("draw", {"seq": 0, "ops": over})
