"""Commands: what a member (or the clock) asks of a room. Plain frozen dataclasses.

`pid` is the acting member's id (the shell knows it from the connection). A new command is a dataclass here
plus a rule function registered in core/apply.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Join:
    pid: str
    name: str
    conn: str = ""
    spectate: bool = False
    kind: str = "human"
    node: str = ""  # the server process holding the connection (opaque to the rules)
    contributor: str = ""  # opt-in training data: the player's contributor id ("" = not sharing)
    avatar: str = ""  # "COLOR-FACE-SHAPE" (protocol-checked), "" = none: the client draws one from the id


@dataclass(frozen=True)
class Rejoin:
    pid: str
    conn: str = ""
    node: str = ""


@dataclass(frozen=True)
class Leave:
    pid: str


@dataclass(frozen=True)
class Disconnect:
    pid: str
    conn: str
    grace: float


@dataclass(frozen=True)
class NodeLost:
    """The server process `node` died: every member whose connection it held disconnects (with `grace`)."""

    node: str
    grace: float


@dataclass(frozen=True)
class UpdateSettings:
    pid: str
    changes: dict[str, Any] = field(default_factory=dict)  # checked by protocol.SettingsChanges


@dataclass(frozen=True)
class StartGame:
    pid: str


@dataclass(frozen=True)
class ChooseWord:
    pid: str
    index: int


@dataclass(frozen=True)
class Chat:
    pid: str
    text: str


@dataclass(frozen=True)
class DrawBatch:
    pid: str
    seq: int
    ops: tuple[dict[str, Any], ...]  # log entries (protocol Draw.log_ops: checked, canonical)


@dataclass(frozen=True)
class Kick:
    pid: str
    target: str


@dataclass(frozen=True)
class VoteKick:
    pid: str
    target: str


@dataclass(frozen=True)
class TransferHost:
    pid: str
    target: str


@dataclass(frozen=True)
class RaceRecognized:
    """Race mode: the server VERIFIED that the AI recognizes the prompt in `pid`'s drawing (the shell sends
    this only after game_server.verify judged the claim on its own copy of the strokes)."""

    pid: str
    turn: str  # the prompt's turn key the claim named
    stroke_count: int  # ops of the player's log the verified prediction saw
    prob: float | None = None  # the SERVER's probability for the prompt (its verification), for the record


@dataclass(frozen=True)
class AiGuess:
    """Classic mode: the drawer's browser's live top guesses for the turn's drawing (relayed, not scored)."""

    pid: str
    turn: str  # the turn key the guesses were computed for
    stroke_count: int  # ops of the turn's log the prediction saw
    guesses: tuple[tuple[str, float], ...]  # (label, probability), most probable first
    provider: str | None = None  # where the drawer's browser runs the model ("webgl"...); relayed as is
    status: str | None = None  # AI_STATUSES: the drawer's model is not ready (then `guesses` is empty)
    progress: float | None = None  # 0..1 of the model's loading, with status "loading"


@dataclass(frozen=True)
class AiRecognized:
    """Classic mode: the server VERIFIED that the AI recognizes the turn's word (the shell sends this only
    after game_server.verify judged the drawer's claim on its own copy of the strokes): the AI guesses."""

    turn: str  # the turn key the claim named
    stroke_count: int  # ops of the turn's log the verified prediction saw
    prob: float | None = None  # the SERVER's probability for the word (its verification), for the record


@dataclass(frozen=True)
class Like:
    """A guesser likes (True) or dislikes (False) the drawing of turn `turn` (core/likes.py)."""

    pid: str
    turn: str
    like: bool


@dataclass(frozen=True)
class SetConsent:
    """A player lets their drawings be kept as training data (`contributor` = their id) or stops ("")."""

    pid: str
    contributor: str


@dataclass(frozen=True)
class Tick:
    """The clock: do whatever is due at `now` (phase timeouts, hints, freeing seats after the grace)."""


Command = (
    Join | Rejoin | Leave | Disconnect | NodeLost | UpdateSettings | StartGame | ChooseWord | Chat | DrawBatch
    | Kick | VoteKick | TransferHost | RaceRecognized | AiGuess | AiRecognized | Like | SetConsent | Tick
)
