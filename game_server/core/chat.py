"""Chat and guesses: correct and close guesses, who hears whom, and the drawer's gag on the word.

Channels: "all" (everyone), "knowers" (the drawer and players who guessed, while drawing), "spectators"
(a spectator while drawing: to spectators and knowers only; a spectator may know the word from elsewhere).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from game_server.core import scoring, turns
from game_server.core.commands import Chat
from game_server.core.env import Env
from game_server.core.errors import GameError
from game_server.core.events import Audience, Event, everyone, knowers, only
from game_server.core.state import AI, CHOOSING, DRAWING, HUMAN, RACE, Room
from game_server.core.text import is_close, is_correct, mentions

Result = tuple[Room, list[Event]]
CHAT_KEEP = 50  # chat records a room keeps for members who (re)join (store rule S14)


def _message(room: Room, pid: str, name: str, text: str, channel: str) -> Event:
    data = {"player_id": pid, "name": name, "text": text, "channel": channel}
    if channel == "spectators":  # spectators may have seen the word over a shoulder: not to guessers
        return Event("chat", data, Audience(knowers(room).players, True))
    return Event("chat", data, knowers(room) if channel == "knowers" else everyone(room))


def chat_record(room: Room, event: Event) -> dict[str, Any]:
    """What the store keeps of a `chat` event sent in `room` (the room before the command): the message
    and the turn whose secret its channel protects (None when no word is secret)."""
    secret = room.turn is not None and room.phase in (CHOOSING, DRAWING) and room.settings.mode != RACE
    return {**event.data, "turn": room.turn.key if secret and room.turn else None}


def visible_chat(room: Room, member_id: str, records: list[Any]) -> list[dict[str, Any]]:
    """The recent chat `member_id` may read now, with the audiences of the live events: "all" for
    everyone; "knowers" only for players who know the word; "spectators" for spectators and knowers. Once
    the turn a record protected is over its word is public, so everyone may read it."""
    live = room.turn.key if room.turn is not None and room.phase in (CHOOSING, DRAWING) else None
    knows = room.player(member_id) is not None and member_id in room.knowers()
    spectator = room.spectator(member_id) is not None
    out = []
    for r in records:
        if not isinstance(r, dict):
            continue
        channel, turn = r.get("channel"), r.get("turn")
        secret = turn is not None and turn == live
        if not secret or channel == "all" or knows or (channel == "spectators" and spectator):
            out.append({k: v for k, v in r.items() if k != "turn"})
    return out


def chat(room: Room, cmd: Chat, env: Env) -> Result:
    spec = room.spectator(cmd.pid)
    if spec is not None:
        drawing = room.phase == DRAWING and room.turn is not None and room.turn.word is not None
        return room, [_message(room, spec.id, spec.name, cmd.text, "spectators" if drawing else "all")]
    player = room.player(cmd.pid)
    if player is None:
        raise GameError("not_in_room", "not in this room")
    turn = room.turn
    is_drawer = turn is not None and room.drawer_id == cmd.pid
    if room.phase == CHOOSING and is_drawer and any(mentions(cmd.text, w) for w in turn.choices):
        raise GameError("word_in_chat", "you cannot say the words you are choosing from")
    if room.phase != DRAWING or turn is None or turn.word is None:
        return room, [_message(room, player.id, player.name, cmd.text, "all")]
    if is_drawer:
        if mentions(cmd.text, turn.word):
            raise GameError("word_in_chat", "the drawer cannot say the word")
        return room, [_message(room, player.id, player.name, cmd.text, "knowers")]
    if player.guessed_at is not None:
        return room, [_message(room, player.id, player.name, cmd.text, "knowers")]
    if is_correct(cmd.text, turn.word):
        return correct_guess(room, player.id, env)
    if is_close(cmd.text, turn.word):
        return room, [Event("close_guess", {"text": cmd.text}, only(player.id))]
    return room, [_message(room, player.id, player.name, cmd.text, "all")]


def correct_guess(room: Room, pid: str, env: Env, prob: float | None = None) -> Result:
    """Score a correct guess, a human's chat guess or the AI's verified claim (rules: core/scoring.py).

    Humans earn points (+ the first-human bonus); the AI earns none. The drawer earns per correct guesser,
    the AI included. The first correct guess of the turn wins it for its side on the Humans-vs-AI scoreline
    (counted while the AI sits in the room); `guessed` then carries `turn_won` and the new `rival`.
    """
    turn = room.turn
    assert turn is not None and turn.started_at is not None
    player = room.player(pid)
    assert player is not None
    is_ai = player.kind == AI
    first = not any(p.guessed_at is not None and p.kind == HUMAN for p in room.players)
    points = 0 if is_ai else scoring.guess_points(env.now, turn.started_at, turn.draw_time, first)
    drawer_gain = scoring.drawer_points()
    deltas = dict(turn.deltas)
    if not is_ai:
        deltas[pid] = deltas.get(pid, 0) + points
    deltas[turn.drawer_id] = deltas.get(turn.drawer_id, 0) + drawer_gain
    room = room.with_player(replace(player, guessed_at=env.now, score=player.score + points))
    drawer = room.player(turn.drawer_id)
    if drawer is not None:
        room = room.with_player(replace(drawer, score=drawer.score + drawer_gain))
    at_s = round(env.now - turn.started_at, 1)  # "the AI got it at 12.4 s"
    data: dict[str, object] = {"player_id": pid, "name": player.name, "points": points, "at_s": at_s}
    if prob is not None:  # the AI's guess: the server's own probability for the word
        data["prob"] = round(prob, 4)
    turn = replace(turn, deltas=deltas)
    if turn.winner is None:
        side = scoring.AI_SIDE if is_ai else scoring.HUMANS
        turn = replace(turn, winner=side)
        if any(p.kind == AI for p in room.players):  # a scoreline only while the AI plays
            room = replace(room, rival=scoring.won_turn(room.rival, side))
            data.update(turn_won=side, rival=dict(room.rival))
    room = replace(room, turn=turn)
    events = [Event("guessed", data, everyone(room))]
    if turns.everyone_guessed(room):
        room, more = turns.end_turn(room, env, "all_guessed")
        events += more
    return room, events
