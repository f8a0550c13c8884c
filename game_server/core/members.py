"""Who is in the room: join, rejoin, leave, disconnect and the grace period, host, kick, votekick.

The host role stays with a connected human whenever there is one: a host who disconnects keeps it for
HOST_GRACE seconds (a reload or a network blip), then hands it on (`_settle_host`, fired by the clock via
`host_due`), and gets it back only as any other player would (a transfer, or nobody else left); a host who
leaves (`leave_room`) hands it on at once.
"""

from __future__ import annotations

from dataclasses import replace

from game_server.core import turns
from game_server.core.commands import Disconnect, Join, Kick, Leave, NodeLost, Rejoin, TransferHost, VoteKick
from game_server.core.env import Env
from game_server.core.errors import GameError
from game_server.core.events import Event, all_but, everyone, only
from game_server.core.state import (
    CHOOSING,
    DRAWER_GRACE,
    DRAWING,
    HOST_GRACE,
    HUMAN,
    IN_GAME,
    LOBBY,
    MAX_SPECTATORS,
    Player,
    Room,
    Spectator,
)

Result = tuple[Room, list[Event]]
VOTEKICK_MIN_PLAYERS = 3


def join(room: Room, cmd: Join, env: Env) -> Result:
    if room.has_member(cmd.pid):
        raise GameError("already_in_room", "already in this room")
    if cmd.spectate:
        if len(room.spectators) >= MAX_SPECTATORS:
            raise GameError("spectators_full", "the room has the maximum number of spectators")
        spec = Spectator(cmd.pid, cmd.name, conn=cmd.conn, node=cmd.node, avatar=cmd.avatar)
        room = replace(room, spectators=(*room.spectators, spec))
        role = "spectator"
    else:
        if _humans(room.players) >= room.settings.max_players:  # the AI takes no seat
            raise GameError("room_full", "the room is full")
        player = Player(cmd.pid, cmd.name, conn=cmd.conn, kind=cmd.kind, node=cmd.node,
                        contributor=cmd.contributor, avatar=cmd.avatar)  # a spectator's consent is never kept
        room = _settle_host(replace(room, players=(*room.players, player)), env.now)
        role = "player"
    data = {"player_id": cmd.pid, "name": cmd.name, "role": role}
    return room, [Event("player_joined", data, all_but(room, cmd.pid))]


def rejoin(room: Room, cmd: Rejoin, env: Env) -> Result:
    player = room.player(cmd.pid)
    if player is not None:
        back = replace(player, connected=True, conn=cmd.conn, away_until=None, node=cmd.node)
        room = _settle_host(room.with_player(back), env.now)  # the host back in time keeps the role
        if room.drawer_id == cmd.pid and room.turn is not None and room.turn.drawer_away_until is not None:
            room = replace(room, turn=replace(room.turn, drawer_away_until=None))  # back in time: play on
        return room, []
    spec = room.spectator(cmd.pid)
    if spec is None:
        raise GameError("session_expired", "this seat was freed")
    back_spec = replace(spec, connected=True, conn=cmd.conn, away_until=None, node=cmd.node)
    return room.with_spectator(back_spec), []


def disconnect(room: Room, cmd: Disconnect, env: Env) -> Result:
    """A dropped connection keeps the seat for `grace` seconds (only if it is still the seat's connection)."""
    player = room.player(cmd.pid)
    if player is not None and player.conn == cmd.conn and player.connected:
        room = room.with_player(replace(player, connected=False, away_until=env.now + cmd.grace))
        if room.host_id == cmd.pid:  # a reload must not cost the role; start_game waits a few seconds at most
            room = replace(room, host_away_until=env.now + min(HOST_GRACE, cmd.grace))
        room = _settle_host(room, env.now)
        if room.phase in (CHOOSING, DRAWING) and room.drawer_id == cmd.pid and room.turn is not None:
            # A turn must not hang on an absent drawer until its timer: a short grace, then drawer_left.
            away = env.now + min(DRAWER_GRACE, cmd.grace)
            return replace(room, turn=replace(room.turn, drawer_away_until=away)), []
        if turns.everyone_guessed(room):
            return turns.end_turn(room, env, "all_guessed")
        return room, []
    spec = room.spectator(cmd.pid)
    if spec is not None and spec.conn == cmd.conn and spec.connected:
        return room.with_spectator(replace(spec, connected=False, away_until=env.now + cmd.grace)), []
    return room, []


