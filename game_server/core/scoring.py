"""Points and the Humans-vs-AI scoreline of classic rooms.

Individual points (humans only): a correct guess is worth less the later it comes, +FIRST_GUESS_BONUS for the
first *human* who names the word (the AI never takes it away); the drawer earns DRAWER_PER_GUESS for every
correct guesser, the AI included — a drawing the AI recognizes is a good drawing. The AI pseudo-player earns
no individual points and is not in the ranking.

The scoreline (only while the AI sits in the room): each turn is won by the side that names the word first —
HUMANS (any human guesser) or AI (a server-verified claim); a turn nobody names is won by no one. The game's
rival winner is the side with more turns won (equal: a draw).
"""

from __future__ import annotations

GUESS_MIN = 50
GUESS_TIME_BONUS = 450
FIRST_GUESS_BONUS = 50
DRAWER_PER_GUESS = 50

HUMANS, AI_SIDE = "humans", "ai"  # the scoreline's sides (Turn.winner, Room.rival keys)
DRAW = "draw"  # rival_winner when both sides won as many turns


def guess_points(now: float, started_at: float, draw_time: float, first: bool) -> int:
    """50..500 falling linearly with the time used, +50 for the first human guesser. Never negative."""
    left = max(0.0, min(1.0, 1.0 - (now - started_at) / draw_time)) if draw_time > 0 else 0.0
    return GUESS_MIN + round(GUESS_TIME_BONUS * left) + (FIRST_GUESS_BONUS if first else 0)


def drawer_points() -> int:
    return DRAWER_PER_GUESS


def fresh_rival() -> dict[str, int]:
    return {HUMANS: 0, AI_SIDE: 0}


def won_turn(rival: dict[str, int], side: str) -> dict[str, int]:
    """The scoreline after `side` won one more turn (a new dict)."""
    base = {**fresh_rival(), **rival}
    return {**base, side: base[side] + 1}


def rival_winner(rival: dict[str, int]) -> str:
    """HUMANS, AI_SIDE or DRAW: the side with more turns won."""
    humans, ai = rival.get(HUMANS, 0), rival.get(AI_SIDE, 0)
    return HUMANS if humans > ai else AI_SIDE if ai > humans else DRAW
