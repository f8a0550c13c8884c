"""The game's clockwork: start, next drawer, word choice, hints, turn end, game end, back to lobby."""

from __future__ import annotations

from dataclasses import replace

from game_server.core import scoring
from game_server.core.env import Env
from game_server.core.errors import GameError
from game_server.core.events import Event, everyone
from game_server.core.history import record_turn
from game_server.core.lobby import auto_start_ready
from game_server.core.state import (
    AI,
    CHOOSE_TIME,
    CHOOSING,
    DRAWING,
    GAME_END,
    GAME_END_TIME,
    HUMAN,
    LOBBY,
    RACE,
    TURN_END,
    TURN_END_TIME,
    Room,
    Turn,
    placings,
)
from game_server.core.words import mask, max_hints, pick_choices, pick_hint, word_lengths

Result = tuple[Room, list[Event]]


def fresh_game(room: Room, first_round: int, what: str = "a game") -> Room:
    """The room reset for a new game (scores to zero), if at least 2 humans are connected."""
    connected = [p for p in room.players if p.connected and p.kind == HUMAN]  # the AI does not count
    if len(connected) < 2:
        raise GameError("not_enough_players", f"{what} needs at least 2 connected players")
    players = tuple(replace(p, score=0, guessed_at=None) for p in room.players)
    rival = scoring.fresh_rival() if any(p.kind == AI for p in players) else {}  # Humans vs AI, 0:0
    return replace(room, players=players, game=room.game + 1, round=first_round, turn_no=0, drawn=(),
                   used_words=(), ranking=None, turn=None, history=(), rival=rival)


def start_game(room: Room, env: Env) -> Result:
    return next_turn(fresh_game(room, first_round=1), env)


def next_turn(room: Room, env: Env) -> Result:
    """Hand the pen to the next player who has not drawn this round, or move on to the next round/game end."""
    events: list[Event] = []
    while True:
        # Only humans draw: an AI pseudo-player guesses, it never holds the pen.
        pending = [p for p in room.players if p.id not in room.drawn and p.kind == HUMAN]
        nxt = next((p for p in pending if p.connected), None)
        if nxt is not None:
            break
        if room.round >= room.settings.rounds:
            return end_game(room, env, events)
        room = replace(room, round=room.round + 1, drawn=())
    s = room.settings
    choices = pick_choices(env.rng, env.pool, s.custom_words, s.custom_only, s.word_choices, room.used_words)
    turn_no = room.turn_no + 1
    turn = Turn(key=f"g{room.game}-r{room.round}-t{turn_no}", drawer_id=nxt.id, choices=choices,
                draw_time=s.draw_time)
    players = tuple(replace(p, guessed_at=None) for p in room.players)
    room = replace(room, phase=CHOOSING, turn=turn, turn_no=turn_no, players=players,
                   drawn=(*room.drawn, nxt.id), deadline=env.now + CHOOSE_TIME)
    return room, events


def choose(room: Room, index: int, env: Env) -> Result:
    """The drawer's word is set: the drawing phase starts and hints are scheduled."""
    assert room.turn is not None
    word = room.turn.choices[index]
    started = env.now
    draw_time = room.turn.draw_time
    hints = min(room.settings.hints, max_hints(word))
    hint_times = tuple(started + draw_time * k / (hints + 1) for k in range(1, hints + 1))
    turn = replace(room.turn, word=word, started_at=started, hint_times=hint_times, choices=())
    room = replace(room, phase=DRAWING, turn=turn, deadline=started + draw_time,
                   used_words=(*room.used_words, word))
    data = {"drawer_id": turn.drawer_id, "round": room.round, "pattern": mask(word),
            "word_length": word_lengths(word), "deadline": room.deadline}
    return room, [Event("turn_started", data, everyone(room))]


def reveal_hint(room: Room, env: Env) -> Result:
    assert room.turn is not None and room.turn.word is not None
    turn = room.turn
    idx = pick_hint(env.rng, turn.word, turn.revealed)
    revealed = turn.revealed if idx is None else (*turn.revealed, idx)
    turn = replace(turn, revealed=revealed, hint_times=turn.hint_times[1:])
    room = replace(room, turn=turn)
    if idx is None:
        return room, []
    return room, [Event("hint", {"pattern": mask(turn.word, revealed)}, everyone(room))]


