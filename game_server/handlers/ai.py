"""The AI's event: `ai_guess` — a drawer's live top guesses, relayed; a claim on the word is verified.

Classic mode: the drawer's browser classifies its own drawing and sends `ai_guess {turn, stroke_count,
guesses, provider?}`. The guesses (and the provider, for display) are relayed to the room as the live
"AI is guessing" view (guessers and spectators get the secret word's entry masked as `{label: null, prob}`,
by the core rule `AiGuess`). When the guesses claim the word (claims.claims_word), the server verifies the
claim on its own copy of the strokes (`verify_claim`) and, if accepted, applies `AiRecognized`: the AI
pseudo-player guesses correctly. The room's difficulty (`settings.ai_level`, core.ai.AI_LEVELS) is applied
here, not in the browser: a claim counts only at the level's threshold (client's and server's top-1), and
one sent before the level's delay is answered `too_early` with `wait_s` (no model run, not a forgery).

Public API for other handlers (race mode):

    async def verify_claim(ctx, code, claim, *, sender, turn, owner, log_key, word, threshold) -> Verdict
        Judge a parsed claims.Claim about the drawing log `log_key` of room `code`: forgery cool-down
        (raises GameError("rate_limited") while `sender` cools down), check_context (`turn` = the key the
        claim must name, None = no turn running; `owner` = whose drawing it is, None = the sender has
        none), loads the claimed prefix of the log from the store (waiting up to CLAIM_WAIT_S for draw
        batches still being appended), runs ctx.verifier at `threshold` (default CLAIM_THRESHOLD; classic
        passes the room's AI level), counts metrics and forgeries. Returns the
        Verdict (reason "unavailable" when the server has no model). Changes no room state: the caller
        applies its own scoring command when `verdict.accepted`.

    def labels(ctx) -> frozenset[str] | None     the model's labels (None: no model, no AI)
    def register_mode(mode, fn)                   route `ai_guess` in rooms of settings.mode == `mode` to
        `async fn(ctx, sid, seat, room, claim) -> dict` (the ack's fields); classic is built in.

Must not talk to storage except through ctx.store; holds no game rules (those are in game_server.core.ai).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from msgspec import UNSET

from game_server import protocol
from game_server.claims import (
    CLAIM_THRESHOLD,
    TOO_EARLY,
    Claim,
    ClaimInvalid,
    ForgeryLimiter,
    Verdict,
    check_context,
    claim_from,
    claims_word,
    too_early,
)
from game_server.context import ServerContext
from game_server.core import AiGuess, AiRecognized, GameError, Room, room_from_dict
from game_server.core.ai import AI_ID, ai_level, claim_opens_at
from game_server.core.state import DRAWING
from game_server.core.text import is_correct
from game_server.handlers.dispatch import on
from game_server.handlers.play import seat_of
from game_server.handlers.runtime import Seat, iter_events, run, runtime
from game_server.ratelimit import RateLimiter

log = logging.getLogger("game_server.handlers")

UNAVAILABLE = "unavailable"  # Verdict.reason when the server has no model (claims are never scored)
# A claim may be handled before the draw batches it counts (python-socketio runs each event in its own
# task): wait this long for them, but only for a gap an honest client can have in flight.
CLAIM_WAIT_S = 1.0
CLAIM_WAIT_MAX_GAP = 4 * protocol.MAX_OPS_PER_BATCH
AI_GUESS_RATE = (4.0, 8)  # ai_guess events per connection: 4/s, burst 8 (a browser predicts ~2/s)

ModeHandler = Callable[[ServerContext, str, Seat, Room, Claim], Awaitable[dict[str, Any]]]
_MODES: dict[str, ModeHandler] = {}


@dataclass
class AiRuntime:
    """Per-process AI bookkeeping: forged claims per player id (reconnecting does not reset it)."""

    forgery: ForgeryLimiter = field(default_factory=ForgeryLimiter)
    checks: int = 0


def ai_runtime(ctx: ServerContext) -> AiRuntime:
    air = ctx.ai_runtime
    if air is None:
        air = ctx.ai_runtime = AiRuntime()
    return air


def register_mode(mode: str, fn: ModeHandler) -> None:
    """Send `ai_guess` of rooms in `mode` to `fn` (after the payload is parsed and the room loaded)."""
    _MODES[mode] = fn


def register(ctx: ServerContext) -> None:
    runtime(ctx).limiters.setdefault("ai", RateLimiter(*AI_GUESS_RATE))
    on(ctx, protocol.AI_GUESS, "ai", ai_guess)


def labels(ctx: ServerContext) -> frozenset[str] | None:
    """The model's labels, or None when the server runs without a model (no AI, nothing to verify)."""
    return ctx.verifier.label_set if ctx.verifier is not None else None


