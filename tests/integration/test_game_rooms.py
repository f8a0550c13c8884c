"""Rooms over the network: private codes, join by code, quick play, seats, kick, votekick, grace, protocol."""

from __future__ import annotations

import asyncio

import pytest
import socketio

from game_server.core.ids import CROCKFORD

from .conftest import Server


async def test_protocol_version_is_checked_at_connect(server: Server) -> None:
    for auth in ({"protocol": 999}, {}, None, "1"):
        client = socketio.AsyncClient(reconnection=False)
        refusals: list[object] = []
        client.on("connect_error", lambda data, seen=refusals: seen.append(data))
        with pytest.raises(socketio.exceptions.ConnectionError):
            await client.connect(server.url, auth=auth, transports=["websocket"], wait_timeout=5)
        assert refusals and refusals[0]["message"] == "protocol_mismatch"
        assert refusals[0]["data"]["server_protocol"] == 1
    ok = await server.client()
    assert ok.sio.connected


async def test_private_room_code_invite_and_join_by_code(server: Server) -> None:
    ann, bob = await server.client(), await server.client()
    ack = await ann.ok("create_room", {"name": "Ann", "settings": {"max_players": 2}})
    code = ack["code"]
    assert len(code) == 10 and set(code) <= set(CROCKFORD)
    assert ack["invite"] == f"/r/{code}" and ack["state"]["host_id"] == ack["player_id"]
    assert len(ack["token"]) == 32
    assert await server.ctx.store.find_public() == []  # private rooms are never offered to quick play
    joined = await bob.ok("join_room", {"code": f"{code[:5].lower()}-{code[5:]}", "name": "Bob"})
    assert joined["code"] == code and [p["name"] for p in joined["state"]["players"]] == ["Ann", "Bob"]
    note = await ann.wait_event("player_joined")
    assert note == {"player_id": bob.player_id, "name": "Bob", "role": "player"}
    cy = await server.client()
    full = await cy.call("join_room", {"code": code, "name": "Cy"})
    assert full["error"]["code"] == "room_full"
    assert (await cy.call("join_room", {"code": "ZZZZZZZZZZ", "name": "Cy"}))["error"][
        "code"
    ] == "room_not_found"
    watch = await cy.ok("join_room", {"code": code, "name": "Cy", "spectate": True})
    assert watch["role"] == "spectator" and watch["player_id"].startswith("s")
    again = await cy.call("join_room", {"code": code, "name": "Cy"})
    assert again["error"]["code"] == "already_in_room"


async def test_quick_play_fills_a_public_room_then_opens_another(server: Server) -> None:
    clients = [await server.client() for _ in range(4)]
    first = await clients[0].ok("quick_play", {"name": "Q0"})
    assert first["state"]["settings"]["public"] is True
    code = first["code"]
    await clients[0].ok("update_settings", {"settings": {"max_players": 3}})
    assert (await clients[1].ok("quick_play", {"name": "Q1"}))["code"] == code
    assert (await clients[2].ok("quick_play", {"name": "Q2"}))["code"] == code
    assert await server.ctx.store.find_public() == []  # full: no longer offered
    other = await clients[3].ok("quick_play", {"name": "Q3"})
    assert other["code"] != code
    await clients[2].ok("leave_room")
    assert code in await server.ctx.store.find_public()  # a seat opened again


async def test_leave_passes_host_and_last_one_out_deletes_the_room(server: Server) -> None:
    ann, bob = await server.client(), await server.client()
    code = (await ann.ok("create_room", {"name": "Ann"}))["code"]
    await bob.ok("join_room", {"code": code, "name": "Bob"})
    await ann.ok("leave_room")
    left = await bob.wait_event("player_left")
    assert left["reason"] == "left" and left["player_id"] == ann.player_id
    await bob.wait_for(lambda: bob.last_state()["host_id"] == bob.player_id)
    assert (await ann.call("get_state", {}))["error"]["code"] == "not_in_room"
    assert (await ann.call("rejoin", {"token": ann.token}))["error"]["code"] == "session_expired"
    await bob.ok("leave_room")
    assert await server.ctx.store.load(code) is None


