"""One msgspec schema per client→server event, and `decode(event, data)`: the only payload validation.

Handlers receive the decoded Struct (never the wire dict); a payload that does not fit raises
GameError("bad_request") whose message names the field (`$.ops[3].points[0][1]`). Unknown fields are
ignored (docs/protocol.md), except in `settings`, where an unknown key is refused. Every free-text field
refuses lone surrogates (text that cannot be encoded as UTF-8) here, at the edge.

Rules that are rules, not shapes, stay in the core (names trimmed, control characters → `invalid_text`,
stroke ids growing, the turn's budget, custom_only needs enough words) and in claims.py (known labels,
probabilities summing to at most 1).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from game_server.core import GameError
from game_server.core.ai import AI_LEVELS
from game_server.core.text import CHAT_MAX, NAME_MAX, WORD_MAX

CANVAS_WIDTH = 800
CANVAS_HEIGHT = 600
MAX_OPS_PER_BATCH = 64
MAX_POINTS_PER_BATCH = 500
MIN_WIDTH, MAX_WIDTH = 1, 60
MAX_STROKE_ID = 2**31 - 1
MAX_SEQ = 10**9
MAX_CUSTOM_WORDS = 200
MAX_WORD_CHOICES = 5
RAW_TEXT_FACTOR = 4  # raw text may be this many times its limit before trimming (runs of spaces collapse)
SETTING_RANGES: dict[str, tuple[int, int]] = {
    "rounds": (1, 10),
    "draw_time": (15, 240),
    "word_choices": (1, MAX_WORD_CHOICES),
    "hints": (0, 5),
    "max_players": (2, 12),
}
MODES = ("classic", "race")
AI_LEVEL_NAMES = tuple(AI_LEVELS)  # settings.ai_level (the levels' rules: core/ai.py)
MAX_GUESSES = 10  # guesses an ai_guess may list (the UI shows the top few)
MAX_STROKE_COUNT = 100_000  # far above any real turn log; bounds the integer before any lookup
MAX_LABEL_LEN = 64
MAX_ID_LEN = 64  # turn keys ("g1-r2-t3") and player ids
# Where the sender's browser runs the model (onnxruntime-web execution providers); relayed for display only.
PROVIDERS = ("wasm", "webgl", "webgpu")

# A player's generated avatar (docs/protocol.md): "COLOR-FACE-SHAPE", each an index into the client's lists.
AVATAR_COLORS, AVATAR_FACES, AVATAR_SHAPES = 12, 8, 3
AVATAR = (f"^(?:{'|'.join(map(str, range(AVATAR_COLORS)))})-(?:{'|'.join(map(str, range(AVATAR_FACES)))})"
          f"-(?:{'|'.join(map(str, range(AVATAR_SHAPES)))})$(?!\\n)")

UTF8 = r"^[^\ud800-\udfff]*$"  # no lone surrogates: the text encodes as UTF-8
# ... and no control characters (turn keys); `(?!\n)`: Python's `$` would also match before a final "\n"
PRINTABLE = r"^[^\x00-\x1f\x7f-\x9f\ud800-\udfff]*$(?!\n)"
_AT = re.compile(r" - at `\$\.?(.*)`$")


def _text(max_len: int, min_len: int = 0) -> Any:
    return Annotated[str, Meta(min_length=min_len, max_length=max_len, pattern=UTF8)]


def _int(lo: int, hi: int) -> Any:
    return Annotated[int, Meta(ge=lo, le=hi)]


def _number(lo: float, hi: float) -> Any:
    """An int or a float in lo..hi (NaN and infinities fail the bounds); an int stays an int in the log."""
    return Annotated[int, Meta(ge=lo, le=hi)] | Annotated[float, Meta(ge=lo, le=hi)]


Name = _text(NAME_MAX * RAW_TEXT_FACTOR)
Id = _text(MAX_ID_LEN, 1)
X = _number(0, CANVAS_WIDTH)
Y = _number(0, CANVAS_HEIGHT)
Points = Annotated[list[tuple[X, Y]], Meta(min_length=1, max_length=MAX_POINTS_PER_BATCH)]
StrokeId = _int(0, MAX_STROKE_ID)
Provider = Literal[PROVIDERS]  # type: ignore[valid-type]
Avatar = Annotated[str, Meta(max_length=8, pattern=AVATAR)]


class Payload(Struct, forbid_unknown_fields=False):
    """Base of every client event's payload."""


