"""Room state as plain frozen dataclasses, and their JSON-able dict form for the store."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

LOBBY, CHOOSING, DRAWING, TURN_END, GAME_END = "lobby", "choosing", "drawing", "turn_end", "game_end"
IN_GAME = (CHOOSING, DRAWING, TURN_END)

CHOOSE_TIME = 15.0  # seconds the drawer has to pick a word
TURN_END_TIME = 5.0  # seconds the revealed word and points stay on screen
GAME_END_TIME = 10.0  # seconds the ranking stays before the room returns to the lobby
DRAWER_GRACE = 10.0  # seconds a disconnected drawer has to rejoin before the turn ends ("drawer_left")
HOST_GRACE = 5.0  # seconds a disconnected host keeps the role (a reload takes well under a second)
MAX_SPECTATORS = 20
HUMAN, AI = "human", "ai"  # Player.kind
CLASSIC, RACE = "classic", "race"  # Settings.mode (race rules: core/race.py)


@dataclass(frozen=True)
class Settings:
    rounds: int = 3
    draw_time: int = 80
    word_choices: int = 3
    hints: int = 2
    custom_words: tuple[str, ...] = ()
    custom_only: bool = False
    public: bool = False
    max_players: int = 8
    mode: str = "classic"  # "classic" | "race" (core/race.py): each mode plugs its rules in by this name
    ai_player: bool = True  # classic: the AI pseudo-player guesses from the drawer's verified claims
    ai_level: str = "normal"  # "easy" | "normal" | "hard": how sure, how soon the AI may claim (core/ai.py)


@dataclass(frozen=True)
class Player:
    id: str
    name: str
    score: int = 0
    connected: bool = True
    conn: str = ""  # opaque id of the connection holding the seat (a disconnect of an older one is ignored)
    away_until: float | None = None  # seat is freed at this time unless the player rejoins
    node: str = ""  # opaque id of the server process holding the connection (see NodeLost)
    guessed_at: float | None = None  # when the player guessed this turn's word
    kind: str = "human"  # "human" | "ai" (the AI pseudo-player)
    # Opt-in training data (core/capture.py): the player's opaque contributor id while they let their
    # drawings be kept, "" while they do not (the default). Never shown to others (it is the deletion key).
    contributor: str = ""
    avatar: str = ""  # the player's generated avatar "COLOR-FACE-SHAPE" (checked by the protocol), "" = none


@dataclass(frozen=True)
class Spectator:
    id: str
    name: str
    connected: bool = True
    conn: str = ""
    away_until: float | None = None
    node: str = ""
    avatar: str = ""  # as Player.avatar


@dataclass(frozen=True)
class Sketch:
    """One player's recognition in a race prompt (their drawing log and its bookkeeping live in the store)."""

    recognized_at: float | None = None  # when the server verified the AI's recognition of the prompt
    place: int | None = None  # 1 = the first verified recognition of this prompt
    prob: float | None = None  # the server's probability for the prompt at that verification


@dataclass(frozen=True)
class Turn:
    key: str  # names the turn's drawing log in the store
    drawer_id: str
    choices: tuple[str, ...] = ()
    word: str | None = None
    started_at: float | None = None
    draw_time: int = 80
    hint_times: tuple[float, ...] = ()  # upcoming hint deadlines
    revealed: tuple[int, ...] = ()  # letter indices revealed by hints
    deltas: dict[str, int] = field(default_factory=dict)  # points gained this turn
    drawer_away_until: float | None = None  # the drawer disconnected: the turn ends then unless they rejoin
    # The drawing log and its bookkeeping (next seq, counts, open stroke) live in the store, beside the
    # ops (store.base S13): a plain batch never rewrites the room.
    sketches: dict[str, Sketch] = field(default_factory=dict)  # race mode: player id -> their drawing
    ai_at: float | None = None  # classic: when the server verified the AI's recognition of the word
    ai_prob: float | None = None  # ... and the server's probability for the word then
    likes: dict[str, int] = field(default_factory=dict)  # guesser id -> +1 like / -1 dislike (core/likes.py)
    winner: str | None = None  # classic: the side that named the word first, "humans" or "ai" (scoring.py)


