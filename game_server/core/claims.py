"""What an AI claim is and what the rules do with one, in both modes (pure; the shell is handlers/claim.py).

A drawer's browser streams its model's top guesses for its own drawing (`ai_guess`). `plan(room, sender,
claim, now)` decides, before any model runs, what those guesses are: a live view to relay, an answer that
needs no verification (not a claim, too early, already recognized), or a claim to verify on the server's
own copy of the drawing (`Verify`: which log, which word, at which threshold). After the server's model
accepted the claim, `ClaimMode.command` is the core command that scores it and `ClaimMode.result` turns
that command's events into the ack.

The modes differ only in the data of their `ClaimMode` (MODES):
- classic: the turn's drawer owns the drawing; the claim must reach the room's AI level threshold
  (ai.AI_LEVELS) and wait the level's delay; the guesses (claims included) are relayed at once with the
  word masked for guessers (ai.guess_events); the AI pseudo-player scores (`AiRecognized`).
- race: every player owns their own drawing of the public prompt; the threshold is CLAIM_THRESHOLD; a
  claim is relayed only once verified; the sender scores by finishing order (`RaceRecognized`).
Shared rules: a claim naming the turn that just ended is late (`wrong_phase`, not a forgery); an unsure
top guess naming no running turn is refused (`wrong_phase`); a confident one is a replay and is verified
(the verifier rejects it as `wrong_turn`, a forgery); a player who does not own the drawing gets an answer
that does not depend on the word (else it would be an oracle for it).

Pure like the rest of the core: time is an argument, nothing here reads a clock or touches I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from game_server.core import ai, race
from game_server.core.commands import AiGuess, AiRecognized, Command, RaceRecognized
from game_server.core.errors import GameError
from game_server.core.events import Event
from game_server.core.state import CLASSIC, DRAWING, RACE, Room
from game_server.core.text import is_correct

# A claim scores only if the client says top-1 == word with p >= the threshold (CLAIM_THRESHOLD, or the
# room's AI level in classic mode), and the server's own top-1 must agree (game_server.claims.judge).
CLAIM_THRESHOLD = 0.5
NOT_A_CLAIM = "not_a_claim"  # the guesses do not assert the word: live view only, nothing to verify
TOO_EARLY = "too_early"  # the room's AI level does not let the AI claim yet (never a forgery)
ALREADY = "already_recognized"
NO_AI_PLAYER = "no_ai_player"


@dataclass(frozen=True)
class Claim:
    """A validated `ai_guess` payload: the client's top guesses for a prefix of a drawing log."""

    turn: str  # the turn's key (state.turn.key), unique within a room across games
    stroke_count: int  # ops of the drawing log the prediction saw (a prefix length)
    guesses: tuple[tuple[str, float], ...]  # (label, probability), as sent
    player: str | None = None  # whose drawing (race mode); None: the sender's own
    provider: str | None = None  # the sender's execution provider (protocol PROVIDERS); None: not said

    @property
    def top(self) -> tuple[str, float]:
        """The guess with the highest probability (the first of equals)."""
        best = self.guesses[0]
        for guess in self.guesses[1:]:
            if guess[1] > best[1]:
                best = guess
        return best


def _same(a: str, b: str) -> bool:
    return a == b


def claims_word(
    claim: Claim, word: str, threshold: float = CLAIM_THRESHOLD, same_word: Callable[[str, str], bool] = _same
) -> bool:
    """Whether the claim asserts that the AI recognizes `word` (its top-1 is the word with p >= threshold)."""
    label, prob = claim.top
    return prob >= threshold and same_word(label, word)


def too_early(now: float, opens_at: float | None) -> float | None:
    """Seconds until a claim may score under the room's AI level (ai.claim_opens_at); None: now."""
    if opens_at is None or now >= opens_at:
        return None
    return round(opens_at - now, 2)


@dataclass(frozen=True)
class Verify:
    """Judge the claim on the server's copy of drawing log `log_key` (see game_server.claims.check_context).

    `turn`: the running turn's key (None: none runs); `owner`: whose drawing the claim is about (None: the
    sender owns none); `word`: what the drawing should show; `threshold`: the server's top-1 must reach it.
    """

    turn: str | None
    owner: str | None
    log_key: str
    word: str
    threshold: float


@dataclass(frozen=True)
class Plan:
    """What to do with one `ai_guess`: emit `relay` now, then answer `ack`, or verify (`verify` is set)."""

    relay: list[Event] = field(default_factory=list)
    ack: dict[str, Any] | None = None
    verify: Verify | None = None


Result = tuple[dict[str, Any], list[Event]]  # a scored claim's ack fields, and events to emit after it


def _none(reason: str, **more: Any) -> dict[str, Any]:
    return {"verdict": "none", "reason": reason, **more}


# --- the modes' data -----------------------------------------------------------------------------------


def _classic_owner(room: Room, sender: str) -> str | None:
    return room.drawer_id


def _classic_threshold(room: Room) -> float:
    return ai.ai_level(room).threshold  # the host's difficulty, whatever the client thinks


def _classic_pending(room: Room, sender: str, now: float) -> dict[str, Any] | None:
    player = room.player(ai.AI_ID)
    if player is None:
        return _none(NO_AI_PLAYER)  # nothing could score: skip the model
    if player.guessed_at is not None:
        return _none(ALREADY)
    wait = too_early(now, ai.claim_opens_at(room))
    if wait is not None:  # not a forgery and no model run: the client may claim again after `wait_s`
        return _none(TOO_EARLY, wait_s=wait)
    return None


