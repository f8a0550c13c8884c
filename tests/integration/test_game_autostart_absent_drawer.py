"""Over the network: public quick-play lobbies start on their own; an absent drawer does not hang a turn."""

from __future__ import annotations

from game_server.core.lobby import LOBBY_COUNTDOWN
from game_server.core.state import DRAWER_GRACE

from .conftest import Client, Server


async def test_quick_play_lobby_counts_down_starts_and_takes_mid_game_joiners(server: Server) -> None:
    ann, bob, cy = await server.client(), await server.client(), await server.client()
    code = (await ann.ok("quick_play", {"name": "Ann"}))["code"]
    assert (await bob.ok("quick_play", {"name": "Bob"}))["code"] == code
    state = await ann.wait_for(lambda: ann.last_state()["deadline"] and ann.last_state())
    assert state["phase"] == "lobby" and state["deadline"] == server.clock.t + LOBBY_COUNTDOWN
    await server.tick(LOBBY_COUNTDOWN - 0.5)
    assert (await server.room(code)).phase == "lobby"
    await server.tick(0.5)
    await bob.wait_for(lambda: bob.last_state()["phase"] == "choosing")
    # Quick play places a newcomer into the running game while it has a free seat.
    late = await cy.ok("quick_play", {"name": "Cy"})
    assert late["code"] == code and late["role"] == "player" and late["state"]["phase"] == "choosing"


async def test_quick_play_countdown_is_cancelled_when_a_player_drops(server: Server) -> None:
    ann, bob = await server.client(), await server.client()
    code = (await ann.ok("quick_play", {"name": "Ann"}))["code"]
    await bob.ok("quick_play", {"name": "Bob"})
    await ann.wait_for(lambda: ann.last_state()["deadline"] is not None)
    await bob.sio.disconnect()
    await ann.wait_for(lambda: ann.last_state()["deadline"] is None)
    await server.tick(LOBBY_COUNTDOWN + 1)
    assert (await server.room(code)).phase == "lobby"


async def _drawing_room(server: Server) -> tuple[str, Client, Client, Client]:
    ann, bob, cy = await server.client(), await server.client(), await server.client()
    code = (await ann.ok("create_room", {"name": "Ann"}))["code"]
    for c, name in ((bob, "Bob"), (cy, "Cy")):
        await c.ok("join_room", {"code": code, "name": name})
    await ann.ok("start_game")
    await ann.ok("choose_word", {"index": 0})
    await bob.wait_for(lambda: bob.last_state()["phase"] == "drawing")
    return code, ann, bob, cy


async def test_a_drawer_who_disconnects_ends_the_turn_after_a_short_grace(server: Server) -> None:
    code, ann, bob, _ = await _drawing_room(server)
    word = (await server.room(code)).turn.word
    await ann.sio.disconnect()
    await bob.wait_for(lambda: not bob.last_state()["players"][0]["connected"])
    await server.tick(DRAWER_GRACE - 0.5)
    assert (await server.room(code)).phase == "drawing"
    await server.tick(0.5)
    ended = await bob.wait_event("turn_ended")
    assert ended == {"word": word, "reason": "drawer_left", "deltas": {}}
    assert (await server.room(code)).player(ann.player_id) is not None  # the seat waits for its own grace


async def test_a_drawer_who_rejoins_in_time_keeps_drawing(server: Server) -> None:
    code, ann, bob, _ = await _drawing_room(server)
    await ann.sio.disconnect()
    await bob.wait_for(lambda: not bob.last_state()["players"][0]["connected"])
    await server.tick(DRAWER_GRACE / 2)
    back = await server.client()
    ack = await back.ok("rejoin", {"token": ann.token})
    assert ack["state"]["phase"] == "drawing" and ack["state"]["drawer_id"] == ann.player_id
    await server.tick(DRAWER_GRACE)
    assert (await server.room(code)).phase == "drawing"
    assert not [e for e in bob.named("turn_ended")]
    await back.ok("draw", {"seq": 0, "ops": [{"type": "stroke", "id": 1, "tool": "pen", "color": "#000000",
                                               "width": 4, "points": [[10, 10], [20, 20]]}]})
