"""Race mode's `ai_guess`: relay each player's live AI guesses; verify a claim on the prompt; score it.

Every player draws the same public prompt on their own canvas and their own browser classifies it. The
`ai_guess` event (handlers/ai.py parses and rate-limits it) is routed here for rooms whose mode is "race":

- the guesses are relayed to everyone else as `ai_guess {player_id, turn, stroke_count, guesses,
  provider?}` (the live thumbnail captions); a claim is relayed only once verified;
- a claim (top-1 is the prompt with p >= claims.CLAIM_THRESHOLD) is judged by `ai.verify_claim` on the
  server's own copy of the SENDER's log (`core.race.log_key`); only an accepted verdict applies
  `RaceRecognized`, which scores by finishing order (core/race.py). A rejected claim changes nothing and
  counts towards the sender's forgery limit; a confident claim naming another prompt is a replay
  (`wrong_turn`), one naming the prompt that just ended is merely late (`wrong_phase`, not a forgery).

Holds no game rules and talks to storage only through ctx.store (via runtime and handlers.ai).
"""

from __future__ import annotations

from typing import Any

from game_server import protocol
from game_server.claims import CLAIM_THRESHOLD, Claim, claims_word
from game_server.context import ServerContext
from game_server.core import GameError, RaceRecognized, Room
from game_server.core import race as rules
from game_server.core.state import DRAWING, RACE
from game_server.core.text import is_correct
from game_server.handlers import ai
from game_server.handlers.runtime import Seat, emit, iter_events, run


def register(ctx: ServerContext) -> None:
    ai.register_mode(RACE, race_guess)


async def race_guess(ctx: ServerContext, sid: str, seat: Seat, room: Room, claim: Claim) -> dict[str, Any]:
    """Handle one parsed `ai_guess` in a race room; returns the ack's fields (as the classic handler's)."""
    pid, code = seat.member_id, seat.code
    turn = room.turn if room.phase == DRAWING and room.turn is not None and room.turn.word else None
    current = turn.key if turn is not None else None
    if current is None and room.turn is not None and claim.turn == room.turn.key:
        raise GameError("wrong_phase", "that prompt is over")  # merely late: not counted as a forgery
    if turn is not None and claim.turn == current:
        if not claims_word(claim, turn.word or "", same_word=is_correct):
            await emit(ctx, room, rules.guess_relay(room, pid, claim.turn, claim.stroke_count, claim.guesses,
                                                    claim.provider))
            return {"verdict": "none", "reason": "not_a_claim"}
        sketch = turn.sketches.get(pid)
        if sketch is not None and sketch.recognized_at is not None:
            return {"verdict": "none", "reason": "already_recognized", "place": sketch.place}
    elif claim.top[1] < CLAIM_THRESHOLD:
        raise GameError("wrong_phase", "no prompt of that key now")
    # A claim: on the current prompt, or a confident one naming another (a replay: rejected as wrong_turn).
    owner = pid if turn is not None and room.player(pid) is not None else None  # an empty log fails next
    verdict = await ai.verify_claim(
        ctx, code, claim, sender=pid, turn=current, owner=owner,
        log_key=rules.log_key(room, pid) if turn is not None else "", word=turn.word or "" if turn else "",
    )
    if not verdict.accepted:
        return {"verdict": "unavailable" if verdict.reason == ai.UNAVAILABLE else "rejected",
                "reason": verdict.reason}
    try:
        command = RaceRecognized(pid, claim.turn, claim.stroke_count, verdict.server_prob)
        outcome = await run(ctx, code, command)
    except GameError as exc:  # the prompt ended (or the player was recognized) while the model ran
        return {"verdict": "verified", "reason": verdict.reason, "scored": False, "why": exc.code}
    mine = next(e for e in iter_events(outcome.events, protocol.RACE_RECOGNIZED)
                if e.data["player_id"] == pid)
    ctx.metrics.inc("race_recognitions_total")
    await emit(ctx, outcome.room, _relay_if_running(outcome.room, pid, claim))
    return {"verdict": "verified", "reason": verdict.reason, "scored": True, "place": mine.data["place"],
            "points": mine.data["points"], "time": mine.data["time"]}


def _relay_if_running(room: Room, pid: str, claim: Claim) -> list[Any]:
    """The verified guesses for the thumbnails (nothing if the prompt just ended with this recognition)."""
    try:
        return rules.guess_relay(room, pid, claim.turn, claim.stroke_count, claim.guesses, claim.provider)
    except GameError:
        return []
