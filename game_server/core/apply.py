"""`apply(room, command, now, rng) -> (room, events)`: the one entry point of the rules.

Rules are registered per command type in RULES; a rule raises GameError to refuse (the room is unchanged).
After a rule that changed the room, `rev` grows and `state` views are appended for everyone.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from game_server.core import ai, capture, chat, likes, lobby, members, race, turns
from game_server.core.commands import (
    AiGuess,
    AiRecognized,
    Chat,
    ChooseWord,
    Command,
    Disconnect,
    DrawBatch,
    Join,
    Kick,
    Leave,
    Like,
    NodeLost,
    RaceRecognized,
    Rejoin,
    SetConsent,
    StartGame,
    Tick,
    TransferHost,
    UpdateSettings,
    VoteKick,
)
from game_server.core.env import Env
from game_server.core.errors import GameError
from game_server.core.events import Event, all_but, state_events
from game_server.core.settings import apply_changes
from game_server.core.state import CHOOSING, DRAWING, GAME_END, LOBBY, Room, Settings
from game_server.core.words import LINEAGE_WORDS

Result = tuple[Room, list[Event]]
Rule = Callable[[Room, Any, Env], Result]
MAX_TICK_STEPS = 64


def new_room(code: str, settings: Settings | None = None) -> Room:
    """An empty room in the lobby; the first player to join becomes its host."""
    return Room(code=code, settings=settings or Settings())


def _update_settings(room: Room, cmd: UpdateSettings, env: Env) -> Result:
    _host(room, cmd.pid)
    if room.phase not in (LOBBY, GAME_END):
        raise GameError("wrong_phase", "settings can only change in the lobby")
    return replace(room, settings=apply_changes(room.settings, cmd.changes, ai.human_count(room))), []


def _start(room: Room, cmd: StartGame, env: Env) -> Result:
    _host(room, cmd.pid)
    if room.phase not in (LOBBY, GAME_END):
        raise GameError("wrong_phase", "a game is already running")
    return (race.start_game if race.is_race(room) else turns.start_game)(room, env)


def _choose(room: Room, cmd: ChooseWord, env: Env) -> Result:
    _member(room, cmd.pid)
    if room.phase != CHOOSING or room.turn is None:
        raise GameError("wrong_phase", "no word to choose now")
    if room.turn.drawer_id != cmd.pid:
        raise GameError("not_allowed", "only the drawer chooses the word")
    index = cmd.index
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(room.turn.choices):
        raise GameError("bad_request", "index must pick one of the choices")
    return turns.choose(room, cmd.index, env)


def draw_relay(room: Room, cmd: DrawBatch, turn_key: str | None = None) -> tuple[str, Event]:
    """Where `cmd.pid` may draw now: (the store key of their drawing log, the batch's relay event).

    Raises GameError when they may not draw now (or the batch names another turn). The seq and the
    log's own rules (stroke ids, limits) are checked against the log's bookkeeping (drawing.LogMeta),
    which the store keeps with the log: the room does not change for a batch.
    """
    _member(room, cmd.pid)
    if race.is_race(room):
        return race.draw_relay(room, cmd, turn_key)  # everyone draws their own log
    if room.phase != DRAWING or room.turn is None:
        raise GameError("wrong_phase", "nobody draws now")
    if room.turn.drawer_id != cmd.pid:
        raise GameError("not_allowed", "only the drawer draws")
    if turn_key is not None and turn_key != room.turn.key:
        raise GameError("wrong_phase", "that turn is over")
    return room.turn.key, Event("draw", {"seq": cmd.seq, "ops": list(cmd.ops)}, all_but(room, cmd.pid))


def _draw(room: Room, cmd: DrawBatch, env: Env) -> Result:
    return room, [draw_relay(room, cmd)[1]]


def _tick(room: Room, cmd: Tick, env: Env) -> Result:
    events: list[Event] = []
    for _ in range(MAX_TICK_STEPS):
        room, more = members.expire_absent(room, env)
        events += more
        hints = room.turn.hint_times if (room.phase == DRAWING and room.turn) else ()
        if turns.drawer_away_due(room, env.now):
            room, more = turns.drawer_gone(room, env)
        elif hints and hints[0] <= env.now:
            room, more = turns.reveal_hint(room, env)
        elif room.deadline is not None and room.deadline <= env.now:
            room, more = (race.phase_timeout if race.is_race(room) else turns.phase_timeout)(room, env)
        else:
            break
        events += more
    return room, events


def _chat(room: Room, cmd: Chat, env: Env) -> Result:
    return (race.chat if race.is_race(room) else chat.chat)(room, cmd, env)


def _member(room: Room, pid: str) -> None:
    if not room.has_member(pid):
        raise GameError("not_in_room", "not in this room")


def _host(room: Room, pid: str) -> None:
    _member(room, pid)
    if room.host_id != pid:
        raise GameError("not_host", "only the host may do this")


RULES: dict[type, tuple[Rule, bool]] = {
    # command type: (rule, whether a change of the room sends fresh `state` views)
    Join: (members.join, True),
    Rejoin: (members.rejoin, True),
    Leave: (members.leave, True),
    Disconnect: (members.disconnect, True),
    NodeLost: (members.node_lost, True),
    UpdateSettings: (_update_settings, True),
    StartGame: (_start, True),
    ChooseWord: (_choose, True),
    Chat: (_chat, True),
    DrawBatch: (_draw, False),  # a relay only: the batch goes to the log's store (S13), not the room
    Kick: (members.kick, True),
    VoteKick: (members.vote_kick, True),
    TransferHost: (members.transfer_host, True),
    RaceRecognized: (race.recognized, True),
    AiGuess: (ai.ai_guess, False),  # a relay only: the room does not change
    AiRecognized: (ai.ai_recognized, True),
    Like: (likes.like, False),  # the `liked` event is the update; the views do not show likes
    SetConsent: (capture.set_consent, True),  # the views show who shares (`shares`), never the id
    Tick: (_tick, True),
}


def apply(
    room: Room, command: Command, now: float, rng: random.Random, pool: tuple[str, ...] = LINEAGE_WORDS
) -> Result:
    """Apply one command at time `now`; raises GameError (room unchanged) when the rules refuse it."""
    try:
        rule, views = RULES[type(command)]
    except KeyError:
        raise GameError("bad_request", f"unknown command {type(command).__name__}") from None
    if getattr(command, "pid", None) == ai.AI_ID:
        raise GameError("not_allowed", "the AI pseudo-player sends no commands")
    env = Env(now=now, rng=rng, pool=pool or LINEAGE_WORDS)
    # A host whose grace ran out hands the role on before any command is judged (not only at the Tick).
    new, events = rule(members.host_due(room, now), command, env)
    new = ai.sync_ai_player(new)  # before the countdown: the AI never counts towards it
    new = lobby.sync_countdown(new, env)
    if new == room:
        return room, events
    new = replace(new, rev=room.rev + 1)
    if views:
        events = [*events, *state_events(new, now)]
    return new, events


next_deadline = turns.next_deadline
