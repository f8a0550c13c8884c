"""The host's settings changes applied to `Settings`: the rules that hold across keys.

The changes arrive checked against the protocol's schema (game_server/protocol/client.py:
SettingsChanges: known keys, types, ranges, list lengths); what is left here are rules: custom words are
cleaned and deduplicated, `custom_only` needs enough custom words, `max_players` cannot drop below the
players already seated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from game_server.core.errors import GameError
from game_server.core.state import Settings
from game_server.core.text import clean_word


def apply_changes(current: Settings, changes: Mapping[str, Any], players: int = 0) -> Settings:
    """New settings from checked partial changes; raises GameError if a rule fails (nothing applied)."""
    updates = dict(changes)
    if "custom_words" in updates:
        updates["custom_words"] = tuple(dict.fromkeys(clean_word(w) for w in updates["custom_words"]))
    new = replace(current, **updates)
    if new.custom_only and len(new.custom_words) < new.word_choices:
        raise GameError("bad_request", f"“Only custom words” needs at least {new.word_choices} custom words "
                        f"(the list has {len(new.custom_words)})")
    if new.max_players < players:
        raise GameError("bad_request", "max_players is below the number of players in the room")
    return new
