"""Bad input for every client event: wrong types, missing fields, oversized, wrong phase, wrong role.

Each case expects an error ack with a specific code, and the room (as stored) must be byte-for-byte
unchanged afterwards. Rate limits are lifted here (they have their own test) so every case reaches its check.
"""

from __future__ import annotations

from typing import Any

import pytest

from game_server import protocol
from game_server.ratelimit import RateLimiter

from .conftest import Client, Server

BIG = "x" * 5000


class Table:
    """A room mid-game: Ann (host) is choosing, Bob and Cy play, Zoe watches, Out holds no seat."""

    def __init__(self, server: Server, code: str, **clients: Client) -> None:
        self.server, self.code = server, code
        self.ann, self.bob, self.cy, self.zoe, self.out = (
            clients[k] for k in ("ann", "bob", "cy", "zoe", "out")
        )


@pytest.fixture
async def table(server: Server) -> Table:
    rt = server.ctx.runtime
    for name in rt.limiters:
        rt.limiters[name] = RateLimiter(10_000, 10_000)
    ann, bob, cy, zoe, out = [await server.client() for _ in range(5)]
    code = (await ann.ok("create_room", {"name": "Ann"}))["code"]
    await bob.ok("join_room", {"code": code, "name": "Bob"})
    await cy.ok("join_room", {"code": code, "name": "Cy"})
    await zoe.ok("join_room", {"code": code, "name": "Zoe", "spectate": True})
    await ann.ok("start_game")
    return Table(server, code, ann=ann, bob=bob, cy=cy, zoe=zoe, out=out)


async def expect(t: Table, who: Client, event: str, payload: Any, code: str) -> None:
    before = await t.server.raw(t.code)
    ack = await who.call(event, payload)
    assert ack["ok"] is False, (event, payload, ack)
    assert ack["error"]["code"] == code, (event, payload, ack)
    assert isinstance(ack["error"]["message"], str) and ack["error"]["message"]
    assert await t.server.raw(t.code) == before, f"{event} {payload!r} changed the room"


def stroke(**kw: Any) -> dict:
    return {
        "type": "stroke",
        "id": 1,
        "tool": "pen",
        "color": "#000000",
        "width": 3,
        "points": [[1, 1]],
        **kw,
    }


NOT_OBJECTS = ["text", 5, None, [1, 2], True]
# Avatars are "COLOR-FACE-SHAPE" (0-11, 0-7, 0-2): out of range, padded, trailing newline, other types
BAD_AVATARS = ["12-0-0", "0-8-0", "0-0-3", "01-0-0", "0-0-0\n", " 0-0-0", "0-0", "", 5, [1, 2, 3],
               {"color": 1}, "x" * 5000, "1-1-\ud800"]


@pytest.mark.parametrize("event", protocol.CLIENT_EVENTS)
async def test_every_event_rejects_a_payload_that_is_not_an_object(table: Table, event: str) -> None:
    for payload in NOT_OBJECTS:
        await expect(table, table.ann, event, payload, "bad_request")
    await expect(table, table.ann, event, None, "bad_request")  # no payload at all
    before = await table.server.raw(table.code)
    ack = await table.ann.sio.call(event, ({}, {}), timeout=5)  # two arguments
    assert ack["error"]["code"] == "bad_request" and await table.server.raw(table.code) == before


async def test_create_room(table: Table) -> None:
    t, out = table, table.out
    for payload, code in [
        ({}, "bad_request"),
        ({"name": 5}, "bad_request"),
        ({"name": BIG}, "bad_request"),
        ({"name": "x" * 25}, "bad_request"),
        ({"name": "a\x00b"}, "invalid_text"),
        ({"name": "  "}, "invalid_text"),
        ({"name": "ok", "settings": "fast"}, "bad_request"),
        ({"name": "ok", "settings": {"rounds": 99}}, "bad_request"),
        ({"name": "ok", "settings": {"custom_words": ["a\x1bb"]}}, "invalid_text"),
        ({"name": "ok", "settings": {"custom_words": ["w"] * 201}}, "bad_request"),
        *(({"name": "ok", "avatar": bad}, "bad_request") for bad in BAD_AVATARS),
    ]:
        await expect(t, out, "create_room", payload, code)
    await expect(t, t.bob, "create_room", {"name": "Bob"}, "already_in_room")
    assert await t.server.ctx.store.find_public() == []


async def test_join_room(table: Table) -> None:
    t, out = table, table.out
    for payload, code in [
        ({"name": "Out"}, "bad_request"),
        ({"code": 12, "name": "Out"}, "bad_request"),
        ({"code": BIG, "name": "Out"}, "bad_request"),
        ({"code": "abc", "name": "Out"}, "bad_request"),
        ({"code": t.code}, "bad_request"),
        ({"code": t.code, "name": ["Out"]}, "bad_request"),
        ({"code": t.code, "name": "O\nut"}, "invalid_text"),
        ({"code": t.code, "name": "Out", "spectate": "yes"}, "bad_request"),
        ({"code": "0000000000", "name": "Out"}, "room_not_found"),
        *(({"code": t.code, "name": "Out", "avatar": bad}, "bad_request") for bad in BAD_AVATARS),
    ]:
        await expect(t, out, "join_room", payload, code)
    await expect(t, t.cy, "join_room", {"code": t.code, "name": "Cy"}, "already_in_room")


