"""The pure policy for AI claims: parse a claim, check it against the turn, judge it, rate-limit forgers.

A drawer's browser classifies its own drawing and streams its top guesses (`ai_guess`). When those guesses
say the AI recognizes the secret word, that is a *claim* worth points, and a client can lie. What a claim
is (`Claim`, `claims_word`, CLAIM_THRESHOLD) and what each mode does with one (`plan`) are the core's
(game_server/core/claims.py); this module decides, without any I/O, whether the server believes it:

1. `claim_from` turns a decoded `ai_guess` payload (its shape checked by the protocol schema) into a
   Claim: known, distinct labels whose probabilities sum to at most 1 + PROB_SUM_EPS.
2. `check_context` rejects claims about another turn, another player's drawing, or a stroke count the
   server never received.
3. `judge` compares the claim with the server's own probabilities for the same prefix of the drawing log.
4. `ForgeryLimiter` (over the pure `note_rejection`/`is_blocked`) refuses a sender's claims for a cool-down
   after repeated forged claims.

Time is always an argument (`now`); nothing here reads a clock, a socket, the store or the model.
Must not import the shell, the store, onnxruntime or torch (the protocol schemas are pure).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from msgspec import UNSET

from game_server.core import GameError
from game_server.core.claims import (  # what a claim is and when it asserts the word: the core's
    CLAIM_THRESHOLD,
    NOT_A_CLAIM,
    Claim,
    claims_word,
)
from game_server.protocol.client import PROVIDERS as _PROVIDERS
from game_server.protocol.client import AiGuess, decode

# The server accepts a claim only if ITS top-1 is the word with p >= threshold - CLAIM_TOLERANCE (the
# threshold is core.claims.CLAIM_THRESHOLD or the room's AI level). Both sides rasterize with
# parity-tested code (agreement ~1e-6 per pixel) and run the same ONNX file; onnxruntime's CPU and WASM
# kernels differ by ~1e-5 in the softmax, WebGL (fp16 textures on some GPUs) by up to ~1e-2. A tolerance
# of 0.05 absorbs all of that with a margin while never letting a prediction the server sees as
# "probably something else" score: the server's top-1 must still be the word, and 0.45 is far above
# chance for the model's class count.
CLAIM_TOLERANCE = 0.05

# The payload's shape (limits, types, providers) is the protocol schema's (protocol/client.py: AiGuess).
PROVIDERS = frozenset(_PROVIDERS)
PROB_SUM_EPS = 1e-3  # softmax outputs sum to 1 up to float error; top-k lists sum to less

# Why a claim was rejected (Verdict.reason). Every value is a stable string used in metrics and acks.
ACCEPTED = "verified"
WRONG_TURN = "wrong_turn"
NOT_OWNER = "not_owner"
UNKNOWN_STROKE_COUNT = "unknown_stroke_count"
WORD_NOT_IN_VOCABULARY = "word_not_in_vocabulary"
EMPTY_DRAWING = "empty_drawing"
SERVER_DISAGREES = "server_disagrees"
BELOW_THRESHOLD = "below_threshold"

# Rejections that mean the sender asserted something false about data the server holds. A claim that is
# merely late (the turn moved on while it travelled) also lands here: one late claim never trips the limit.
FORGERY_REASONS = frozenset(
    {WRONG_TURN, NOT_OWNER, UNKNOWN_STROKE_COUNT, EMPTY_DRAWING, SERVER_DISAGREES, BELOW_THRESHOLD}
)


class ClaimInvalid(ValueError):
    """The payload is not a well-formed claim; `code` is the error code for the ack."""

    def __init__(self, message: str, code: str = "bad_claim") -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Verdict:
    """The server's decision on one claim; `server_*` are set once the model has run."""

    accepted: bool
    reason: str
    server_label: str | None = None
    server_prob: float | None = None

    @property
    def forged(self) -> bool:
        """True when this rejection counts towards the sender's forgery limit."""
        return not self.accepted and self.reason in FORGERY_REASONS


def parse_claim(payload: Any, labels: Sequence[str] | frozenset[str]) -> Claim:
    """Decode an `ai_guess` payload with its protocol schema, then apply the claim rules (`claim_from`).

    Raises ClaimInvalid with the schema's message (naming the field) or the rule that failed.
    """
    try:
        decoded = decode("ai_guess", payload)
    except GameError as exc:
        raise ClaimInvalid(exc.message) from None
    return claim_from(decoded, labels)


def claim_from(payload: AiGuess, labels: Sequence[str] | frozenset[str]) -> Claim:
    """The claim in a decoded `ai_guess` payload; raises ClaimInvalid on an unknown or duplicate label or
    probabilities summing to more than 1 + PROB_SUM_EPS (shapes and ranges are the schema's)."""
    known = labels if isinstance(labels, frozenset) else frozenset(labels)
    guesses: list[tuple[str, float]] = []
    seen: set[str] = set()
    total = 0.0
    for item in payload.guesses:
        if item.label not in known:
            raise ClaimInvalid(f"guesses: unknown label {item.label[:64]!r}")
        if item.label in seen:
            raise ClaimInvalid("guesses: duplicate label")
        seen.add(item.label)
        total += item.prob
        guesses.append((item.label, item.prob))
    if total > 1.0 + PROB_SUM_EPS:
        raise ClaimInvalid("guesses: probabilities sum to more than 1")
    provider = None if payload.provider is UNSET else payload.provider
    return Claim(turn=payload.turn, stroke_count=payload.stroke_count, guesses=tuple(guesses),
                 player=payload.player, provider=provider)


