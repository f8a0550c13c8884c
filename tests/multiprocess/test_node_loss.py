"""Losing a process loses no game: after SIGKILL of one server, the other notices within seconds.

Two real processes on one Redis with a short heartbeat TTL (`--node-ttl 1.5`) and a short reconnection
grace (`--reconnect-grace 4`). Bob (the host) and Cy sit on B, Ann on A. B is SIGKILLed: no disconnect
handler runs there, yet A's liveness sweep marks Bob and Cy `connected: false` within a few seconds and,
after the host's short grace (HOST_GRACE, capped by the reconnection grace), hands the host role to Ann.
Cy rejoins on A and Ann starts a game; Bob never comes back and his seat is freed when his grace runs out.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from .conftest import Cluster

pytestmark = [pytest.mark.multiprocess, pytest.mark.redis, pytest.mark.slow, pytest.mark.timeout(120)]

NODE_TTL = 1.5
GRACE = 4.0


def connected(view: dict[str, Any]) -> dict[str, bool]:
    return {p["name"]: p["connected"] for p in view["players"]}


async def test_players_of_a_killed_process_are_disconnected_and_freed(cluster: Any) -> None:
    cl: Cluster = cluster(2, "--node-ttl", str(NODE_TTL), "--reconnect-grace", str(GRACE))
    a, b = cl.servers
    bob, cy = await cl.client(b), await cl.client(b)
    ann = await cl.client(a)
    code = (await bob.ok("create_room", {"name": "Bob", "settings": {"rounds": 1}}))["code"]
    await ann.ok("join_room", {"code": code, "name": "Ann"})
    await cy.ok("join_room", {"code": code, "name": "Cy"})
    await ann.wait_event("player_joined", lambda d: d["name"] == "Cy")  # B -> A
    assert ann.last_state()["host_id"] == bob.player_id

    b.kill()
    killed_at = time.monotonic()
    lost = await ann.wait_event(
        "state", lambda s: connected(s) == {"Bob": False, "Ann": True, "Cy": False}, timeout=3 * NODE_TTL + 3
    )
    noticed = time.monotonic() - killed_at
    print(f"process loss noticed {noticed:.2f} s after SIGKILL (node TTL {NODE_TTL} s)")
    assert lost["host_id"] == bob.player_id  # the host keeps the role for a short grace (a reload)...

    cy2 = await cl.client(a)
    back = await cy2.ok("rejoin", {"token": cy.token})
    assert connected(back["state"]) == {"Bob": False, "Ann": True, "Cy": True}
    # ... which ends with the seat's grace here (--reconnect-grace is shorter than HOST_GRACE): Ann hosts.
    await ann.wait_event("state", lambda s: s["host_id"] == ann.player_id, timeout=GRACE + 5)
    await ann.ok("start_game")
    left = await ann.wait_event("player_left", lambda d: d["player_id"] == bob.player_id, timeout=GRACE + 5)
    freed = time.monotonic() - killed_at
    print(f"Bob's seat freed {freed:.2f} s after SIGKILL (grace {GRACE} s)")
    assert left["reason"] == "timeout"
    assert noticed + GRACE - 1 < freed < noticed + GRACE + 3
    room = await cy2.ok("get_state")
    assert [p["name"] for p in room["state"]["players"]] == ["Ann", "Cy"]
    assert room["state"]["phase"] in ("choosing", "drawing")
    assert a.alive and "Traceback" not in a.log_text()
    assert "a server process stopped beating" in a.log_text()