# --- drawing ops (docs/rasterizer.md) -----------------------------------------------------------------


class Stroke(Struct, tag="stroke", tag_field="type"):
    id: StrokeId
    tool: Literal["pen", "eraser"]
    color: Annotated[str, Meta(pattern="^#[0-9a-fA-F]{6}$")]
    width: _number(MIN_WIDTH, MAX_WIDTH)
    points: Points

    def __post_init__(self) -> None:
        self.color = self.color.lower()  # one spelling in the log


class MorePoints(Struct, tag="points", tag_field="type"):
    id: StrokeId
    points: Points


class Undo(Struct, tag="undo", tag_field="type"):
    pass


class Clear(Struct, tag="clear", tag_field="type"):
    pass


Op = Stroke | MorePoints | Undo | Clear


# --- events ----------------------------------------------------------------------------------------------


class SettingsChanges(Struct, forbid_unknown_fields=True):
    """A partial settings update; an unknown key is refused."""

    rounds: _int(*SETTING_RANGES["rounds"]) | UnsetType = UNSET
    draw_time: _int(*SETTING_RANGES["draw_time"]) | UnsetType = UNSET
    word_choices: _int(*SETTING_RANGES["word_choices"]) | UnsetType = UNSET
    hints: _int(*SETTING_RANGES["hints"]) | UnsetType = UNSET
    max_players: _int(*SETTING_RANGES["max_players"]) | UnsetType = UNSET
    custom_words: (Annotated[list[_text(WORD_MAX * RAW_TEXT_FACTOR)], Meta(max_length=MAX_CUSTOM_WORDS)]
                   | UnsetType) = UNSET
    custom_only: bool | UnsetType = UNSET
    public: bool | UnsetType = UNSET
    ai_player: bool | UnsetType = UNSET
    mode: Literal[MODES] | UnsetType = UNSET  # type: ignore[valid-type]
    ai_level: Literal[AI_LEVEL_NAMES] | UnsetType = UNSET  # type: ignore[valid-type]

    def changes(self) -> dict[str, Any]:
        """The keys that were sent, with their (checked) values: what core.settings applies."""
        out = {k: getattr(self, k) for k in self.__struct_fields__ if getattr(self, k) is not UNSET}
        if "custom_words" in out:
            out["custom_words"] = tuple(out["custom_words"])
        return out


# Opt-in training data (game_server/core/capture.py): an id the server gave out ("c" + 24 hex digits).
Contributor = Annotated[str, Meta(pattern="^c[0-9a-f]{24}$")]


class Consent(Payload, kw_only=True):
    """Fields of every seat-taking event: let my drawings help train the AI (off by default).

    `contributor`: the id a previous ack gave this browser, so one person keeps one id (one deletion
    request covers all their drawings); without it the server makes a new one.
    """

    consent: bool = False
    contributor: Contributor | None = None


class CreateRoom(Consent):
    name: Name
    avatar: Avatar | None = None
    settings: SettingsChanges = msgspec.field(default_factory=SettingsChanges)


class JoinRoom(Consent):
    code: _text(32, 1)
    name: Name
    spectate: bool = False
    avatar: Avatar | None = None


class QuickPlay(Consent):
    name: Name
    avatar: Avatar | None = None


class Rejoin(Payload):
    token: _text(64, 1)


class Empty(Payload):
    """`leave_room`, `start_game`, `list_rooms`: `{}`."""


class UpdateSettings(Payload):
    settings: SettingsChanges


class ChooseWord(Payload):
    index: _int(0, MAX_WORD_CHOICES - 1)


class Chat(Payload):
    text: _text(CHAT_MAX * RAW_TEXT_FACTOR)


