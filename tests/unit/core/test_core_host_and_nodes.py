"""The host role follows connected humans (after a short grace for a reload); a lost server process
disconnects the members it held."""

from __future__ import annotations

from game_server.core import (
    Disconnect,
    Join,
    Kick,
    Leave,
    NodeLost,
    Rejoin,
    StartGame,
    Tick,
    TransferHost,
    UpdateSettings,
    next_deadline,
    room_from_dict,
    room_to_dict,
)
from game_server.core.state import HOST_GRACE

from .support import Game, names


def test_a_disconnected_host_hands_the_role_on_after_a_short_grace() -> None:
    g = Game()
    g.join("Ann", "Bob", "Cy", "Dee")
    g.do(Disconnect("pbob", "c-pbob", grace=60))  # not the host: nothing moves
    assert g.room.host_id == "pann"
    g.do(Disconnect("pann", "c-pann", grace=60), dt=1)
    assert g.room.host_id == "pann" and next_deadline(g.room) == g.now + HOST_GRACE  # maybe a reload
    g.refuse(StartGame("pcy"), "not_host")
    g.do(Tick(), dt=HOST_GRACE)
    assert g.room.host_id == "pcy"  # Bob is away too: the first *connected* human
    g.do(StartGame("pcy"))  # no 60 s wait for Ann
    assert g.room.phase == "choosing"
    g.refuse(StartGame("pann"), "not_host")


def test_a_host_who_reloads_within_the_grace_keeps_the_role() -> None:
    g = Game()
    g.join("Ann", "Bob")
    g.do(Disconnect("pann", "c-pann", grace=60))
    g.do(Rejoin("pann", conn="c2"), dt=HOST_GRACE - 0.5)
    assert g.room.host_id == "pann" and g.room.host_away_until is None
    g.do(Tick(), dt=5)
    assert g.room.host_id == "pann"
    g.do(UpdateSettings("pann", {"rounds": 2}))


def test_a_host_who_leaves_hands_the_role_on_at_once() -> None:
    g = Game()
    g.join("Ann", "Bob")
    g.do(Leave("pann"))
    assert g.room.host_id == "pbob"


def test_the_old_host_rejoins_as_an_ordinary_player() -> None:
    g = Game()
    g.join("Ann", "Bob")
    g.do(Disconnect("pann", "c-pann", grace=60))
    g.do(Tick(), dt=HOST_GRACE)
    assert g.room.host_id == "pbob"
    g.do(Rejoin("pann", conn="c2"), dt=5)
    assert g.room.host_id == "pbob" and g.room.player("pann").connected
    g.refuse(UpdateSettings("pann", {"rounds": 2}), "not_host")
    g.refuse(Kick("pann", "pbob"), "not_host")
    g.do(Kick("pbob", "pann"))  # the new host has the host's powers in any phase
    assert g.room.player("pann") is None


def test_host_handoff_during_a_game_and_back_when_nobody_else_is_there() -> None:
    g = Game()
    g.join("Ann", "Bob", "Cy")
    g.do(StartGame("pann"))
    g.do(Disconnect("pann", "c-pann", grace=60))
    g.do(Tick(), dt=HOST_GRACE)
    assert g.room.host_id == "pbob" and g.room.phase == "choosing"
    # Everyone away: the role stays where it is (there is nobody to hand it to) ...
    g.do(Disconnect("pbob", "c-pbob", grace=60))
    g.do(Tick(), dt=HOST_GRACE)
    assert g.room.host_id == "pcy"
    g.do(Disconnect("pcy", "c-pcy", grace=60))
    g.do(Tick(), dt=HOST_GRACE)
    assert g.room.host_id == "pcy"
    # ... and the first human back takes it, even the former host.
    g.do(Rejoin("pann", conn="c3"), dt=1)
    assert g.room.host_id == "pann"


def test_a_newcomer_hosts_when_the_host_is_away_and_nobody_else_is_connected() -> None:
    g = Game()
    g.join("Ann")
    g.do(Disconnect("pann", "c-pann", grace=60))
    assert g.room.host_id == "pann"
    g.join("Bob")
    assert g.room.host_id == "pann"  # Ann may be reloading
    g.do(Tick(), dt=HOST_GRACE)
    assert g.room.host_id == "pbob"


def test_the_host_role_cannot_be_handed_to_a_disconnected_player() -> None:
    g = Game()
    g.join("Ann", "Bob", "Cy")
    g.do(Disconnect("pbob", "c-pbob", grace=60))
    g.refuse(TransferHost("pann", "pbob"), "not_allowed")
    g.do(TransferHost("pann", "pcy"))
    assert g.room.host_id == "pcy"


def test_node_lost_disconnects_exactly_the_members_that_node_held() -> None:
    g = Game()
    g.do(Join("pann", "Ann", conn="a1", node="n1"))
    g.do(Join("pbob", "Bob", conn="b1", node="n2"))
    g.do(Join("pcy", "Cy", conn="c1", node="n2"))
    g.do(Join("sz", "Zed", conn="z1", node="n2", spectate=True))
    g.do(Rejoin("pcy", conn="c2", node="n1"))  # Cy already moved to n1
    assert g.room.player("pcy").node == "n1"
    events = g.do(NodeLost("n2", grace=60), dt=1)
    assert "state" in names(events)
    room = g.room
    assert [p.id for p in room.players if not p.connected] == ["pbob"]
    assert room.player("pbob").away_until == g.now + 60
    assert room.spectator("sz").connected is False
    assert room.player("pann").connected and room.player("pcy").connected
    # Idempotent: a second report of the same node (another process sweeping too) changes nothing.
    before = g.room
    g.do(NodeLost("n2", grace=60), dt=1)
    assert g.room is before
    g.do(NodeLost("", grace=60))  # members with no recorded node are never "lost"
    assert g.room is before
    # Nobody rejoins: the grace runs out and the seats are freed.
    events = g.do(Tick(), dt=60)
    assert g.room.player("pbob") is None and g.room.spectator("sz") is None
    assert names(events).count("player_left") == 2


def test_node_lost_of_the_host_and_drawer_hands_on_the_host_and_starts_the_drawer_grace() -> None:
    g = Game()
    g.do(Join("pann", "Ann", conn="a1", node="n1"))
    g.do(Join("pbob", "Bob", conn="b1", node="n2"))
    g.do(Join("pcy", "Cy", conn="c1", node="n2"))
    g.do(StartGame("pann"))
    assert g.room.turn.drawer_id == "pann"
    g.do(NodeLost("n1", grace=60))
    assert g.room.host_id == "pann"
    g.do(Tick(), dt=HOST_GRACE)
    assert g.room.host_id == "pbob"
    assert g.room.turn.drawer_away_until is not None  # the turn will not wait 60 s for its drawer


def test_the_node_survives_the_dict_form() -> None:
    g = Game()
    g.do(Join("pann", "Ann", conn="a1", node="node-1"))
    assert room_from_dict(room_to_dict(g.room)).player("pann").node == "node-1"
    legacy = room_to_dict(g.room)
    del legacy["players"][0]["node"]  # a room saved before nodes were recorded still loads
    assert room_from_dict(legacy).player("pann").node == ""
