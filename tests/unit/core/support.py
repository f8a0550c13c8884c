"""Helpers for the pure-core tests: a room driver with a fake clock and a seeded rng, and secrecy checks."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from game_server.core import Event, GameError, Join, Room, Settings, apply, new_room
from game_server.core.commands import Command
from game_server.core.state import CHOOSING, DRAWING


@dataclass
class Game:
    # Without the AI pseudo-player unless a test turns it on (test_core_ai.py), so seats stay as joined.
    room: Room = field(default_factory=lambda: new_room("TESTROOM00", Settings(ai_player=False)))
    now: float = 1000.0
    rng: random.Random = field(default_factory=lambda: random.Random(7))
    log: list[tuple[Room, Room, Command, list[Event]]] = field(default_factory=list)

    def do(self, cmd: Command, dt: float = 0.0) -> list[Event]:
        self.now += dt
        before = self.room
        self.room, events = apply(self.room, cmd, self.now, self.rng)
        self.log.append((before, self.room, cmd, events))
        check_secrecy(before, self.room, cmd, events)
        return events

    def refuse(self, cmd: Command, code: str) -> None:
        before = self.room
        try:
            apply(self.room, cmd, self.now, self.rng)
        except GameError as exc:
            assert exc.code == code, (exc.code, exc.message)
            assert self.room == before
            return
        raise AssertionError(f"{cmd} was accepted, expected {code}")

    def join(self, *names: str) -> list[str]:
        ids = []
        for name in names:
            pid = f"p{name.lower()}"
            self.do(Join(pid, name, conn=f"c-{pid}"))
            ids.append(pid)
        return ids

    @property
    def word(self) -> str | None:
        return self.room.turn.word if self.room.turn else None


def names(events: list[Event]) -> list[str]:
    return [e.name for e in events]


def to_whom(events: list[Event], name: str) -> list[frozenset[str]]:
    return [e.to.players for e in events if e.name == name]


def secrets_of(room: Room) -> tuple[str, ...]:
    """What guessers must not learn from `room`: the chosen word, or the drawer's choices while choosing."""
    if room.turn is None or room.settings.mode == "race":
        return ()  # a race prompt is public: everyone draws it
    if room.phase == DRAWING and room.turn.word:
        return (room.turn.word,)
    if room.phase == CHOOSING:
        return room.turn.choices
    return ()


def check_secrecy(before: Room, after: Room, cmd: Command, events: list[Event]) -> None:
    """No event reaching a player who does not know the word (or a spectator) carries the word.

    The secret is the one of the room before the command and, if the turn is still running, after it.
    Chat lines sent by a player who does not know the word are skipped: they cannot leak what they don't know
    (a guesser may type "cat" while "cat" is one of the choices they never saw).
    """
    secret_rooms = [r for r in (before, after) if secrets_of(r)]
    if not secret_rooms:
        return
    for r in secret_rooms:
        ended = after.phase not in (CHOOSING, DRAWING) or after.turn is None or after.turn.key != r.turn.key
        knowers = r.knowers() if ended else after.knowers()
        for e in events:
            if ended and (e.name == "turn_ended" or (e.name == "state" and e.data["phase"] == "turn_end")):
                continue  # the turn ended during this command: its reveal carries the word, rightly
            if ended and e.name == "state" and e.data["phase"] == "game_end":
                continue  # the game is over: its gallery names every word, the host's form the custom words
            if e.name == "chat" and e.data["player_id"] not in r.knowers():
                continue
            if e.name == "close_guess":
                continue  # the guesser's own text, to the guesser only
            outsiders = (e.to.players - knowers) | ({"<spectators>"} if e.to.spectators else set())
            if not outsiders:
                continue
            values, texts = _strings(e.data)
            for secret in secrets_of(r):
                assert secret not in values and secret not in texts, (
                    f"{e.name} to {sorted(outsiders)} leaks {secret!r}: {e.data}"
                )


def _strings(data: object) -> tuple[set[str], str]:
    """Every string value in an event's payload (lower-cased), and its free-text fields joined."""
    values: set[str] = set()
    texts: list[str] = []

    def walk(v: object, key: str = "") -> None:
        if isinstance(v, dict):
            for k, x in v.items():
                walk(x, k)
        elif isinstance(v, list):
            for x in v:
                walk(x, key)
        elif isinstance(v, str):
            values.add(v.lower())
            if key in ("word", "choices", "pattern", "text"):
                texts.append(v.lower())

    walk(data)
    return values, "\n".join(texts)