async def test_spectator_joining_mid_turn_gets_the_drawing_and_watches(server: Server) -> None:
    ann, bob, zoe = await server.client(), await server.client(), await server.client()
    code = (await ann.ok("create_room", {"name": "Ann"}))["code"]
    await bob.ok("join_room", {"code": code, "name": "Bob"})
    await ann.ok("start_game")
    await ann.ok("choose_word", {"index": 0})
    ops = [{"type": "stroke", "id": 1, "tool": "pen", "color": "#ff0000", "width": 3, "points": [[1, 1]]}]
    await ann.ok("draw", {"seq": 0, "ops": ops})
    await ann.ok("draw", {"seq": 1, "ops": [{"type": "points", "id": 1, "points": [[2, 2], [3, 3]]}]})
    watch = await zoe.ok("join_room", {"code": code, "name": "Zoe", "spectate": True})
    assert [op["type"] for op in watch["drawing"]["ops"]] == ["stroke", "points"]
    assert watch["state"]["turn"]["word"] is None and "_" in watch["state"]["turn"]["pattern"]
    relay = await ann.ok("draw", {"seq": 2, "ops": [{"type": "undo"}]})
    assert relay["index"] == 2
    assert await zoe.wait_event("draw") == {"seq": 2, "index": 2, "ops": [{"type": "undo"}]}
    assert not ann.named("draw")  # the drawer does not get its own batches back
    for event, payload in [
        ("chat", {"text": "x"}),
        ("vote_kick", {"player_id": bob.player_id}),
        ("choose_word", {"index": 0}),
        ("start_game", {}),
    ]:
        ack = await zoe.call(event, payload)
        if event == "chat":
            assert ack == {"ok": True, "result": "sent"}
        else:
            assert ack["ok"] is False and ack["error"]["code"] in ("not_allowed", "not_host", "wrong_phase")
    room = await server.room(code)
    assert all(p.score == 0 for p in room.players)


async def test_host_kick_and_majority_votekick(server: Server) -> None:
    ann, bob, cy, dee, eve = [await server.client() for _ in range(5)]
    code = (await ann.ok("create_room", {"name": "Ann"}))["code"]
    for c, n in ((bob, "Bob"), (cy, "Cy"), (dee, "Dee"), (eve, "Eve")):
        await c.ok("join_room", {"code": code, "name": n})
    assert (await bob.call("kick", {"player_id": eve.player_id}))["error"]["code"] == "not_host"
    await ann.ok("kick", {"player_id": eve.player_id})
    assert await eve.wait_event("kicked") == {"reason": "kicked"}
    assert (await eve.call("chat", {"text": "hi"}))["error"]["code"] == "not_in_room"
    assert (await eve.call("rejoin", {"token": eve.token}))["error"]["code"] == "session_expired"
    first = await bob.ok("vote_kick", {"player_id": dee.player_id})
    assert first == {"ok": True, "votes": 1, "needed": 2, "kicked": False}
    again = await bob.call("vote_kick", {"player_id": dee.player_id})
    assert again["error"]["code"] == "already_voted"
    second = await cy.ok("vote_kick", {"player_id": dee.player_id})
    assert second["kicked"] is True
    assert await dee.wait_event("kicked") == {"reason": "votekick"}
    left = await ann.wait_event("player_left", lambda d: d["player_id"] == dee.player_id)
    assert left["reason"] == "votekick"
    n_events = len(dee.events)
    await ann.ok("chat", {"text": "bye dee"})
    await bob.wait_event("chat", lambda d: d["text"] == "bye dee")
    assert len(dee.events) == n_events  # a removed player hears nothing more
    room = await server.room(code)
    assert [p.name for p in room.players] == ["Ann", "Bob", "Cy"]
    await ann.ok("transfer_host", {"player_id": cy.player_id})
    assert (await server.room(code)).host_id == cy.player_id
    # A kicked connection may join a room again.
    assert (await eve.ok("join_room", {"code": code, "name": "Eve2"}))["role"] == "player"


async def test_seat_is_freed_after_the_grace_period(server: Server) -> None:
    ann, bob = await server.client(), await server.client()
    code = (await ann.ok("create_room", {"name": "Ann"}))["code"]
    await bob.ok("join_room", {"code": code, "name": "Bob"})
    await ann.sio.disconnect()
    await bob.wait_for(
        lambda: not next(p for p in bob.last_state()["players"] if p["name"] == "Ann")["connected"]
    )
    await server.tick(59)
    assert (await server.room(code)).player(ann.player_id) is not None
    await server.tick(1.5)
    left = await bob.wait_event("player_left")
    assert left == {"player_id": ann.player_id, "name": "Ann", "reason": "timeout"}
    room = await server.room(code)
    assert room.host_id == bob.player_id and [p.name for p in room.players] == ["Bob"]
    late = await server.client()
    assert (await late.call("rejoin", {"token": ann.token}))["error"]["code"] == "session_expired"


async def test_rejoin_on_a_second_connection_takes_the_seat_over(server: Server) -> None:
    ann, bob = await server.client(), await server.client()
    code = (await ann.ok("create_room", {"name": "Ann"}))["code"]
    await bob.ok("join_room", {"code": code, "name": "Bob"})
    tab2 = await server.client()
    ack = await tab2.ok("rejoin", {"token": bob.token})
    assert ack["player_id"] == bob.player_id
    await bob.wait_event("replaced")
    await bob.wait_for(lambda: not bob.sio.connected)
    await tab2.ok("chat", {"text": "still here"})
    room = await server.room(code)
    assert room.player(bob.player_id).connected  # the old connection's disconnect did not unseat tab2