class Draw(Payload):
    seq: _int(0, MAX_SEQ)
    ops: Annotated[list[Op], Meta(min_length=1, max_length=MAX_OPS_PER_BATCH)]
    turn: Id | None = None

    def __post_init__(self) -> None:
        total = 0
        for op in self.ops:
            if type(op) is Stroke or type(op) is MorePoints:
                total += len(op.points)
        if total > MAX_POINTS_PER_BATCH:
            raise ValueError(f"ops: a batch holds at most {MAX_POINTS_PER_BATCH} points")

    def log_ops(self) -> list[dict[str, Any]]:
        """The ops as drawing-log entries (canonical dicts: unknown keys dropped, colours lower-case)."""
        return msgspec.to_builtins(self.ops)  # type: ignore[no-any-return]


class Target(Payload):
    """`kick`, `vote_kick`, `transfer_host`."""

    player_id: Id


class Guess(Struct, forbid_unknown_fields=False):
    label: _text(MAX_LABEL_LEN)
    prob: Annotated[float, Meta(ge=0.0, le=1.0)]


class AiGuess(Payload):
    """Live guesses (and claims) of the drawer's AI; or, with `status` and no guesses, word that the
    drawer's model is not ready yet ("loading", with download `progress` 0..1) or failed ("unavailable")."""

    turn: Annotated[str, Meta(min_length=1, max_length=MAX_ID_LEN, pattern=PRINTABLE)]
    stroke_count: _int(0, MAX_STROKE_COUNT)
    guesses: Annotated[list[Guess], Meta(max_length=MAX_GUESSES)]
    player: Id | None = None
    provider: Provider | UnsetType = UNSET
    status: Literal["loading", "unavailable"] | UnsetType = UNSET
    progress: Annotated[float, Meta(ge=0.0, le=1.0)] | UnsetType = UNSET

    def __post_init__(self) -> None:
        if self.status is UNSET and not self.guesses:
            raise ValueError("guesses: at least 1 guess (or a status)")
        if self.status is not UNSET and self.guesses:
            raise ValueError("guesses: a status carries no guesses")


class GetState(Payload):
    gallery: bool = False  # also the last game's drawing logs (between games only)


class Like(Payload):
    turn: Id
    like: bool  # true: like, false: dislike


class SetConsent(Consent):
    """`set_consent`: change the choice later (revocable at any time; spectators cannot share)."""

    consent: bool


CLIENT_SCHEMAS: dict[str, type[Payload]] = {
    "create_room": CreateRoom,
    "join_room": JoinRoom,
    "quick_play": QuickPlay,
    "rejoin": Rejoin,
    "leave_room": Empty,
    "update_settings": UpdateSettings,
    "start_game": Empty,
    "choose_word": ChooseWord,
    "chat": Chat,
    "draw": Draw,
    "kick": Target,
    "vote_kick": Target,
    "transfer_host": Target,
    "get_state": GetState,
    "ai_guess": AiGuess,
    "like": Like,
    "set_consent": SetConsent,
    "list_rooms": Empty,
}


def decode(event: str, data: Any) -> Any:
    """The typed payload of client event `event`; GameError("bad_request") naming the field otherwise."""
    try:
        return msgspec.convert(data, CLIENT_SCHEMAS[event])
    except msgspec.ValidationError as exc:
        raise GameError("bad_request", _message(str(exc))) from None
    except UnicodeEncodeError:  # msgspec encodes keys and enum/tag values to UTF-8 to look them up
        raise GameError("bad_request", "the payload holds text that is not valid UTF-8 (a lone surrogate "
                                       "in a key or a choice)") from None


def _message(text: str) -> str:
    at = _AT.search(text)
    if at and f"regex {UTF8!r}" in text:
        return f"{at.group(1)} is not valid UTF-8 text (it holds a lone surrogate)"
    if at and f"regex {AVATAR!r}" in text:
        return (f"{at.group(1)} must be an avatar \"COLOR-FACE-SHAPE\" (0-{AVATAR_COLORS - 1}, "
                f"0-{AVATAR_FACES - 1}, 0-{AVATAR_SHAPES - 1})")
    if at and f"regex {PRINTABLE!r}" in text:
        return f"{at.group(1)} must be printable UTF-8 text"
    text = text.replace("`$.", "`").replace("`$`", "the payload")
    return text.encode("utf-8", "backslashreplace").decode("utf-8")  # a key may hold a lone surrogate
