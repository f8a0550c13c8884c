"""Race mode: everyone draws the same public prompt at once; verified AI recognitions score by finish order.

Like Quick, Draw! for a group. A game is RACE_PROMPTS prompts; each runs RACE_TIME seconds in the `drawing`
phase (no drawer, no word choice, no hints: the prompt is shown to everyone), then `turn_end` shows the
placings for RACE_RESULTS_TIME seconds, then the next prompt; after the last one, `game_end` as in classic.

A prompt is a `Turn` with `drawer_id == ""`; every player draws their own log (stored, with its bookkeeping,
under `log_key(room, pid)`) and `Turn.sketches` holds their recognitions. Each browser classifies its own
drawing; the shell verifies a claim against the server's copy of that player's log and only then applies
`RaceRecognized`: nothing here trusts a client. The first verified recognition earns PLACE_POINTS[0], later
ones fewer (never below MIN_POINTS); the prompt ends early once every connected human was recognized. Chat is
plain chat (the prompt is no secret, so nothing is a guess). AI pseudo-players take no part (they neither
draw nor count).

Pure: imports only the core. Must not import the shell, the store, the verifier or anything doing I/O.
"""

from __future__ import annotations

from dataclasses import replace

from game_server.core import turns
from game_server.core.commands import Chat, DrawBatch, RaceRecognized
from game_server.core.env import Env
from game_server.core.errors import GameError
from game_server.core.events import Event, all_but, everyone
from game_server.core.lobby import auto_start_ready
from game_server.core.state import DRAWING, HUMAN, LOBBY, RACE, TURN_END, TURN_END_TIME, Room, Sketch, Turn
from game_server.core.words import pick_choices, word_lengths

Result = tuple[Room, list[Event]]

RACE_TIME = 20  # seconds per prompt
RACE_PROMPTS = 6  # prompts per game
RACE_RESULTS_TIME = TURN_END_TIME  # seconds the placings stay on screen between prompts
PLACE_POINTS = (500, 400, 300, 200)  # 1st, 2nd, 3rd, 4th verified recognition of a prompt
MIN_POINTS = 100  # every later verified recognition


def is_race(room: Room) -> bool:
    return room.settings.mode == RACE


def place_points(place: int) -> int:
    """Points for the `place`-th verified recognition of a prompt (1-based): 500, 400, 300, 200, then 100."""
    return PLACE_POINTS[place - 1] if 1 <= place <= len(PLACE_POINTS) else MIN_POINTS


def log_key(room: Room, pid: str) -> str:
    """The store key of `pid`'s drawing log this turn: classic — the turn's one log; race — one per player."""
    assert room.turn is not None
    return f"{room.turn.key}:{pid}" if is_race(room) else room.turn.key


def start_game(room: Room, env: Env) -> Result:
    return next_prompt(turns.fresh_game(room, first_round=0, what="a race"), env)


def next_prompt(room: Room, env: Env) -> Result:
    """Start the next prompt for everyone at once, or end the game after RACE_PROMPTS prompts."""
    if room.round >= RACE_PROMPTS:
        return turns.end_game(room, env)
    s = room.settings
    word = pick_choices(env.rng, env.pool, s.custom_words, s.custom_only, 1, room.used_words)[0]
    number = room.round + 1
    turn = Turn(key=f"g{room.game}-r{number}-race", drawer_id="", word=word, started_at=env.now,
                draw_time=RACE_TIME)
    players = tuple(replace(p, guessed_at=None) for p in room.players)
    room = replace(room, phase=DRAWING, turn=turn, round=number, turn_no=room.turn_no + 1, players=players,
                   used_words=(*room.used_words, word), deadline=env.now + RACE_TIME)
    data = {"drawer_id": None, "round": number, "pattern": word, "word_length": word_lengths(word),
            "deadline": room.deadline, "mode": RACE, "word": word, "key": turn.key, "prompts": RACE_PROMPTS}
    return room, [Event("turn_started", data, everyone(room))]


def phase_timeout(room: Room, env: Env) -> Result:
    """The current phase's deadline has passed (race rules; lobby countdown and game end as in classic)."""
    if room.phase == DRAWING:
        return turns.end_turn(room, env, "time")
    if room.phase == TURN_END:
        return next_prompt(room, env)
    if room.phase == LOBBY and auto_start_ready(room):
        return start_game(room, env)
    return turns.phase_timeout(room, env)


