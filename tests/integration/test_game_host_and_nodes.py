"""Over the network: a disconnected host hands the role on after a short grace; a server process that stops
beating has its players disconnected by another process's sweep (two apps sharing one store, fake store
clock)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from game_server.core.state import HOST_GRACE
from game_server.store.memory import MemoryStore

from .conftest import Server, start_server, stop_server


async def test_a_disconnected_host_does_not_block_start_game(server: Server) -> None:
    ann, bob, cy = await server.client(), await server.client(), await server.client()
    code = (await ann.ok("create_room", {"name": "Ann"}))["code"]
    await bob.ok("join_room", {"code": code, "name": "Bob"})
    await cy.ok("join_room", {"code": code, "name": "Cy"})
    await ann.sio.disconnect()
    def ann_away(s: dict) -> bool:
        return not next(p for p in s["players"] if p["name"] == "Ann")["connected"]

    away = await bob.wait_event("state", ann_away)
    assert away["host_id"] == ann.player_id  # a reload keeps the role: HOST_GRACE seconds first
    await server.tick(HOST_GRACE)  # the grace runs out: the clock hands the role on
    view = await bob.wait_event("state", lambda s: s["host_id"] == bob.player_id)
    assert next(p for p in view["players"] if p["id"] == ann.player_id)["connected"] is False
    await bob.ok("update_settings", {"settings": {"rounds": 1}})
    await bob.ok("start_game")  # after the short host grace, not after Ann's 60 s seat grace
    back = await server.client()
    ack = await back.ok("rejoin", {"token": ann.token})
    assert ack["state"]["host_id"] == bob.player_id and ack["state"]["phase"] == "choosing"
    assert (await back.call("kick", {"player_id": cy.player_id}))["error"]["code"] == "not_host"
    await bob.ok("kick", {"player_id": cy.player_id})  # the host's powers moved with the role


@pytest.fixture
async def two_servers(tmp_path: Path) -> AsyncIterator[tuple[Server, Server, list[float]]]:
    """Two servers on one memory store whose expiry/liveness clock the test moves (`t[0]`)."""
    t = [1000.0]
    store = MemoryStore(clock=lambda: t[0])
    made = [await start_server(tmp_path, store=store, node_ttl=30.0) for _ in range(2)]
    yield made[0][0], made[1][0], t
    for srv, runner in made:
        await stop_server(srv, runner)


async def test_players_of_a_process_that_stops_beating_are_disconnected_then_freed(
    two_servers: tuple[Server, Server, list[float]],
) -> None:
    a, b, t = two_servers
    ann = await a.client()
    bob, cy = await b.client(), await b.client()
    code = (await ann.ok("create_room", {"name": "Ann"}))["code"]
    await bob.ok("join_room", {"code": code, "name": "Bob"})
    await cy.ok("join_room", {"code": code, "name": "Cy"})
    room = await a.room(code)
    assert {p.node for p in room.players} == {a.ctx.node_id, b.ctx.node_id}
    assert await a.ctx.store.node_rooms(b.ctx.node_id) == [code]

    # B "dies": it stops beating (its sockets stay open, as after SIGKILL nobody closes them cleanly).
    assert a.ctx.liveness is not None and b.ctx.liveness is not None
    await b.ctx.liveness.stop()
    await a.ctx.liveness.stop()  # the test drives A's beats and sweeps itself
    t[0] += 20
    assert await a.ctx.liveness.beat_once() is True
    assert await a.ctx.liveness.sweep_once() == []  # B's last beat has not expired yet
    t[0] += 15  # B's beat expired 5 s ago; A beat 15 s ago (alive for 15 more)
    dead = b.ctx.node_id
    assert await a.ctx.liveness.sweep_once() == [dead]
    room = await a.room(code)
    assert {p.name: p.connected for p in room.players} == {"Ann": True, "Bob": False, "Cy": False}
    assert room.host_id == ann.player_id
    assert await a.ctx.liveness.sweep_once() == []  # handled once: the node is forgotten
    seen = [True, False, False]
    state = await ann.wait_event("state", lambda s: [p["connected"] for p in s["players"]] == seen)
    assert state["host_id"] == ann.player_id

    # Cy comes back on A within the grace; Bob never does and is freed after it.
    cy2 = await a.client()
    await cy2.ok("rejoin", {"token": cy.token})
    await a.tick(61)
    room = await a.room(code)
    assert [(p.name, p.connected, p.node) for p in room.players] == [
        ("Ann", True, a.ctx.node_id), ("Cy", True, a.ctx.node_id)
    ]
    left = await ann.wait_event("player_left", lambda d: d["player_id"] == bob.player_id)
    assert left["reason"] == "timeout"


async def test_a_process_presumed_dead_takes_a_new_id_and_keeps_its_seats(
    two_servers: tuple[Server, Server, list[float]],
) -> None:
    a, b, t = two_servers
    ann, bob = await a.client(), await a.client()
    code = (await ann.ok("create_room", {"name": "Ann"}))["code"]
    await bob.ok("join_room", {"code": code, "name": "Bob"})
    for srv in (a, b):
        await srv.ctx.liveness.stop()
    old = a.ctx.node_id
    t[0] += 40  # both loops stalled past the TTL; B wakes first (under a new id) and sweeps A's old one
    assert await b.ctx.liveness.beat_once() is False
    assert old in await b.ctx.liveness.sweep_once()
    assert not any(p.connected for p in (await a.room(code)).players)
    assert await a.ctx.liveness.beat_once() is False  # A wakes up: presumed dead
    assert a.ctx.node_id != old
    room = await a.room(code)
    assert all(p.connected and p.node == a.ctx.node_id for p in room.players)
    assert await a.ctx.liveness.beat_once() is True
    assert await a.ctx.store.node_rooms(a.ctx.node_id) == [code]
