"""One schema per server→client event: the payload's top-level fields as the core emits them.

The core builds these payloads as plain dicts (game_server/core/events.py); these Structs are their
declared shape, used for the generated JSON Schema mirror (web_client/src/protocol.gen.js) and checked
against docs/protocol.md and against real emitted events by tests. Nested parts that the room view owns
(the room view's players, turn, settings) are typed too, and closed: a field the docs do not list fails.
"""

from __future__ import annotations

from typing import Any, Literal

from msgspec import UNSET, Struct, UnsetType

from game_server.core.ai import AI_LEVELS

Phase = Literal["lobby", "choosing", "drawing", "turn_end", "game_end"]
Side = Literal["humans", "ai"]  # the Humans-vs-AI scoreline's sides (core/scoring.py)


class Rival(Struct, forbid_unknown_fields=True):
    """The scoreline: turns won this game by each side."""

    humans: int
    ai: int


class RivalResult(Struct, forbid_unknown_fields=True):
    humans: int
    ai: int
    winner: Literal["humans", "ai", "draw"]


class SettingsView(Struct, forbid_unknown_fields=True):
    rounds: int
    draw_time: int
    word_choices: int
    hints: int
    custom_words: list[str] | None  # only in the host's acks
    custom_word_count: int
    ai_player: bool
    ai_level: Literal[tuple(AI_LEVELS)]  # type: ignore[valid-type]
    custom_only: bool
    public: bool
    max_players: int
    mode: Literal["classic", "race"]


class PlayerView(Struct, forbid_unknown_fields=True):
    id: str
    name: str
    score: int
    connected: bool
    guessed: bool
    drawing: bool
    kind: Literal["human", "ai"]
    shares: bool  # lets their drawings train the AI (opt-in); the contributor id is never shown
    avatar: str | None  # "COLOR-FACE-SHAPE" as the player picked it; null: none (the client derives one)


class SpectatorView(Struct, forbid_unknown_fields=True):
    id: str
    name: str
    avatar: str | None


class SketchView(Struct, forbid_unknown_fields=True):
    place: int | None
    recognized_at: float | None


class TurnView(Struct, forbid_unknown_fields=True):
    key: str
    pattern: str
    word_length: list[int]
    word: str | None
    choices: list[str] | None
    started_at: float | None
    draw_time: int
    deltas: dict[str, int] | None
    drawer_away_until: float | None
    sketches: dict[str, SketchView] | None
    winner: Side | None


class RankingRow(Struct, forbid_unknown_fields=True):
    id: str
    name: str
    score: int
    rank: int


class AiRecord(Struct, forbid_unknown_fields=True):
    """The server-verified recognition of a gallery drawing."""

    at_s: float
    prob: float | None
    place: int | None


class HistoryEntry(Struct, forbid_unknown_fields=True):
    """One finished drawing of the game's gallery (core/history.py)."""

    key: str
    log: str
    round: int
    drawer_id: str
    drawer_name: str
    word: str
    ai: AiRecord | None
    drawer_avatar: str | None = None  # absent in records kept from before avatars


class State(Struct, forbid_unknown_fields=True):
    """The room view (also the `state` field of join acks)."""

    code: str
    rev: int
    now: float
    phase: Phase
    deadline: float | None
    host_id: str | None
    settings: SettingsView
    round: int
    players: list[PlayerView]
    spectators: list[SpectatorView]
    drawer_id: str | None
    turn: TurnView | None
    votes: dict[str, int]
    ranking: list[RankingRow] | None
    history: list[HistoryEntry] | None
    rival: Rival | None


class PlayerJoined(Struct):
    player_id: str
    name: str
    role: Literal["player", "spectator"]


class PlayerLeft(Struct):
    player_id: str
    name: str
    reason: Literal["left", "kicked", "votekick", "timeout"]


class ChatMessage(Struct):
    player_id: str
    name: str
    text: str
    channel: Literal["all", "knowers"]


class CloseGuess(Struct):
    text: str


class Guessed(Struct):
    player_id: str
    name: str
    points: int
    at_s: float
    prob: float | UnsetType = UNSET  # the AI player's: the server's probability at verification
    turn_won: Side | UnsetType = UNSET
    rival: Rival | UnsetType = UNSET


class Hint(Struct):
    pattern: str


class TurnStarted(Struct):
    drawer_id: str | None
    round: int
    pattern: str
    word_length: list[int]
    deadline: float
    mode: Literal["race"] | UnsetType = UNSET
    word: str | UnsetType = UNSET
    key: str | UnsetType = UNSET
    prompts: int | UnsetType = UNSET


class TurnEnded(Struct):
    word: str | None
    reason: Literal["time", "all_guessed", "drawer_left"]
    deltas: dict[str, int]
    results: list[dict[str, Any]] | UnsetType = UNSET
    winner: Side | UnsetType | None = UNSET
    rival: Rival | UnsetType = UNSET


class GameEnded(Struct):
    ranking: list[RankingRow]
    rival: RivalResult | UnsetType = UNSET


class VoteKickCast(Struct):
    target_id: str
    voter_id: str
    votes: int
    needed: int


class DrawRelay(Struct):
    seq: int
    index: int
    ops: list[dict[str, Any]]
    player_id: str | UnsetType = UNSET


class Kicked(Struct):
    reason: Literal["kicked", "votekick"]


class Replaced(Struct):
    pass


class AiGuessRelay(Struct):
    player_id: str
    turn: str
    stroke_count: int
    guesses: list[dict[str, Any]]
    provider: Literal["wasm", "webgl", "webgpu"] | UnsetType = UNSET
    status: Literal["loading", "unavailable"] | UnsetType = UNSET
    progress: float | UnsetType | None = UNSET


class RaceRecognized(Struct):
    player_id: str
    name: str
    place: int
    points: int
    time: float
    turn: str


class Liked(Struct):
    turn: str
    player_id: str
    name: str
    like: bool
    likes: int
    dislikes: int


SERVER_SCHEMAS: dict[str, type[Struct]] = {
    "state": State,
    "player_joined": PlayerJoined,
    "player_left": PlayerLeft,
    "chat": ChatMessage,
    "close_guess": CloseGuess,
    "guessed": Guessed,
    "hint": Hint,
    "turn_started": TurnStarted,
    "turn_ended": TurnEnded,
    "game_ended": GameEnded,
    "vote_kick": VoteKickCast,
    "draw": DrawRelay,
    "kicked": Kicked,
    "replaced": Replaced,
    "ai_guess": AiGuessRelay,
    "race_recognized": RaceRecognized,
    "liked": Liked,
}
