"""Points: a guess is worth less the later it comes; the drawer earns per correct guesser."""

from __future__ import annotations

GUESS_MIN = 50
GUESS_TIME_BONUS = 450
FIRST_GUESS_BONUS = 50
DRAWER_PER_GUESS = 50


def guess_points(now: float, started_at: float, draw_time: float, first: bool) -> int:
    """50..500 falling linearly with the time used, +50 for the first correct guesser. Never negative."""
    left = max(0.0, min(1.0, 1.0 - (now - started_at) / draw_time)) if draw_time > 0 else 0.0
    return GUESS_MIN + round(GUESS_TIME_BONUS * left) + (FIRST_GUESS_BONUS if first else 0)


def drawer_points() -> int:
    return DRAWER_PER_GUESS