def _classic_relay(room: Room, sender: str, claim: Claim) -> list[Event]:
    cmd = AiGuess(sender, claim.turn, claim.stroke_count, claim.guesses, claim.provider)
    return ai.guess_events(room, cmd)


def _classic_command(sender: str, claim: Claim, prob: float | None) -> Command:
    return AiRecognized(claim.turn, claim.stroke_count, prob)


def _classic_result(room: Room, events: list[Event], sender: str, claim: Claim) -> Result:
    guessed = next((e for e in events if e.name == "guessed" and e.data["player_id"] == ai.AI_ID), None)
    return {"scored": guessed is not None, "points": guessed.data["points"] if guessed else 0}, []


def _race_owner(room: Room, sender: str) -> str | None:
    return sender if room.player(sender) is not None else None  # an empty log fails verification next


def _race_threshold(room: Room) -> float:
    return CLAIM_THRESHOLD


def _race_pending(room: Room, sender: str, now: float) -> dict[str, Any] | None:
    assert room.turn is not None
    sketch = room.turn.sketches.get(sender)
    if sketch is not None and sketch.recognized_at is not None:
        return _none(ALREADY, place=sketch.place)
    return None


def _race_relay(room: Room, sender: str, claim: Claim) -> list[Event]:
    return race.guess_relay(room, sender, claim.turn, claim.stroke_count, claim.guesses, claim.provider)


def _race_command(sender: str, claim: Claim, prob: float | None) -> Command:
    return RaceRecognized(sender, claim.turn, claim.stroke_count, prob)


def _race_result(room: Room, events: list[Event], sender: str, claim: Claim) -> Result:
    mine = next(e for e in events if e.name == "race_recognized" and e.data["player_id"] == sender)
    try:  # the verified guesses for the thumbnails, unless the prompt just ended with this recognition
        relay = _race_relay(room, sender, claim)
    except GameError:
        relay = []
    data = mine.data
    return {"scored": True, "place": data["place"], "points": data["points"], "time": data["time"]}, relay


@dataclass(frozen=True)
class ClaimMode:
    """What differs between the modes; `plan` and the shell's claim path are shared."""

    late: str  # wrong_phase message: the claim names the turn that just ended
    no_turn: str  # wrong_phase message: an unsure top guess names no running turn
    relays_claims: bool  # relay a claim on the word before it is verified (classic: masked for guessers)
    owner: Callable[[Room, str], str | None]  # whose drawing the running turn's claims are about
    threshold: Callable[[Room], float]
    pending: Callable[[Room, str, float], dict[str, Any] | None]  # the ack when the claim cannot score now
    relay: Callable[[Room, str, Claim], list[Event]]  # the live view; raises for a sender who may not relay
    command: Callable[[str, Claim, float | None], Command]  # scores a verified claim (server's probability)
    result: Callable[[Room, list[Event], str, Claim], Result]  # from the scoring command's events


MODES: dict[str, ClaimMode] = {
    CLASSIC: ClaimMode(
        late="no drawing of that turn now", no_turn="no drawing of that turn now", relays_claims=True,
        owner=_classic_owner, threshold=_classic_threshold, pending=_classic_pending, relay=_classic_relay,
        command=_classic_command, result=_classic_result,
    ),
    RACE: ClaimMode(
        late="that prompt is over", no_turn="no prompt of that key now", relays_claims=False,
        owner=_race_owner, threshold=_race_threshold, pending=_race_pending, relay=_race_relay,
        command=_race_command, result=_race_result,
    ),
}


def mode_of(room: Room) -> ClaimMode:
    return MODES.get(room.settings.mode, MODES[CLASSIC])


def plan(room: Room, sender: str, claim: Claim, now: float) -> Plan:
    """Decide what one `ai_guess` of `sender` is (see the module docstring); raises GameError to refuse."""
    mode = mode_of(room)
    turn = room.turn if room.phase == DRAWING and room.turn is not None and room.turn.word else None
    confident = claim.top[1] >= CLAIM_THRESHOLD
    if turn is None or claim.turn != turn.key:
        if room.turn is not None and claim.turn == room.turn.key:
            raise GameError("wrong_phase", mode.late)  # merely late (or early): not a forgery
        if not confident:
            raise GameError("wrong_phase", mode.no_turn)
        # A confident guess about another turn (a replay, or garbage): verified, and rejected as wrong_turn.
        return Plan(verify=Verify(turn.key if turn else None, None, "", "", CLAIM_THRESHOLD))
    assert turn.word is not None
    owner = mode.owner(room, sender)
    threshold = mode.threshold(room)
    mine = owner == sender
    # Not the owner: the answer must not depend on the word, or it would be an oracle for it.
    is_claim = claims_word(claim, turn.word, threshold, is_correct) if mine else confident
    if not is_claim:  # a live view (the mode's relay refuses a sender who has no drawing to show)
        return Plan(relay=mode.relay(room, sender, claim), ack=_none(NOT_A_CLAIM))
    relay = mode.relay(room, sender, claim) if mine and mode.relays_claims else []
    ack = mode.pending(room, sender, now) if mine else None
    if ack is not None:
        return Plan(relay=relay, ack=ack)
    key = race.log_key(room, owner) if owner is not None else ""
    return Plan(relay=relay, verify=Verify(turn.key, owner, key, turn.word, threshold))