async def test_quick_play_and_rejoin(table: Table) -> None:
    t, out = table, table.out
    for payload, code in [
        ({}, "bad_request"),
        ({"name": 1}, "bad_request"),
        ({"name": "\x7f"}, "invalid_text"),
        *(({"name": "Out", "avatar": bad}, "bad_request") for bad in BAD_AVATARS),
    ]:
        await expect(t, out, "quick_play", payload, code)
    await expect(t, t.bob, "quick_play", {"name": "Bob"}, "already_in_room")
    for payload, code in [
        ({}, "bad_request"),
        ({"token": 7}, "bad_request"),
        ({"token": BIG}, "bad_request"),
        ({"token": ""}, "bad_request"),
        ({"token": "f" * 32}, "session_expired"),
    ]:
        await expect(t, out, "rejoin", payload, code)
    await expect(t, t.bob, "rejoin", {"token": t.cy.token}, "already_in_room")


async def test_leave_and_get_state_need_a_seat(table: Table) -> None:
    await expect(table, table.out, "leave_room", {}, "not_in_room")
    await expect(table, table.out, "get_state", {}, "not_in_room")
    ack = await table.zoe.ok("get_state", {})
    assert ack["state"]["phase"] == "choosing" and ack["state"]["turn"]["choices"] is None


async def test_update_settings(table: Table) -> None:
    t = table
    await expect(t, t.ann, "update_settings", {"settings": {"rounds": 2}}, "wrong_phase")  # a game is on
    await expect(t, t.bob, "update_settings", {"settings": {"rounds": 2}}, "not_host")
    await expect(t, t.zoe, "update_settings", {"settings": {"rounds": 2}}, "not_host")
    await expect(t, t.out, "update_settings", {"settings": {"rounds": 2}}, "not_in_room")
    # Back to the lobby to check the values themselves.
    await t.bob.ok("leave_room")
    await t.cy.ok("leave_room")  # one player left: the game ends
    await t.server.tick(10)
    assert (await t.server.room(t.code)).phase == "lobby"
    for payload in [
        {},
        {"settings": "x"},
        {"settings": {"rounds": "2"}},
        {"settings": {"rounds": 11}},
        {"settings": {"draw_time": 14}},
        {"settings": {"word_choices": 0}},
        {"settings": {"hints": -1}},
        {"settings": {"max_players": 13}},
        {"settings": {"public": "no"}},
        {"settings": {"mode": "relay"}},
        {"settings": {"custom_only": True}},
        {"settings": {"colour": "red"}},
        {"settings": {"custom_words": [BIG]}},
        {"settings": {"rounds": 2, "hints": 99}},
    ]:
        await expect(t, t.ann, "update_settings", payload, "bad_request")
    ok = await t.ann.ok("update_settings", {"settings": {"rounds": 2, "custom_words": ["Hot Dog"]}})
    assert ok["settings"]["rounds"] == 2 and ok["settings"]["custom_words"] == ["hot dog"]


async def test_start_game(table: Table) -> None:
    t = table
    await expect(t, t.ann, "start_game", {}, "wrong_phase")
    await expect(t, t.bob, "start_game", {}, "not_host")
    await expect(t, t.out, "start_game", {}, "not_in_room")


async def test_choose_word(table: Table) -> None:
    t = table
    for payload in [{}, {"index": "0"}, {"index": 1.5}, {"index": True}, {"index": -1}, {"index": 10**6}]:
        await expect(t, t.ann, "choose_word", payload, "bad_request")
    await expect(t, t.ann, "choose_word", {"index": 7}, "bad_request")  # only 3 choices
    await expect(t, t.bob, "choose_word", {"index": 0}, "not_allowed")
    await expect(t, t.zoe, "choose_word", {"index": 0}, "not_allowed")
    await expect(t, t.out, "choose_word", {"index": 0}, "not_in_room")
    await t.ann.ok("choose_word", {"index": 0})
    await expect(t, t.ann, "choose_word", {"index": 1}, "wrong_phase")