async def ai_guess(ctx: ServerContext, sid: str, data: protocol.AiGuess) -> dict[str, Any]:
    seat = seat_of(ctx, sid)
    if seat.role != "player":
        raise GameError("not_allowed", "spectators have no drawing to classify")
    if data.status is not UNSET:
        return await _status(ctx, seat, data)
    now = ctx.now()
    if not ai_runtime(ctx).forgery.allow(seat.member_id, now):
        ctx.metrics.inc("ai_guesses_total", verdict="rate_limited")
        raise GameError("rate_limited", "too many rejected AI claims; wait a little")
    known = labels(ctx)
    if known is None:
        ctx.metrics.inc("ai_guesses_total", verdict=UNAVAILABLE)
        return {"verdict": UNAVAILABLE, "reason": "no_model"}
    try:
        claim = claim_from(data, known)
    except ClaimInvalid as exc:
        raise GameError("bad_request", exc.message) from None
    loaded = await ctx.store.load(seat.code)
    if loaded is None:
        raise GameError("room_not_found", "no room with that code")
    room = room_from_dict(loaded[0])
    handler = _MODES.get(room.settings.mode, _classic)
    ack = await handler(ctx, sid, seat, room, claim)
    ctx.metrics.inc("ai_guesses_total", verdict=str(ack.get("verdict")))
    return ack


async def _status(ctx: ServerContext, seat: Seat, data: protocol.AiGuess) -> dict[str, Any]:
    """`ai_guess {turn, stroke_count, guesses: [], status, progress?}`: the drawer's model is not ready;
    relayed like live guesses (classic rooms; the core checks drawer, turn and status)."""
    progress = None if data.progress is UNSET else float(data.progress)
    await run(ctx, seat.code, AiGuess(seat.member_id, data.turn, data.stroke_count, (), None,
                                      str(data.status), progress))
    return {"verdict": "none", "reason": "status"}


