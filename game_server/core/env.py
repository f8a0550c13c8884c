"""What a rule may consult besides the room and the command: time, randomness and the word pool."""

from __future__ import annotations

import random
from dataclasses import dataclass

from game_server.core.words import LINEAGE_WORDS


@dataclass(frozen=True)
class Env:
    now: float
    rng: random.Random
    pool: tuple[str, ...] = LINEAGE_WORDS