async def test_chat(table: Table) -> None:
    t = table
    for payload, code in [
        ({}, "bad_request"),
        ({"text": 5}, "bad_request"),
        ({"text": "x" * 201}, "bad_request"),
        ({"text": BIG}, "bad_request"),
        ({"text": ""}, "invalid_text"),
        ({"text": "hi\x00"}, "invalid_text"),
        ({"text": "rtl\u202eoverride"}, "invalid_text"),
    ]:
        await expect(t, t.bob, "chat", payload, code)
    choices = (await t.server.room(t.code)).turn.choices
    await expect(t, t.ann, "chat", {"text": f"maybe {choices[1]}"}, "word_in_chat")
    word = (await t.ann.ok("choose_word", {"index": 0}))["word"]
    await expect(t, t.ann, "chat", {"text": f"it's {word.upper()}!"}, "word_in_chat")
    await expect(t, t.out, "chat", {"text": "hello"}, "not_in_room")


async def test_draw(table: Table) -> None:
    t = table
    await expect(t, t.ann, "draw", {"seq": 0, "ops": [stroke()]}, "wrong_phase")  # still choosing
    await t.ann.ok("choose_word", {"index": 0})
    for payload in [
        {},
        {"ops": [stroke()]},
        {"seq": 0},
        {"seq": "0", "ops": [stroke()]},
        {"seq": -1, "ops": [stroke()]},
        {"seq": 0, "ops": "lines"},
        {"seq": 0, "ops": []},
        {"seq": 0, "ops": [stroke()] * 65},
        {"seq": 0, "ops": [stroke(points=[[1, 1]] * 501)]},
        {"seq": 0, "ops": [stroke(points=[[900, 1]])]},
        {"seq": 0, "ops": [stroke(color="javascript:")]},
        {"seq": 0, "ops": [stroke(width=1000)]},
        {"seq": 0, "ops": [stroke(tool="spray")]},
        {"seq": 0, "ops": [{"type": "points", "id": 1, "points": [[1, 1]]}]},
        {"seq": 0, "ops": [stroke()], "turn": 5},
    ]:
        await expect(t, t.ann, "draw", payload, "bad_request")
    await expect(t, t.bob, "draw", {"seq": 0, "ops": [stroke()]}, "not_allowed")
    await expect(t, t.zoe, "draw", {"seq": 0, "ops": [stroke()]}, "not_allowed")
    await expect(t, t.out, "draw", {"seq": 0, "ops": [stroke()]}, "not_in_room")
    await expect(t, t.ann, "draw", {"seq": 0, "ops": [stroke()], "turn": "g9-r9-t9"}, "wrong_phase")
    assert (await t.ann.ok("draw", {"seq": 0, "ops": [stroke()]}))["index"] == 0


async def test_kick_vote_kick_transfer_host(table: Table) -> None:
    t = table
    for event in ("kick", "vote_kick", "transfer_host"):
        for payload in [{}, {"player_id": 5}, {"player_id": BIG}, {"player_id": ""}]:
            await expect(t, t.ann, event, payload, "bad_request")
        await expect(t, t.out, event, {"player_id": t.bob.player_id}, "not_in_room")
    await expect(t, t.bob, "kick", {"player_id": t.cy.player_id}, "not_host")
    await expect(t, t.zoe, "kick", {"player_id": t.cy.player_id}, "not_host")
    await expect(t, t.ann, "kick", {"player_id": t.ann.player_id}, "not_allowed")
    await expect(t, t.ann, "kick", {"player_id": "pnobody"}, "unknown_player")
    await expect(t, t.zoe, "vote_kick", {"player_id": t.cy.player_id}, "not_allowed")
    await expect(t, t.bob, "vote_kick", {"player_id": t.bob.player_id}, "not_allowed")
    await expect(t, t.bob, "vote_kick", {"player_id": "pnobody"}, "unknown_player")
    await expect(
        t, t.bob, "vote_kick", {"player_id": t.zoe.player_id}, "unknown_player"
    )  # spectators: host kick
    await expect(t, t.bob, "transfer_host", {"player_id": t.cy.player_id}, "not_host")
    await expect(t, t.ann, "transfer_host", {"player_id": t.ann.player_id}, "not_allowed")
    await expect(t, t.ann, "transfer_host", {"player_id": t.zoe.player_id}, "unknown_player")
    await t.cy.ok("leave_room")
    await expect(t, t.bob, "vote_kick", {"player_id": t.ann.player_id}, "not_enough_players")


async def test_rate_limits_refuse_floods_and_change_nothing(server: Server) -> None:
    ann, bob = await server.client(), await server.client()
    code = (await ann.ok("create_room", {"name": "Ann"}))["code"]
    await bob.ok("join_room", {"code": code, "name": "Bob"})
    acks = [await ann.call("chat", {"text": f"m{i}"}) for i in range(10)]
    limited = [a for a in acks if not a["ok"]]
    assert limited and all(a["error"]["code"] == "rate_limited" for a in limited)
    assert sum(a["ok"] for a in acks) == 6  # the burst
    await bob.wait_for(lambda: len(bob.named("chat")) == 6)
    await server.tick(0)
    assert len(bob.named("chat")) == 6
    joins = [await bob.call("join_room", {"code": code, "name": "Bob"}) for _ in range(8)]
    assert [a["error"]["code"] for a in joins].count("rate_limited") >= 2