async def _classic(ctx: ServerContext, sid: str, seat: Seat, room: Room, claim: Claim) -> dict[str, Any]:
    """Classic mode: relay the drawer's guesses; a claim on the word may make the AI player guess it."""
    pid, code = seat.member_id, seat.code
    turn = room.turn if room.phase == DRAWING and room.turn is not None and room.turn.word else None
    current = turn.key if turn is not None else None
    if current is None and room.turn is not None and claim.turn == room.turn.key:
        raise GameError("wrong_phase", "no drawing of that turn now")  # late (or early): not a forgery
    level = ai_level(room)  # the host's difficulty: the server's policy, whatever the client thinks
    if turn is not None and claim.turn == current and pid == turn.drawer_id:
        is_claim = claims_word(claim, turn.word, level.threshold, same_word=is_correct)
        await run(ctx, code, AiGuess(pid, claim.turn, claim.stroke_count, claim.guesses, claim.provider))
    elif turn is not None and claim.turn == current:
        # Not the drawer: the answer must not depend on the word, or it would be an oracle for it.
        is_claim = claim.top[1] >= CLAIM_THRESHOLD
        if not is_claim:
            raise GameError("not_allowed", "only the drawer's AI guesses are relayed")
    else:
        # Another turn (a replay, or garbage): a confident top guess is treated as a claim, and rejected.
        is_claim = claim.top[1] >= CLAIM_THRESHOLD
        if not is_claim:
            raise GameError("wrong_phase", "no drawing of that turn now")
    if not is_claim:
        return {"verdict": "none", "reason": "not_a_claim"}
    ai = room.player(AI_ID)
    if turn is not None and claim.turn == current and pid == turn.drawer_id:
        if ai is None:
            return {"verdict": "none", "reason": "no_ai_player"}  # nothing could score: skip the model
        if ai.guessed_at is not None:
            return {"verdict": "none", "reason": "already_recognized"}
        wait = too_early(ctx.now(), claim_opens_at(room))
        if wait is not None:  # not a forgery and no model run: the client may claim again after `wait_s`
            return {"verdict": "none", "reason": TOO_EARLY, "wait_s": wait}
    verdict = await verify_claim(
        ctx, code, claim, sender=pid, turn=current, owner=turn.drawer_id if turn else None,
        log_key=current or "", word=turn.word if turn and turn.word else "", threshold=level.threshold,
    )
    if not verdict.accepted:
        outcome_name = UNAVAILABLE if verdict.reason == UNAVAILABLE else "rejected"
        return {"verdict": outcome_name, "reason": verdict.reason}
    try:
        outcome = await run(ctx, code, AiRecognized(claim.turn, claim.stroke_count, verdict.server_prob))
    except GameError as exc:  # the turn ended (or the AI scored) while the model ran
        return {"verdict": "verified", "reason": verdict.reason, "scored": False, "why": exc.code}
    guessed = next((e for e in iter_events(outcome.events, protocol.GUESSED)
                    if e.data["player_id"] == AI_ID), None)
    ctx.metrics.inc("ai_recognitions_total")
    return {"verdict": "verified", "reason": verdict.reason, "scored": guessed is not None,
            "points": guessed.data["points"] if guessed else 0}


async def verify_claim(
    ctx: ServerContext,
    code: str,
    claim: Claim,
    *,
    sender: str,
    turn: str | None,
    owner: str | None,
    log_key: str,
    word: str,
    threshold: float = CLAIM_THRESHOLD,
) -> Verdict:
    """Judge `claim` on the server's own copy of drawing log `log_key` (see the module docstring)."""
    air = ai_runtime(ctx)
    now = ctx.now()
    if not air.forgery.allow(sender, now):
        raise GameError("rate_limited", "too many rejected AI claims; wait a little")
    verifier = ctx.verifier
    if verifier is None:
        return Verdict(False, UNAVAILABLE)
    ops: list[Any] = []
    if turn is not None and claim.turn == turn and owner == sender and claim.stroke_count >= 1:
        ops = await _prefix(ctx, code, log_key, claim.stroke_count)
    verdict = check_context(claim, sender=sender, turn=turn, owner=owner, log_length=len(ops))
    if verdict is None:
        try:
            verdict = await verifier.verify(claim, ops, word, same_word=is_correct, threshold=threshold)
        except Exception:  # a closed or failing verifier must not fail the event loop's caller
            log.exception("verification failed", extra={"room": code, "player": sender})
            return Verdict(False, UNAVAILABLE)
    else:
        verifier.record(verdict)
    if air.forgery.note(sender, verdict, now):
        ctx.metrics.inc("ai_forgery_blocks_total")
        log.warning("AI claims refused for a while: repeated forgeries",
                    extra={"room": code, "player": sender, "reason": verdict.reason})
    air.checks += 1
    if air.checks % 256 == 0:
        air.forgery.prune(now)
    return verdict


async def _prefix(ctx: ServerContext, code: str, key: str, count: int) -> list[Any]:
    """The first `count` ops of a drawing log; waits briefly for batches that are being appended."""
    rt = runtime(ctx)
    give_up = time.monotonic() + CLAIM_WAIT_S
    while True:
        seen = rt.commits(code)
        ops = await ctx.store.get_strokes(code, key, 0, count)
        remaining = give_up - time.monotonic()
        if len(ops) >= count or count - len(ops) > CLAIM_WAIT_MAX_GAP or remaining <= 0:
            return ops
        await rt.wait_commit(code, seen, min(remaining, 0.25))