@dataclass(frozen=True)
class Room:
    code: str
    rev: int = 0
    phase: str = LOBBY
    host_id: str | None = None
    settings: Settings = field(default_factory=Settings)
    players: tuple[Player, ...] = ()
    spectators: tuple[Spectator, ...] = ()
    game: int = 0  # games started in this room (keys turn logs apart across rematches)
    round: int = 0
    turn_no: int = 0
    drawn: tuple[str, ...] = ()  # players who drew (or were skipped) this round
    used_words: tuple[str, ...] = ()
    turn: Turn | None = None
    deadline: float | None = None  # end of the current phase
    votes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # target -> voters
    ranking: tuple[dict[str, Any], ...] | None = None
    # This game's finished drawings for the gallery (see core/history.py): small records, no strokes.
    history: tuple[dict[str, Any], ...] = ()
    host_away_until: float | None = None  # the host disconnected: the role passes then unless they are back
    rival: dict[str, int] = field(default_factory=dict)  # classic with the AI: turns won this game per side

    # -- lookups -------------------------------------------------------------------------------
    def player(self, pid: str) -> Player | None:
        return next((p for p in self.players if p.id == pid), None)

    def spectator(self, sid: str) -> Spectator | None:
        return next((s for s in self.spectators if s.id == sid), None)

    def has_member(self, mid: str) -> bool:
        return self.player(mid) is not None or self.spectator(mid) is not None

    @property
    def drawer_id(self) -> str | None:
        # A race prompt has no drawer (drawer_id ""): everyone draws.
        return self.turn.drawer_id if self.turn and self.phase in IN_GAME and self.turn.drawer_id else None

    def knowers(self) -> frozenset[str]:
        """Players who may see the word now: the drawer and those who guessed it (everyone at turn end)."""
        if self.turn is None or self.phase not in (CHOOSING, DRAWING) or self.settings.mode == RACE:
            return frozenset(p.id for p in self.players)  # a race prompt is no secret
        drawer = self.turn.drawer_id
        return frozenset(p.id for p in self.players if p.id == drawer or p.guessed_at is not None)

    def with_player(self, player: Player) -> Room:
        return replace(self, players=tuple(player if p.id == player.id else p for p in self.players))

    def with_spectator(self, spec: Spectator) -> Room:
        return replace(self, spectators=tuple(spec if s.id == spec.id else s for s in self.spectators))


def placings(turn: Turn) -> list[dict[str, Any]]:
    """Race mode: the prompt's verified recognitions in finishing order (seconds after the prompt began)."""
    done = sorted(((pid, sk) for pid, sk in turn.sketches.items() if sk.place is not None),
                  key=lambda item: item[1].place or 0)
    start = turn.started_at or 0.0
    return [{"player_id": pid, "place": sk.place, "time": round((sk.recognized_at or start) - start, 2),
             "points": turn.deltas.get(pid, 0)} for pid, sk in done]


# -- dict form for the store ---------------------------------------------------------------------
def room_to_dict(room: Room) -> dict[str, Any]:
    data = asdict(room)
    data["ranking"] = list(room.ranking) if room.ranking is not None else None
    data["history"] = list(room.history)
    return data


def room_from_dict(data: dict[str, Any]) -> Room:
    turn = data.get("turn")
    return Room(
        code=data["code"],
        rev=data["rev"],
        phase=data["phase"],
        host_id=data["host_id"],
        settings=Settings(**{**data["settings"], "custom_words": tuple(data["settings"]["custom_words"])}),
        players=tuple(Player(**p) for p in data["players"]),
        spectators=tuple(Spectator(**s) for s in data["spectators"]),
        game=data["game"],
        round=data["round"],
        turn_no=data["turn_no"],
        drawn=tuple(data["drawn"]),
        used_words=tuple(data["used_words"]),
        turn=None
        if turn is None
        else Turn(
            **{
                **turn,
                "choices": tuple(turn["choices"]),
                "hint_times": tuple(turn["hint_times"]),
                "revealed": tuple(turn["revealed"]),
                "deltas": dict(turn["deltas"]),
                "sketches": {k: Sketch(**v) for k, v in turn.get("sketches", {}).items()},
            }
        ),
        deadline=data["deadline"],
        votes={k: tuple(v) for k, v in data["votes"].items()},
        ranking=tuple(data["ranking"]) if data["ranking"] is not None else None,
        history=tuple(data.get("history", ())),
        host_away_until=data.get("host_away_until"),
        rival=dict(data.get("rival") or {}),
    )
