"""Events the rules emit, each with an explicit audience, and the per-viewer room views.

Audiences are explicit sets of member ids (plus a flag for all spectators), computed from the state at the
moment of the event, so word secrecy is a property of the core that tests check without sockets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from game_server.core.state import CHOOSING, DRAWING, GAME_END, HUMAN, LOBBY, RACE, TURN_END, Room
from game_server.core.words import mask, word_lengths


@dataclass(frozen=True)
class Audience:
    players: frozenset[str] = frozenset()  # member ids (players, or one spectator addressed by id)
    spectators: bool = False  # every spectator of the room


@dataclass(frozen=True)
class Event:
    name: str
    data: dict[str, Any]
    to: Audience


def _people(room: Room) -> frozenset[str]:
    """Players with a connection to send to: the AI pseudo-player (kind "ai") receives nothing."""
    return frozenset(p.id for p in room.players if p.kind == HUMAN)


def everyone(room: Room) -> Audience:
    return Audience(_people(room), True)


def only(member_id: str) -> Audience:
    return Audience(frozenset({member_id}), False)


def all_but(room: Room, member_id: str) -> Audience:
    return Audience(_people(room) - {member_id}, True)


def knowers(room: Room) -> Audience:
    return Audience(room.knowers() & _people(room), False)


def non_knowers(room: Room) -> Audience:
    return Audience(_people(room) - room.knowers(), True)


def view(
    room: Room, now: float, *, knows_word: bool = False, is_drawer: bool = False, is_host: bool = False
) -> dict[str, Any]:
    """The room as one viewer may see it: the word only if `knows_word` (or the turn is over), the custom
    words only for the host in the lobby (they would narrow every guess down)."""
    turn = None
    if room.turn is not None and room.phase in (CHOOSING, DRAWING, TURN_END):
        t = room.turn
        race = room.settings.mode == RACE
        revealed_all = room.phase == TURN_END or race  # a race prompt is shown to everyone
        turn = {
            "key": t.key,
            "pattern": mask(t.word, t.revealed) if t.word else "",
            "word_length": word_lengths(t.word) if t.word else [],
            "word": t.word if (knows_word or revealed_all) else None,
            "choices": list(t.choices) if (is_drawer and room.phase == CHOOSING) else None,
            "started_at": t.started_at,
            "draw_time": t.draw_time,
            "deltas": dict(t.deltas) if room.phase == TURN_END else None,
            "drawer_away_until": t.drawer_away_until if room.phase in (CHOOSING, DRAWING) else None,
            # race mode: the verified recognitions (drawing seqs come with the drawing log); null in classic
            "sketches": {pid: {"place": sk.place, "recognized_at": sk.recognized_at}
                         for pid, sk in t.sketches.items()}
            if race else None,
            "winner": t.winner,  # classic: the side that named the word first ("humans" | "ai"), or null
        }
        if revealed_all and t.word:
            turn["pattern"] = t.word
    drawer = room.drawer_id
    s = room.settings
    return {
        "code": room.code,
        "rev": room.rev,
        "now": now,
        "phase": room.phase,
        "deadline": room.deadline,
        "host_id": room.host_id,
        "settings": {
            "rounds": s.rounds,
            "draw_time": s.draw_time,
            "word_choices": s.word_choices,
            "hints": s.hints,
            # only while the host can edit them: in a game they would narrow guesses (an heir never saw them)
            "custom_words": list(s.custom_words) if is_host and room.phase in (LOBBY, GAME_END) else None,
            "custom_word_count": len(s.custom_words),
            "custom_only": s.custom_only,
            "public": s.public,
            "max_players": s.max_players,
            "mode": s.mode,
            "ai_player": s.ai_player,
            "ai_level": s.ai_level,
        },
        "round": room.round,
        "players": [
            {
                "id": p.id,
                "name": p.name,
                "score": p.score,
                "connected": p.connected,
                "guessed": p.guessed_at is not None and room.phase in (DRAWING, TURN_END),
                "drawing": p.id == drawer,
                "kind": p.kind,
                "shares": bool(p.contributor),  # opted in to training data (core/capture.py); not the id
                "avatar": p.avatar or None,
            }
            for p in room.players
        ],
        "spectators": [{"id": sp.id, "name": sp.name, "avatar": sp.avatar or None} for sp in room.spectators],
        "drawer_id": drawer,
        "turn": turn,
        "votes": {target: len(voters) for target, voters in room.votes.items()},
        "ranking": [dict(r) for r in room.ranking] if (room.ranking and room.phase == GAME_END) else None,
        # the last game's drawings (finished turns only: nothing secret), for the game-end gallery
        "history": [dict(e) for e in room.history] if room.phase in (GAME_END, LOBBY) else None,
        "rival": dict(room.rival) if room.rival else None,  # Humans vs AI: turns won this game per side
    }


def state_events(room: Room, now: float) -> list[Event]:
    """`state` events for everyone: the public view to guessers and spectators, richer ones to knowers, and
    the host's own view (with the custom words: the host's form shows the server's list)."""
    drawer = room.drawer_id
    known = room.knowers() if room.phase in (CHOOSING, DRAWING) else frozenset()
    events = [Event("state", view(room, now), non_knowers(room) if known else everyone(room))]
    if room.phase == CHOOSING and drawer is not None:
        events.append(Event("state", view(room, now, is_drawer=True), only(drawer)))
    elif room.phase == DRAWING and known:
        events.append(Event("state", view(room, now, knows_word=True), knowers(room)))
    host = room.host_id
    if host is None or host not in _people(room) or room.phase not in (LOBBY, GAME_END):
        return events
    out = [Event(e.name, e.data, Audience(e.to.players - {host}, e.to.spectators)) for e in events]
    out = [e for e in out if e.to.players or e.to.spectators]
    return [*out, Event("state", member_view(room, host, now), only(host))]


def member_view(room: Room, member_id: str, now: float) -> dict[str, Any]:
    """The view one member gets in a join/rejoin/get_state ack."""
    knows = member_id in room.knowers() and room.player(member_id) is not None
    return view(room, now, knows_word=knows, is_drawer=member_id == room.drawer_id,
                is_host=member_id == room.host_id)
