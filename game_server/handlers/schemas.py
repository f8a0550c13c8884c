"""Payload checks for client events: each returns the clean value or raises GameError("bad_request")."""

from __future__ import annotations

from typing import Any

from game_server.core import GameError
from game_server.core.ids import normalize_code

MAX_ID = 64
MAX_SEQ = 10**9


def field(data: dict[str, Any], key: str) -> Any:
    if key not in data:
        raise GameError("bad_request", f"missing field {key!r}")
    return data[key]


def string(data: dict[str, Any], key: str, max_len: int = MAX_ID) -> str:
    value = field(data, key)
    if not isinstance(value, str) or not 0 < len(value) <= max_len:
        raise GameError("bad_request", f"{key} must be a string of 1..{max_len} characters")
    return value


def integer(data: dict[str, Any], key: str, lo: int, hi: int) -> int:
    value = field(data, key)
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise GameError("bad_request", f"{key} must be an integer in {lo}..{hi}")
    return value


def optional_bool(data: dict[str, Any], key: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise GameError("bad_request", f"{key} must be true or false")
    return value


def room_code(data: dict[str, Any]) -> str:
    code = normalize_code(string(data, "code", 32))
    if code is None:
        raise GameError("bad_request", "code must be a 10-character room code")
    return code
