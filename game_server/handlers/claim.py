"""The `ai_guess` event, both modes, top to bottom: a drawer's live AI guesses, and a claim on the word.

A player's browser classifies its own drawing and sends `ai_guess {turn, stroke_count, guesses, provider?,
player?}` (or `{..., guesses: [], status, progress?}` while its model loads). One road:

1. `ai_guess`: the seat must be a player's; a status is relayed (`_status`); a sender cooling down after
   forged claims is refused (`rate_limited`, `_not_cooling_down`; checked again when the verdict arrives);
   without a model the answer is `unavailable`; the payload becomes a `Claim` (claims.claim_from: known
   labels, sane probabilities; else `bad_request`).
2. One load of the room (`_load`).
3. The pure policy, shared by classic and race (core.claims.plan, mode differences are the data of
   core.claims.MODES): the live view to relay now, or an answer that needs no model (not a claim, too
   early, already recognized), or what to verify (`Verify`). The relay is emitted (`emit`).
4. `_verify`: check_context, the claimed prefix of the log from the store (`_prefix`, waiting briefly for
   batches still being appended), the server's own model (ctx.verifier, in its thread pool, off the event
   loop); the sender's forgery record is updated (ctx.forgery).
5. `_score`: an accepted claim applies the mode's command (AiRecognized / RaceRecognized) through
   runtime.run (lock, load, core.apply, save, emit); the mode's `result` makes the ack (and, in race, the
   verified guesses' relay). The ack counts in `ai_guesses_total` by verdict.

Holds no game rules (core.claims, core.ai, core.race) and talks to storage only through ctx.store.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from msgspec import UNSET

from game_server import protocol
from game_server.claims import ClaimInvalid, Verdict, check_context, claim_from
from game_server.context import ServerContext
from game_server.core import GameError, Room, room_from_dict
from game_server.core.ai import guess_events
from game_server.core.claims import Claim, Verify, mode_of, plan
from game_server.core.commands import AiGuess
from game_server.core.state import CLASSIC, RACE
from game_server.core.text import is_correct
from game_server.handlers.dispatch import on
from game_server.handlers.play import seat_of
from game_server.handlers.runtime import emit, run

log = logging.getLogger("game_server.handlers")

UNAVAILABLE = "unavailable"  # Verdict.reason when the server has no model (claims are never scored)
# A claim may be handled before the draw batches it counts (python-socketio runs each event in its own
# task): wait this long for them, but only for a gap an honest client can have in flight.
CLAIM_WAIT_S = 1.0
CLAIM_WAIT_MAX_GAP = 4 * protocol.MAX_OPS_PER_BATCH
AI_GUESS_RATE = (4.0, 8)  # ai_guess events per connection: 4/s, burst 8 (a browser predicts ~2/s)
RECOGNITIONS = {CLASSIC: "ai_recognitions_total", RACE: "race_recognitions_total"}  # metric per mode


def register(ctx: ServerContext) -> None:
    on(ctx, protocol.AI_GUESS, "ai", ai_guess)


async def ai_guess(ctx: ServerContext, sid: str, data: protocol.AiGuess) -> dict[str, Any]:
    seat = seat_of(ctx, sid)
    if seat.role != "player":
        raise GameError("not_allowed", "spectators have no drawing to classify")
    pid, code = seat.member_id, seat.code
    if data.status is not UNSET:
        return await _status(ctx, code, pid, data)
    now = ctx.now()
    _not_cooling_down(ctx, pid, now)
    if ctx.verifier is None:
        ctx.metrics.inc("ai_guesses_total", verdict=UNAVAILABLE)
        return {"verdict": UNAVAILABLE, "reason": "no_model"}
    try:
        claim = claim_from(data, ctx.verifier.label_set)
    except ClaimInvalid as exc:
        raise GameError("bad_request", exc.message) from None
    room = await _load(ctx, code)
    todo = plan(room, pid, claim, now)
    if todo.relay:
        await emit(ctx, room, todo.relay)
    if todo.verify is None:
        assert todo.ack is not None
        ack = todo.ack
    else:
        verdict = await _verify(ctx, code, pid, claim, todo.verify)
        ack = await _score(ctx, room, pid, claim, verdict)
    ctx.metrics.inc("ai_guesses_total", verdict=str(ack.get("verdict")))
    return ack


def _not_cooling_down(ctx: ServerContext, sender: str, now: float) -> None:
    """Refuse a sender whose forged claims put it in a cool-down (claims.ForgeryLimiter)."""
    if not ctx.forgery.allow(sender, now):
        ctx.metrics.inc("ai_guesses_total", verdict="rate_limited")
        raise GameError("rate_limited", "too many rejected AI claims; wait a little")


async def _load(ctx: ServerContext, code: str) -> Room:
    loaded = await ctx.store.load(code)
    if loaded is None:
        raise GameError("room_not_found", "no room with that code")
    return room_from_dict(loaded[0])


async def _status(ctx: ServerContext, code: str, pid: str, data: protocol.AiGuess) -> dict[str, Any]:
    """`ai_guess {turn, stroke_count, guesses: [], status, progress?}`: the drawer's model is not ready;
    relayed like live guesses (classic rooms; the core checks drawer, turn and status)."""
    progress = None if data.progress is UNSET else float(data.progress)
    cmd = AiGuess(pid, data.turn, data.stroke_count, (), None, str(data.status), progress)
    room = await _load(ctx, code)
    await emit(ctx, room, guess_events(room, cmd))
    return {"verdict": "none", "reason": "status"}


async def _verify(ctx: ServerContext, code: str, sender: str, claim: Claim, target: Verify) -> Verdict:
    """Judge `claim` on the server's own copy of the drawing log `target.log_key`; updates the sender's
    forgery record. Changes no room state."""
    verifier = ctx.verifier
    assert verifier is not None
    ops: list[Any] = []
    own = target.turn is not None and claim.turn == target.turn and target.owner == sender
    if own and claim.stroke_count >= 1:
        ops = await _prefix(ctx, code, target.log_key, claim.stroke_count)
    verdict = check_context(claim, sender=sender, turn=target.turn, owner=target.owner, log_length=len(ops))
    if verdict is None:
        try:
            verdict = await verifier.verify(claim, ops, target.word, same_word=is_correct,
                                            threshold=target.threshold)
        except Exception:  # a closed or failing verifier must not fail the event loop's caller
            log.exception("verification failed", extra={"room": code, "player": sender})
            return Verdict(False, UNAVAILABLE)
    else:
        verifier.record(verdict)
    # Claims sent in a burst all passed the first check before the earlier ones were judged forged: the
    # verdict of a sender who got blocked meanwhile counts for nothing (neither a score nor a forgery).
    _not_cooling_down(ctx, sender, ctx.now())
    if ctx.forgery.note(sender, verdict, ctx.now()):
        ctx.metrics.inc("ai_forgery_blocks_total")
        log.warning("AI claims refused for a while: repeated forgeries",
                    extra={"room": code, "player": sender, "reason": verdict.reason})
    return verdict


async def _prefix(ctx: ServerContext, code: str, key: str, count: int) -> list[Any]:
    """The first `count` ops of a drawing log; waits briefly for batches that are being appended."""
    rt = ctx.runtime
    give_up = time.monotonic() + CLAIM_WAIT_S
    while True:
        seen = rt.commits(code)
        ops = await ctx.store.get_strokes(code, key, 0, count)
        remaining = give_up - time.monotonic()
        if len(ops) >= count or count - len(ops) > CLAIM_WAIT_MAX_GAP or remaining <= 0:
            return ops
        await rt.wait_commit(code, seen, min(remaining, 0.25))


async def _score(
    ctx: ServerContext, room: Room, sender: str, claim: Claim, verdict: Verdict
) -> dict[str, Any]:
    """Apply the mode's scoring command for an accepted claim; the ack for any verdict."""
    if not verdict.accepted:
        outcome_name = UNAVAILABLE if verdict.reason == UNAVAILABLE else "rejected"
        return {"verdict": outcome_name, "reason": verdict.reason}
    mode = mode_of(room)
    try:
        outcome = await run(ctx, room.code, mode.command(sender, claim, verdict.server_prob))
    except GameError as exc:  # the turn ended (or the claim already scored) while the model ran
        return {"verdict": "verified", "reason": verdict.reason, "scored": False, "why": exc.code}
    ack, more = mode.result(outcome.room, outcome.events, sender, claim)
    ctx.metrics.inc(RECOGNITIONS.get(room.settings.mode, RECOGNITIONS[CLASSIC]))
    if more:
        await emit(ctx, outcome.room, more)
    return {"verdict": "verified", "reason": verdict.reason, **ack}