def _drawing_player(room: Room, pid: str) -> Sketch:
    if room.player(pid) is None:
        if room.spectator(pid) is not None:
            raise GameError("not_allowed", "spectators do not draw")
        raise GameError("not_in_room", "not in this room")
    if room.phase != DRAWING or room.turn is None:
        raise GameError("wrong_phase", "no prompt is running")
    if room.player(pid).kind != HUMAN:  # type: ignore[union-attr]
        raise GameError("not_allowed", "the AI does not race")
    return room.turn.sketches.get(pid, Sketch())


def draw_relay(room: Room, cmd: DrawBatch, turn_key: str | None = None) -> tuple[str, Event]:
    """`cmd.pid`'s own log key and the batch's relay (tagged with the player) to everyone else."""
    _drawing_player(room, cmd.pid)
    assert room.turn is not None
    if turn_key is not None and turn_key != room.turn.key:
        raise GameError("wrong_phase", "that prompt is over")
    data = {"player_id": cmd.pid, "seq": cmd.seq, "ops": list(cmd.ops)}
    return log_key(room, cmd.pid), Event("draw", data, all_but(room, cmd.pid))


def recognized(room: Room, cmd: RaceRecognized, env: Env) -> Result:
    """A verified recognition: score by finishing order; end the prompt once every connected human is done."""
    sketch = _drawing_player(room, cmd.pid)
    turn = room.turn
    assert turn is not None and turn.started_at is not None
    if cmd.turn != turn.key:
        raise GameError("wrong_phase", "that prompt is over")
    if sketch.recognized_at is not None:
        raise GameError("not_allowed", "the AI already recognized your drawing")
    if cmd.stroke_count < 1:  # the shell verified the count against the server's copy of the log
        raise GameError("bad_request", "the recognition names no ops")
    place = 1 + sum(1 for sk in turn.sketches.values() if sk.place is not None)
    points = place_points(place)
    player = room.player(cmd.pid)
    assert player is not None
    prob = cmd.prob if cmd.prob is not None and 0.0 <= cmd.prob <= 1.0 else None
    sketch = replace(sketch, recognized_at=env.now, place=place, prob=prob)
    deltas = {**turn.deltas, cmd.pid: turn.deltas.get(cmd.pid, 0) + points}
    turn = replace(turn, sketches={**turn.sketches, cmd.pid: sketch}, deltas=deltas)
    player = replace(player, score=player.score + points, guessed_at=env.now)
    room = replace(room, turn=turn).with_player(player)
    data = {"player_id": cmd.pid, "name": player.name, "place": place, "points": points,
            "time": round(env.now - turn.started_at, 2), "turn": turn.key}
    events = [Event("race_recognized", data, everyone(room))]
    if turns.everyone_guessed(room):
        room, more = turns.end_turn(room, env, "all_guessed")
        events += more
    return room, events


def guess_relay(
    room: Room, pid: str, turn_key: str, stroke_count: int, guesses: tuple[tuple[str, float], ...],
    provider: str | None = None,
) -> list[Event]:
    """A player's live AI guesses for their own drawing, for everyone else's thumbnail of it.

    Nothing is masked: the prompt is public. `provider` (the sender's execution provider) is relayed when
    given. Raises GameError when `pid` has no drawing of that prompt.
    """
    _drawing_player(room, pid)
    assert room.turn is not None
    if turn_key != room.turn.key:
        raise GameError("wrong_phase", "that prompt is over")
    data = {"player_id": pid, "turn": turn_key, "stroke_count": stroke_count,
            "guesses": [{"label": label, "prob": prob} for label, prob in guesses]}
    if provider is not None:
        data["provider"] = provider
    return [Event("ai_guess", data, all_but(room, pid))]


def chat(room: Room, cmd: Chat, env: Env) -> Result:
    """Race chat is plain chat to everyone: the prompt is public, so nothing typed is a guess."""
    member = room.player(cmd.pid) or room.spectator(cmd.pid)
    if member is None:
        raise GameError("not_in_room", "not in this room")
    data = {"player_id": member.id, "name": member.name, "text": cmd.text, "channel": "all"}
    return room, [Event("chat", data, everyone(room))]
