"""The word pool and word choice; masks and letter hints of the secret word."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

LINEAGE_WORDS: tuple[str, ...] = (
    "airplane", "ant", "anvil", "apple", "axe", "banana", "baseball", "bicycle", "binoculars", "bird",
    "birthday cake", "bowtie", "butterfly", "camera", "campfire", "candle", "cannon", "car", "cat", "cloud",
    "crab", "crocodile", "dolphin", "elephant", "face", "fish", "flower", "fork", "hammer", "hand",
    "ice cream", "key", "knife", "mailbox", "microphone", "mushroom", "octopus", "screwdriver", "shark",
    "sheep", "shoe", "snake", "snowflake", "snowman", "spider", "star", "syringe", "umbrella", "wheel",
    "wine glass",
)  # fmt: skip


def pool_from_model_card(card: Mapping[str, Any] | None) -> tuple[str, ...]:
    """The game's words from a parsed models/<name>.json: "game_words" (well recognized), else "labels"."""
    if not card:
        return LINEAGE_WORDS
    for key in ("game_words", "labels"):
        words = card.get(key)
        if isinstance(words, list) and words and all(isinstance(w, str) for w in words):
            cleaned = tuple(dict.fromkeys(" ".join(w.replace("_", " ").split()).lower() for w in words))
            return tuple(w for w in cleaned if w)
    return LINEAGE_WORDS


def pick_choices(
    rng: random.Random,
    pool: Sequence[str],
    custom: Sequence[str],
    custom_only: bool,
    count: int,
    used: Sequence[str] = (),
) -> tuple[str, ...]:
    """`count` distinct words for the drawer to choose from, avoiding words used earlier in the game."""
    candidates = list(dict.fromkeys(custom if custom_only else [*pool, *custom]))
    fresh = [w for w in candidates if w not in set(used)]
    source = fresh if len(fresh) >= count else candidates
    return tuple(rng.sample(source, min(count, len(source))))


def letter_positions(word: str) -> list[int]:
    """Indices of the characters a guesser must find (spaces, '-' and "'" are shown from the start)."""
    return [i for i, c in enumerate(word) if c not in " -'"]


def max_hints(word: str) -> int:
    """Hints never reveal more than half the letters (rounded down)."""
    return len(letter_positions(word)) // 2


def mask(word: str, revealed: Sequence[int] = ()) -> str:
    """The pattern guessers see: "_" per hidden letter, revealed letters and separators shown."""
    shown = set(revealed)
    return "".join(c if (c in " -'" or i in shown) else "_" for i, c in enumerate(word))


def word_lengths(word: str) -> list[int]:
    return [len(part) for part in word.replace("-", " ").split()]


def pick_hint(rng: random.Random, word: str, revealed: Sequence[int]) -> int | None:
    """A random not-yet-revealed letter index, or None when the hint budget of the word is spent."""
    if len(revealed) >= max_hints(word):
        return None
    hidden = [i for i in letter_positions(word) if i not in set(revealed)]
    return rng.choice(hidden) if hidden else None