def node_lost(room: Room, cmd: NodeLost, env: Env) -> Result:
    """Server process `cmd.node` is gone: each member whose connection it held disconnects, as if their
    socket had dropped (a member who already rejoined elsewhere holds another node and is untouched)."""
    events: list[Event] = []
    if not cmd.node:
        return room, events
    lost = [m for m in (*room.players, *room.spectators) if m.node == cmd.node and m.connected]
    for m in lost:
        room, more = disconnect(room, Disconnect(m.id, m.conn, cmd.grace), env)
        events += more
    return room, events


def remove(room: Room, pid: str, reason: str, env: Env) -> Result:
    """Free a seat at once; fix up host, votes and the running turn/game."""
    spec = room.spectator(pid)
    if spec is not None:
        room = replace(room, spectators=tuple(s for s in room.spectators if s.id != pid))
        data = {"player_id": pid, "name": spec.name, "reason": reason}
        return room, [Event("player_left", data, everyone(room))]
    player = room.player(pid)
    if player is None:
        raise GameError("unknown_player", "no such player in the room")
    players = tuple(p for p in room.players if p.id != pid)
    votes = {t: tuple(v for v in voters if v != pid) for t, voters in room.votes.items() if t != pid}
    room = replace(room, players=players, votes={t: v for t, v in votes.items() if v})
    events = [Event("player_left", {"player_id": pid, "name": player.name, "reason": reason}, everyone(room))]
    if room.host_id == pid:
        heir = _heir(players)
        room = replace(room, host_id=heir.id if heir else None, host_away_until=None)
    if room.phase == LOBBY:
        return room, events
    if _humans(room.players) < 2:  # the AI alone is no one to play with
        if room.phase in IN_GAME:
            room, more = turns.end_game(room, env)
            return room, events + more
        if not room.players:
            return turns.to_lobby(room), events
        return room, events
    if room.phase in (CHOOSING, DRAWING) and room.drawer_id == pid:
        room, more = turns.drawer_gone(room, env)
        return room, events + more
    if turns.everyone_guessed(room):
        room, more = turns.end_turn(room, env, "all_guessed")
        return room, events + more
    return room, events


def _humans(players: tuple[Player, ...]) -> int:
    return sum(1 for p in players if p.kind == HUMAN)


def _not_the_ai(room: Room, target: str, what: str) -> None:
    """The AI pseudo-player is no seat to kick, vote against or hand the host role to."""
    player = room.player(target)
    if player is not None and player.kind != HUMAN:
        raise GameError("not_allowed", f"the AI player cannot be {what}")


def _heir(players: tuple[Player, ...]) -> Player | None:
    """The next host: the first connected human, else the first human, else anyone (an AI) left."""
    humans = [p for p in players if p.kind == HUMAN]
    fallback = humans[0] if humans else (players[0] if players else None)
    return next((p for p in humans if p.connected), fallback)


def _settle_host(room: Room, now: float) -> Room:
    """Keep the host role with a connected human: if the host is away past their grace (or there is none),
    the first connected human in join order takes over; with nobody connected it stays where it is."""
    host = room.player(room.host_id) if room.host_id is not None else None
    if host is not None and host.connected and host.kind == HUMAN:
        return room if room.host_away_until is None else replace(room, host_away_until=None)
    away = room.host_away_until
    if host is not None and host.kind == HUMAN and away is not None and now < away:
        return room  # maybe reloading: the role waits for them until `host_away_until`
    room = replace(room, host_away_until=None)
    heir = next((p for p in room.players if p.connected and p.kind == HUMAN), None)
    if heir is None:
        return room if host is not None or not room.players else replace(room, host_id=_heir(room.players).id)
    return replace(room, host_id=heir.id)


