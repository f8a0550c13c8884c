"""Validation of the host's settings changes (untrusted dicts from the wire) into `Settings`."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from game_server.core.errors import GameError
from game_server.core.state import Settings
from game_server.core.text import clean_word

MODES = ("classic", "race")  # a mode is added here and given its rules in core/<mode>.py (race.py)
MAX_CUSTOM_WORDS = 200
RANGES: dict[str, tuple[int, int]] = {
    "rounds": (1, 10),
    "draw_time": (15, 240),
    "word_choices": (1, 5),
    "hints": (0, 5),
    "max_players": (2, 12),
}


def _int(key: str, value: Any) -> int:
    lo, hi = RANGES[key]
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise GameError("bad_request", f"{key} must be an integer in {lo}..{hi}")
    return value


def _bool(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise GameError("bad_request", f"{key} must be true or false")
    return value


def apply_changes(current: Settings, changes: Any, players: int = 0) -> Settings:
    """New settings from a partial dict; raises GameError on any bad key or value (nothing applied)."""
    if not isinstance(changes, dict):
        raise GameError("bad_request", "settings must be an object")
    updates: dict[str, Any] = {}
    for key, value in changes.items():
        if key in RANGES:
            updates[key] = _int(key, value)
        elif key in ("custom_only", "public", "ai_player"):
            updates[key] = _bool(key, value)
        elif key == "mode":
            if value not in MODES:
                raise GameError("bad_request", f"mode must be one of {', '.join(MODES)}")
            updates[key] = value
        elif key == "custom_words":
            if not isinstance(value, list) or len(value) > MAX_CUSTOM_WORDS:
                raise GameError("bad_request", f"custom_words must be a list of at most {MAX_CUSTOM_WORDS}")
            updates[key] = tuple(dict.fromkeys(clean_word(w) for w in value))
        else:
            raise GameError("bad_request", f"unknown setting {key!r}")
    new = replace(current, **updates)
    if new.custom_only and len(new.custom_words) < new.word_choices:
        raise GameError("bad_request", f"“Only custom words” needs at least {new.word_choices} custom words "
                        f"(the list has {len(new.custom_words)})")
    if new.max_players < players:
        raise GameError("bad_request", "max_players is below the number of players in the room")
    return new
