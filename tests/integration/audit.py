"""The secrecy audit: replay what one client received and find any word it saw before it may know it."""

from __future__ import annotations

from typing import Any


def strings(data: Any, key: str = "") -> list[tuple[str, str]]:
    """(field name, lower-cased string) for every string in a payload."""
    if isinstance(data, dict):
        return [s for k, v in data.items() for s in strings(v, k)]
    if isinstance(data, list):
        return [s for v in data for s in strings(v, key)]
    return [(key, data.lower())] if isinstance(data, str) else []


def leaks(events: list[tuple[str, Any]], me: str | None, secrets: dict[str, list[str]]) -> list[str]:
    """Events that showed this client a turn's secret (its word or choices) before it was allowed to know.

    `secrets` maps a turn key to its word plus the drawer's choices. A turn runs from the first `state` that
    names its key until `turn_ended`; within it the client may learn the word only after its own `guessed`
    event. Chat lines from other players are free text and skipped unless they come from a knower channel.
    """
    found: list[str] = []
    turn: str | None = None
    allowed = False
    for name, data in events:
        if name == "state" and isinstance(data, dict):
            key = (data.get("turn") or {}).get("key")
            if key and key != turn and data["phase"] in ("choosing", "drawing"):
                turn, allowed = key, False
        if name == "turn_ended":
            turn = None
            continue
        if name == "guessed" and data.get("player_id") == me:
            allowed = True
        if turn is None or allowed:
            continue
        if name == "chat" and data.get("channel") == "all":
            continue
        for field, value in strings(data):
            for secret in secrets.get(turn, []):
                if value == secret or (field in ("word", "choices", "pattern", "text") and secret in value):
                    found.append(f"{name} {field}={value!r} reveals {secret!r} of turn {turn}")
    return found