async def test_concurrent_joins_from_one_connection_take_one_seat(server: Server) -> None:
    ann, bob = await server.client(), await server.client()
    code = (await ann.ok("create_room", {"name": "Ann"}))["code"]
    acks = await asyncio.gather(
        bob.call("join_room", {"code": code, "name": "Bob"}),
        bob.call("create_room", {"name": "Bob"}),
        bob.call("quick_play", {"name": "Bob"}),
    )
    assert sum(a["ok"] for a in acks) == 1
    assert all(a["error"]["code"] == "already_in_room" for a in acks if not a["ok"])


@pytest.mark.parametrize("fail", ["put_session", "save"])
async def test_a_join_that_fails_between_session_and_seat_leaves_nothing_usable_behind(
    server: Server, monkeypatch: pytest.MonkeyPatch, fail: str
) -> None:
    """Fault injection on the join's two writes: the session is written first, then the seat.

    If either fails the joiner gets `unavailable` and holds no seat; a session whose seat was never
    taken cannot seat anyone (a rejoin with it is refused and deletes it); a plain retry joins.
    """
    from game_server.store.base import StoreUnavailable

    ann, bob = await server.client(), await server.client()
    code = (await ann.ok("create_room", {"name": "Ann"}))["code"]
    store = server.ctx.store
    tokens: list[str] = []
    real_put, real_fail = store.put_session, getattr(store, fail)
    left = [1]

    async def put_session(token: str, *args: object, **kwargs: object) -> None:
        tokens.append(token)
        await real_put(token, *args, **kwargs)  # type: ignore[arg-type]

    async def failing(*args: object, **kwargs: object) -> object:
        if left[0]:
            left[0] -= 1
            raise StoreUnavailable("injected")
        return await real_fail(*args, **kwargs)

    monkeypatch.setattr(store, "put_session", put_session)
    monkeypatch.setattr(store, fail, failing)
    before = await server.raw(code)
    ack = await bob.call("join_room", {"code": code, "name": "Bob"})
    assert ack["error"]["code"] == "unavailable"
    assert await server.raw(code) == before  # no seat taken
    if fail == "save":  # the session was written first: it must be harmless
        orphan = tokens[0]
        assert await store.get_session(orphan) is not None
        eve = await server.client()
        assert (await eve.call("rejoin", {"token": orphan}))["error"]["code"] == "session_expired"
        assert await store.get_session(orphan) is None
    joined = await bob.ok("join_room", {"code": code, "name": "Bob"})  # a plain retry works
    assert [p["name"] for p in joined["state"]["players"]] == ["Ann", "Bob"]
    assert await store.get_session(joined["token"]) is not None


async def test_an_avatar_picked_at_join_is_in_every_view_and_kept_on_rejoin(server: Server) -> None:
    ann, bob, zoe = [await server.client() for _ in range(3)]
    created = await ann.ok("create_room", {"name": "Ann", "avatar": "11-7-2"})
    code = created["code"]
    await bob.ok("join_room", {"code": code, "name": "Bob"})  # no avatar: null (the client derives one)
    await zoe.ok("join_room", {"code": code, "name": "Zoe", "spectate": True, "avatar": "0-0-0"})
    state = (await bob.ok("get_state", {}))["state"]
    avatars = {p["name"]: p["avatar"] for p in state["players"] if p["kind"] == "human"}
    assert avatars == {"Ann": "11-7-2", "Bob": None}
    assert state["spectators"] == [{"id": state["spectators"][0]["id"], "name": "Zoe", "avatar": "0-0-0"}]
    again = await server.client()
    back = await again.ok("rejoin", {"token": created["token"]})
    assert next(p for p in back["state"]["players"] if p["name"] == "Ann")["avatar"] == "11-7-2"


async def test_list_rooms_shows_public_rooms_with_free_seats_to_anyone(server: Server) -> None:
    ann, bob, cy, out = [await server.client() for _ in range(4)]
    public = (await ann.ok("create_room", {"name": "Ann", "settings": {"public": True, "max_players": 2,
                                                                        "mode": "race"}}))["code"]
    private = (await bob.ok("create_room", {"name": "Bob"}))["code"]
    rooms = (await out.ok("list_rooms", {}))["rooms"]  # no seat needed
    assert rooms == [{"code": public, "phase": "lobby", "players": 1, "max_players": 2, "mode": "race"}]
    assert private not in {r["code"] for r in rooms}
    await cy.ok("join_room", {"code": public, "name": "Cy"})  # full now: off the list
    assert (await out.ok("list_rooms", {}))["rooms"] == []
    await cy.ok("leave_room", {})
    assert [r["players"] for r in (await out.ok("list_rooms", {}))["rooms"]] == [1]