def end_turn(room: Room, env: Env, reason: str) -> Result:
    """Reveal the word and the turn's points; the next turn starts after TURN_END_TIME."""
    assert room.turn is not None
    turn = replace(room.turn, hint_times=(), drawer_away_until=None)
    room = record_turn(replace(room, turn=turn))  # the gallery's entry, before the phase changes
    room = replace(room, phase=TURN_END, turn=turn, deadline=env.now + TURN_END_TIME)
    data = {"word": turn.word, "reason": reason, "deltas": dict(turn.deltas)}
    if room.settings.mode == RACE:
        data["results"] = placings(turn)  # who the AI recognized, in what order and how fast
    elif room.rival:
        data.update(winner=turn.winner, rival=dict(room.rival))  # the turn's side (None: nobody named it)
    # A turn that ends while choosing has no word to reveal.
    return room, [Event("turn_ended", data, everyone(room))]


def end_game(room: Room, env: Env, events: list[Event] | None = None) -> Result:
    """The ranking of the humans (the AI has only the scoreline), and the scoreline's winner."""
    if room.phase == DRAWING:
        room = record_turn(room)  # a game cut short mid-drawing keeps that drawing in the gallery
    ordered = sorted((p for p in room.players if p.kind == HUMAN), key=lambda p: -p.score)
    ranking = []
    for i, p in enumerate(ordered):
        rank = ranking[-1]["rank"] if i and p.score == ordered[i - 1].score else i + 1
        ranking.append({"id": p.id, "name": p.name, "score": p.score, "rank": rank})
    room = replace(room, phase=GAME_END, turn=None, deadline=env.now + GAME_END_TIME, ranking=tuple(ranking))
    data: dict[str, object] = {"ranking": ranking}
    if room.rival:
        data["rival"] = {**room.rival, "winner": scoring.rival_winner(room.rival)}
    return room, [*(events or []), Event("game_ended", data, everyone(room))]


def to_lobby(room: Room) -> Room:
    players = tuple(replace(p, guessed_at=None) for p in room.players)
    return replace(room, phase=LOBBY, turn=None, deadline=None, round=0, drawn=(), players=players)


def everyone_guessed(room: Room) -> bool:
    """True when no connected human guesser is still guessing and at least one player guessed.

    Only humans hold a turn open: an AI pseudo-player that has not guessed does not keep it running,
    but its correct guess ends a turn with no human guesser (one human drawing for the AI). A human
    guesser who is only away (a reload, within the reconnection grace) still counts: the AI's guess
    alone does not end their turn while they are gone.
    """
    if room.phase != DRAWING or room.turn is None:
        return False
    others = [p for p in room.players if p.id != room.turn.drawer_id]
    humans = [p for p in others if p.kind == HUMAN]
    if any(p.connected and p.guessed_at is None for p in humans):
        return False
    if any(p.guessed_at is not None for p in humans):
        return True
    return not humans and any(p.guessed_at is not None for p in others)


def phase_timeout(room: Room, env: Env) -> Result:
    """The current phase's deadline has passed."""
    if room.phase == CHOOSING:
        assert room.turn is not None
        return choose(room, env.rng.randrange(len(room.turn.choices)), env)
    if room.phase == DRAWING:
        return end_turn(room, env, "time")
    if room.phase == TURN_END:
        return next_turn(room, env)
    if room.phase == GAME_END:
        return to_lobby(room), []
    if room.phase == LOBBY and auto_start_ready(room):
        return start_game(room, env)  # the public lobby's countdown ran out
    return replace(room, deadline=None), []


def drawer_gone(room: Room, env: Env) -> Result:
    """The drawer left (or stayed away past DRAWER_GRACE): end the turn now with reason "drawer_left".

    While choosing there is no word to reveal (`word` is null); the unchosen choices are set aside for the
    rest of the game (the absent drawer saw them), and after the short turn-end pause the pen passes on.
    """
    assert room.turn is not None and room.phase in (CHOOSING, DRAWING)
    if room.phase == CHOOSING:
        room = replace(room, used_words=(*room.used_words, *room.turn.choices))
    return end_turn(room, env, "drawer_left")


def drawer_away_due(room: Room, now: float) -> bool:
    """True when the drawer's short grace after a disconnect has run out without a rejoin."""
    turn = room.turn
    return (room.phase in (CHOOSING, DRAWING) and turn is not None and turn.drawer_away_until is not None
            and turn.drawer_away_until <= now)


def next_deadline(room: Room) -> float | None:
    """The earliest time anything in the room falls due (the shell's clock fires Tick then)."""
    times = [t for t in (room.deadline,) if t is not None]
    if room.phase == DRAWING and room.turn is not None and room.turn.hint_times:
        times.append(room.turn.hint_times[0])
    away = room.turn.drawer_away_until if (room.phase in (CHOOSING, DRAWING) and room.turn) else None
    if away is not None:
        times.append(away)
    times += [m.away_until for m in (*room.players, *room.spectators) if m.away_until is not None]
    if room.host_away_until is not None:
        times.append(room.host_away_until)
    return min(times) if times else None
