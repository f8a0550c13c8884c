"""The game on the Redis store: a turn with concurrent draw batches, guesses and the clock (marked redis)."""

from __future__ import annotations

import asyncio
import random

from .conftest import Server


async def test_a_turn_on_the_redis_store(redis_game_server: Server) -> None:
    server = redis_game_server
    ann, bob, cy = [await server.client() for _ in range(3)]
    code = (await ann.ok("create_room", {"name": "Ann", "settings": {"public": True}}))["code"]
    assert code in await server.ctx.store.find_public()
    await bob.ok("join_room", {"code": code, "name": "Bob"})
    await cy.ok("quick_play", {"name": "Cy"})
    assert len((await server.room(code)).players) == 3
    await ann.ok("start_game")
    await server.tick(15)  # the word is auto-picked through the store's deadline index
    room = await server.room(code)
    assert room.phase == "drawing"
    order = list(range(20))
    random.Random(5).shuffle(order)
    stroke = {"type": "stroke", "tool": "pen", "color": "#000000", "width": 2, "points": [[1, 1]]}
    acks = await asyncio.gather(*(ann.call("draw", {"seq": s, "ops": [{**stroke, "id": s}]}) for s in order))
    assert all(a["ok"] for a in acks)
    log = await server.ctx.store.get_strokes(code, room.turn.key)
    assert [op["id"] for op in log] == list(range(20))
    assert (await bob.ok("chat", {"text": room.turn.word}))["result"] == "correct"
    await server.tick(80)
    assert (await server.room(code)).phase == "turn_end"
    await bob.sio.disconnect()
    bob2 = await server.client()
    back = await bob2.ok("rejoin", {"token": bob.token})
    assert next(p for p in back["state"]["players"] if p["id"] == bob.player_id)["score"] > 0


async def test_list_rooms_on_the_redis_store(redis_game_server: Server) -> None:
    ann, out = await redis_game_server.client(), await redis_game_server.client()
    code = (await ann.ok("create_room", {"name": "Ann", "settings": {"public": True}}))["code"]
    listed = {r["code"]: r for r in (await out.ok("list_rooms", {}))["rooms"]}
    assert listed[code] == {"code": code, "phase": "lobby", "players": 1, "max_players": 8, "mode": "classic"}
    await ann.ok("leave_room", {})
    assert code not in {r["code"] for r in (await out.ok("list_rooms", {}))["rooms"]}
