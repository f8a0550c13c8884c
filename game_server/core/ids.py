"""Room codes, player ids and session tokens drawn from an injected random source."""

from __future__ import annotations

import random

# Crockford base32: no I, L, O, U (ambiguous when read aloud or typed from a screen).
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10  # 50 bits
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_room_code(rng: random.Random) -> str:
    """A fresh 10-character room code (50 random bits)."""
    bits = rng.getrandbits(5 * CODE_LENGTH)
    return "".join(CROCKFORD[(bits >> (5 * i)) & 31] for i in range(CODE_LENGTH))


def normalize_code(text: str) -> str | None:
    """Canonical form of a typed code, or None if it cannot be one."""
    code = text.strip().upper().replace("-", "").replace(" ", "").translate(_CONFUSABLE)
    if len(code) != CODE_LENGTH or any(c not in CROCKFORD for c in code):
        return None
    return code


def new_player_id(rng: random.Random, prefix: str = "p") -> str:
    """An opaque member id (players "p…", spectators "s…")."""
    return f"{prefix}{rng.getrandbits(40):010x}"


def new_token(rng: random.Random) -> str:
    """A 128-bit session token, as 32 hex characters."""
    return f"{rng.getrandbits(128):032x}"


def invite_path(code: str) -> str:
    """The invite link's path; the server serves the client page there."""
    return f"/r/{code}"