def host_due(room: Room, now: float) -> Room:
    """The clock's part: a host away past HOST_GRACE hands the role on."""
    if room.host_away_until is None or room.host_away_until > now:
        return room
    return _settle_host(room, now)


def leave(room: Room, cmd: Leave, env: Env) -> Result:
    if not room.has_member(cmd.pid):
        raise GameError("not_in_room", "not in this room")
    return remove(room, cmd.pid, "left", env)


def expire_absent(room: Room, env: Env) -> Result:
    """Free the seats of members whose grace period is over."""
    events: list[Event] = []
    for m in (*room.players, *room.spectators):
        if m.away_until is not None and m.away_until <= env.now and not m.connected:
            room, more = remove(room, m.id, "timeout", env)
            events += more
    return room, events


def _require_host(room: Room, pid: str) -> None:
    if not room.has_member(pid):
        raise GameError("not_in_room", "not in this room")
    if room.host_id != pid:
        raise GameError("not_host", "only the host may do this")


def kick(room: Room, cmd: Kick, env: Env) -> Result:
    _require_host(room, cmd.pid)
    if cmd.target == cmd.pid:
        raise GameError("not_allowed", "the host cannot kick themselves")
    if not room.has_member(cmd.target):
        raise GameError("unknown_player", "no such member in the room")
    _not_the_ai(room, cmd.target, "kicked (the host can turn it off in the settings)")
    room, events = remove(room, cmd.target, "kicked", env)
    return room, [Event("kicked", {"reason": "kicked"}, only(cmd.target)), *events]


def vote_kick(room: Room, cmd: VoteKick, env: Env) -> Result:
    if room.player(cmd.pid) is None:
        if room.spectator(cmd.pid) is not None:
            raise GameError("not_allowed", "spectators cannot vote")
        raise GameError("not_in_room", "not in this room")
    if cmd.target == cmd.pid:
        raise GameError("not_allowed", "you cannot vote against yourself")
    if room.player(cmd.target) is None:
        raise GameError("unknown_player", "no such player in the room")
    _not_the_ai(room, cmd.target, "voted out")
    if _humans(room.players) < VOTEKICK_MIN_PLAYERS:
        raise GameError("not_enough_players", f"a votekick needs at least {VOTEKICK_MIN_PLAYERS} players")
    voters = room.votes.get(cmd.target, ())
    if cmd.pid in voters:
        raise GameError("already_voted", "you already voted against this player")
    voters = (*voters, cmd.pid)
    needed = (_humans(room.players) - 1) // 2 + 1  # a strict majority of the other humans
    room = replace(room, votes={**room.votes, cmd.target: voters})
    data = {"target_id": cmd.target, "voter_id": cmd.pid, "votes": len(voters), "needed": needed}
    events = [Event("vote_kick", data, everyone(room))]
    if len(voters) >= needed:
        room, more = remove(room, cmd.target, "votekick", env)
        events += [Event("kicked", {"reason": "votekick"}, only(cmd.target)), *more]
    return room, events


def transfer_host(room: Room, cmd: TransferHost, env: Env) -> Result:
    _require_host(room, cmd.pid)
    if cmd.target == cmd.pid:
        raise GameError("not_allowed", "you are already the host")
    target = room.player(cmd.target)
    if target is None:
        raise GameError("unknown_player", "no such player in the room")
    _not_the_ai(room, cmd.target, "the host")
    if not target.connected:  # the role would bounce straight back (see _settle_host)
        raise GameError("not_allowed", "that player is disconnected")
    return replace(room, host_id=cmd.target), []