def _same(a: str, b: str) -> bool:
    return a == b


def check_context(
    claim: Claim, *, sender: str, turn: str | None, owner: str | None, log_length: int
) -> Verdict | None:
    """Reject a claim that does not fit what the server holds; None when it fits.

    `turn` is the current turn's key (None: no turn running), `owner` the player whose drawing the claim is
    about (classic: the turn's drawer; race: the sender's own drawing, so pass `claim.player or sender`
    resolved to a seat, None if that player has no drawing), `log_length` the number of ops the server
    holds for that drawing.
    """
    if turn is None or claim.turn != turn:
        return Verdict(False, WRONG_TURN)
    if owner is None or owner != sender or (claim.player is not None and claim.player != sender):
        return Verdict(False, NOT_OWNER)
    if not 1 <= claim.stroke_count <= log_length:
        return Verdict(False, UNKNOWN_STROKE_COUNT)
    return None


def judge(
    claim: Claim,
    server_probs: Sequence[float],
    labels: Sequence[str],
    word: str,
    *,
    server_ink: float | None = None,
    threshold: float = CLAIM_THRESHOLD,
    tolerance: float = CLAIM_TOLERANCE,
    same_word: Callable[[str, str], bool] = _same,
) -> Verdict:
    """Decide a claim from the server's own probabilities for the claimed prefix of the drawing.

    Accepted only if the claim asserts the word, the server's drawing has ink (`server_ink`, the sum of the
    rasterized image; None skips that check), the server's top-1 label is the word, and the server's
    probability for it is >= threshold - tolerance.
    """
    if len(server_probs) != len(labels):
        raise ValueError(f"{len(server_probs)} probabilities for {len(labels)} labels")
    if not any(same_word(label, word) for label in labels):
        return Verdict(False, WORD_NOT_IN_VOCABULARY)
    if not claims_word(claim, word, threshold, same_word):
        return Verdict(False, NOT_A_CLAIM)
    if server_ink is not None and server_ink <= 0.0:
        return Verdict(False, EMPTY_DRAWING)
    best = max(range(len(labels)), key=lambda i: (server_probs[i], -i))  # first of equals, like argmax
    label, prob = labels[best], float(server_probs[best])
    if not same_word(label, word):
        return Verdict(False, SERVER_DISAGREES, label, prob)
    if prob < threshold - tolerance:
        return Verdict(False, BELOW_THRESHOLD, label, prob)
    return Verdict(True, ACCEPTED, label, prob)


# --- forgery rate limit -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ForgeryPolicy:
    """After `max_rejections` forged claims within `window` seconds, refuse claims for `cooldown` seconds."""

    max_rejections: int = 3
    window: float = 60.0
    cooldown: float = 30.0


@dataclass(frozen=True)
class SenderRecord:
    """One sender's recent forged claims and the time its cool-down ends (0: none)."""

    rejections: tuple[float, ...] = ()
    blocked_until: float = 0.0


def is_blocked(record: SenderRecord, now: float) -> bool:
    """Whether the sender is cooling down at `now`."""
    return now < record.blocked_until


def note_rejection(record: SenderRecord, now: float, policy: ForgeryPolicy) -> SenderRecord:
    """The record after one more forged claim at `now`; trips the cool-down at `max_rejections`."""
    recent = (*(t for t in record.rejections if now - t < policy.window), now)
    if len(recent) >= policy.max_rejections:
        return SenderRecord(rejections=(), blocked_until=now + policy.cooldown)
    return SenderRecord(rejections=recent, blocked_until=record.blocked_until)


def is_stale(record: SenderRecord, now: float, policy: ForgeryPolicy) -> bool:
    """Whether the record no longer matters (no cool-down, no rejection inside the window)."""
    return not is_blocked(record, now) and all(now - t >= policy.window for t in record.rejections)


@dataclass
class ForgeryLimiter:
    """Per-sender records over the pure functions above (the shell keeps one per process)."""

    policy: ForgeryPolicy = field(default_factory=ForgeryPolicy)
    records: dict[str, SenderRecord] = field(default_factory=dict)
    prune_every: int = 256  # verdicts noted between prunes, so the table does not grow forever
    noted: int = 0

    def allow(self, sender: str, now: float) -> bool:
        """False while `sender` is cooling down."""
        record = self.records.get(sender)
        return record is None or not is_blocked(record, now)

    def note(self, sender: str, verdict: Verdict, now: float) -> bool:
        """Count a forged verdict; returns True if the sender is now blocked. Prunes now and then."""
        self.noted += 1
        if self.noted % self.prune_every == 0:
            self.prune(now)
        if not verdict.forged:
            return False
        record = note_rejection(self.records.get(sender, SenderRecord()), now, self.policy)
        self.records[sender] = record
        return is_blocked(record, now)

    def prune(self, now: float) -> None:
        """Forget senders whose records no longer matter, so the table does not grow forever."""
        for sender in [s for s, r in self.records.items() if is_stale(r, now, self.policy)]:
            del self.records[sender]
