"""The one exception the rules raise: a refused command, with a protocol error code."""

from __future__ import annotations


class GameError(Exception):
    """A command the rules refuse; the room is unchanged. `code` is one of protocol.ERROR_CODES."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
