"""The AI pseudo-player of classic rooms: its seat, the relay of its live guesses, its verified recognition.

- `sync_ai_player(room)` (apply runs it after every rule): the AI (id "ai", name "AI", kind "ai") sits in a
  classic room whose `settings.ai_player` is on while at least one human player is there, so it never keeps
  an abandoned room alive and is never its host. It never draws, is never counted for max players, the
  2-player minimum or "everyone guessed" (see members, turns, lobby), and cannot be kicked or made host.
- `AiGuess`: the drawer's browser's top guesses, relayed as `ai_guess`; knowers get them as sent, guessers
  and spectators get the secret word's entry as `{label: null, prob}` (the word never leaks through it).
  With `status` ("loading", "unavailable") and no guesses it tells the room the drawer's model is not ready.
- `AiRecognized`: the AI names the word (`guessed`, the drawer's points, the turn for the AI's side if no
  human named it first; no individual points: core/scoring.py). The shell sends it only after the server
  verified the claim on its own copy of the strokes at the room's difficulty (core.claims, handlers/claim.py);
  this rule re-checks phase, turn, that the AI has not guessed yet and that the level's delay has passed.
- `AI_LEVELS`: the host's difficulty (`settings.ai_level`): how sure the AI must be (its top-1 probability
  for the word) and how many seconds into the drawing it may first claim.

Pure like the rest of the core; must not import the shell, the verifier or the store.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from game_server.core.chat import correct_guess
from game_server.core.commands import AiGuess, AiRecognized
from game_server.core.env import Env
from game_server.core.errors import GameError
from game_server.core.events import Audience, Event, knowers, non_knowers
from game_server.core.state import AI, CLASSIC, DRAWING, HUMAN, Player, Room
from game_server.core.text import is_correct

AI_ID = "ai"
AI_NAME = "AI"
AI_STATUSES = ("loading", "unavailable")  # `ai_guess.status`: the drawer's model is not ready (yet)


@dataclass(frozen=True)
class AiLevel:
    threshold: float  # the claim's and the server's top-1 probability for the word must reach this
    delay: float  # seconds after the drawing started before a claim may score


# Measured against simulated rooms (bench/simulate_rival.py, docs/rival.md); "normal" is the default.
AI_LEVELS: dict[str, AiLevel] = {
    "easy": AiLevel(threshold=0.7, delay=10.0),
    "normal": AiLevel(threshold=0.6, delay=5.0),
    "hard": AiLevel(threshold=0.5, delay=0.0),  # the claim threshold itself, from the first stroke
}
DEFAULT_LEVEL = "normal"


def ai_level(room: Room) -> AiLevel:
    return AI_LEVELS.get(room.settings.ai_level, AI_LEVELS[DEFAULT_LEVEL])


def claim_opens_at(room: Room) -> float | None:
    """When (room time) the AI may first score this turn; None when no drawing runs."""
    turn = room.turn
    if turn is None or turn.started_at is None:
        return None
    return turn.started_at + ai_level(room).delay

Result = tuple[Room, list[Event]]


def human_count(room: Room) -> int:
    """Players who are people (the AI pseudo-player does not take a seat)."""
    return sum(1 for p in room.players if p.kind == HUMAN)


def wants_ai(room: Room) -> bool:
    s = room.settings
    return s.ai_player and s.mode == CLASSIC and human_count(room) > 0


def sync_ai_player(room: Room) -> Room:
    """Seat the AI when the room wants it, unseat it when it does not (settings off, race mode, no humans)."""
    present = room.player(AI_ID) is not None
    if wants_ai(room) == present:
        return room
    if not present:
        return replace(room, players=(*room.players, Player(AI_ID, AI_NAME, kind=AI)))
    players = tuple(p for p in room.players if p.id != AI_ID)
    votes = {t: tuple(v for v in vs if v != AI_ID) for t, vs in room.votes.items() if t != AI_ID}
    host = room.host_id
    if host == AI_ID:
        host = next((p.id for p in players if p.kind == HUMAN), players[0].id if players else None)
    return replace(room, players=players, votes={t: v for t, v in votes.items() if v}, host_id=host)


def _current_turn(room: Room, key: str) -> None:
    if room.settings.mode != CLASSIC:
        raise GameError("wrong_phase", "this room's mode handles AI guesses itself")
    turn = room.turn
    if room.phase != DRAWING or turn is None or turn.word is None or turn.key != key:
        raise GameError("wrong_phase", "no drawing of that turn now")


def ai_guess(room: Room, cmd: AiGuess, env: Env) -> Result:
    """Relay the drawer's live top guesses; the room does not change."""
    return room, guess_events(room, cmd)


def guess_events(room: Room, cmd: AiGuess) -> list[Event]:
    """The relay of the drawer's live top guesses (or model status); raises GameError for anyone else."""
    if room.player(cmd.pid) is None:
        if room.spectator(cmd.pid) is not None:
            raise GameError("not_allowed", "spectators have no drawing to classify")
        raise GameError("not_in_room", "not in this room")
    _current_turn(room, cmd.turn)
    if room.drawer_id != cmd.pid:
        raise GameError("not_allowed", "only the drawer's AI guesses are relayed")
    assert room.turn is not None and room.turn.word is not None
    word = room.turn.word
    base: dict[str, Any] = {"player_id": cmd.pid, "turn": cmd.turn, "stroke_count": cmd.stroke_count}
    if cmd.provider is not None:
        base["provider"] = cmd.provider
    if cmd.status is not None:  # the drawer's model is not ready: guessers see "Ann's AI is loading…"
        if cmd.status not in AI_STATUSES or cmd.guesses:
            raise GameError("bad_request", f"status must be one of {', '.join(AI_STATUSES)}, with no guesses")
        base["status"] = cmd.status
        if cmd.progress is not None:
            base["progress"] = cmd.progress
    full = [{"label": label, "prob": prob} for label, prob in cmd.guesses]
    masked = [{**g, "label": None if is_correct(g["label"], word) else g["label"]} for g in full]
    # The sender has its own guesses; other knowers may see the word, everyone else must not.
    told = knowers(room).players - {cmd.pid}
    events = [Event("ai_guess", {**base, "guesses": masked}, non_knowers(room))]
    if told:
        events.insert(0, Event("ai_guess", {**base, "guesses": full}, Audience(told, False)))
    return events


def ai_recognized(room: Room, cmd: AiRecognized, env: Env) -> Result:
    """The AI named the word (a verified claim): `guessed`, the drawer's points, maybe the turn."""
    _current_turn(room, cmd.turn)
    assert room.turn is not None
    if cmd.stroke_count < 1:  # the shell verified the count against the server's copy of the log
        raise GameError("bad_request", "the claim names no strokes")
    ai = room.player(AI_ID)
    if ai is None:
        raise GameError("not_allowed", "this room has no AI player")
    if ai.guessed_at is not None:
        raise GameError("not_allowed", "the AI already guessed this turn's word")
    opens = claim_opens_at(room)
    if opens is not None and env.now < opens:
        raise GameError("not_allowed", "too early: the AI may not claim yet at this difficulty")
    prob = cmd.prob if cmd.prob is not None and 0.0 <= cmd.prob <= 1.0 else None
    # Recorded on the turn before scoring (which may end the turn): the gallery's server-verified line.
    room = replace(room, turn=replace(room.turn, ai_at=env.now, ai_prob=prob))
    return correct_guess(room, AI_ID, env, prob)
