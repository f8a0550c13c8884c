"""The wire contract in Python: protocol version, event names, error codes, limits, and one schema per
event. Modules: `client.py` (what clients send, decoded with msgspec: `decode(event, data)`),
`server.py` (what the server emits), `packets.py` (how Socket.IO packets are read at the edge),
`mirror.py` + `__main__.py` (the generated JavaScript mirror).

docs/protocol.md describes it for people; `python -m game_server.protocol --write` generates its JSON
Schema mirror for the web client (web_client/src/protocol.gen.js); tests keep the three in agreement.
This package and client.py import only pure modules (msgspec, game_server.core's errors and text limits);
it knows nothing of handlers or stores.
"""

from __future__ import annotations

from game_server.protocol.client import (
    CANVAS_HEIGHT,
    CANVAS_WIDTH,
    CLIENT_SCHEMAS,
    MAX_OPS_PER_BATCH,
    MAX_POINTS_PER_BATCH,
    AiGuess,
    Chat,
    ChooseWord,
    CreateRoom,
    Draw,
    Empty,
    GetState,
    JoinRoom,
    Like,
    QuickPlay,
    Rejoin,
    SetConsent,
    Target,
    UpdateSettings,
    decode,
)

__all__ = [
    "CANVAS_HEIGHT",
    "CANVAS_WIDTH",
    "CLIENT_SCHEMAS",
    "MAX_OPS_PER_BATCH",
    "MAX_POINTS_PER_BATCH",
    "AiGuess",
    "Chat",
    "ChooseWord",
    "CreateRoom",
    "Draw",
    "Empty",
    "GetState",
    "JoinRoom",
    "Like",
    "QuickPlay",
    "Rejoin",
    "SetConsent",
    "Target",
    "UpdateSettings",
    "decode",
]

PROTOCOL_VERSION = 1

# Client -> server (every one is sent with an acknowledgement).
CREATE_ROOM = "create_room"
JOIN_ROOM = "join_room"
QUICK_PLAY = "quick_play"
REJOIN = "rejoin"
LEAVE_ROOM = "leave_room"
UPDATE_SETTINGS = "update_settings"
START_GAME = "start_game"
CHOOSE_WORD = "choose_word"
CHAT = "chat"
DRAW = "draw"
KICK = "kick"
VOTE_KICK = "vote_kick"
TRANSFER_HOST = "transfer_host"
GET_STATE = "get_state"
AI_GUESS = "ai_guess"
LIKE = "like"
SET_CONSENT = "set_consent"
LIST_ROOMS = "list_rooms"

CLIENT_EVENTS: tuple[str, ...] = (
    CREATE_ROOM,
    JOIN_ROOM,
    QUICK_PLAY,
    REJOIN,
    LEAVE_ROOM,
    UPDATE_SETTINGS,
    START_GAME,
    CHOOSE_WORD,
    CHAT,
    DRAW,
    KICK,
    VOTE_KICK,
    TRANSFER_HOST,
    GET_STATE,
    AI_GUESS,
    LIKE,
    SET_CONSENT,
    LIST_ROOMS,
)

# Server -> client.
STATE = "state"
PLAYER_JOINED = "player_joined"
PLAYER_LEFT = "player_left"
CHAT_MESSAGE = "chat"
CLOSE_GUESS = "close_guess"
GUESSED = "guessed"
HINT = "hint"
TURN_STARTED = "turn_started"
TURN_ENDED = "turn_ended"
GAME_ENDED = "game_ended"
VOTE_KICK_CAST = "vote_kick"
DRAW_RELAY = "draw"
KICKED = "kicked"
REPLACED = "replaced"
AI_GUESS_RELAY = "ai_guess"
RACE_RECOGNIZED = "race_recognized"
LIKED = "liked"

SERVER_EVENTS: tuple[str, ...] = (
    STATE,
    PLAYER_JOINED,
    PLAYER_LEFT,
    CHAT_MESSAGE,
    CLOSE_GUESS,
    GUESSED,
    HINT,
    TURN_STARTED,
    TURN_ENDED,
    GAME_ENDED,
    VOTE_KICK_CAST,
    DRAW_RELAY,
    KICKED,
    REPLACED,
    AI_GUESS_RELAY,
    RACE_RECOGNIZED,
    LIKED,
)

ERROR_CODES: tuple[str, ...] = (
    "bad_request",
    "invalid_text",
    "rate_limited",
    "not_in_room",
    "already_in_room",
    "room_not_found",
    "room_full",
    "spectators_full",
    "session_expired",
    "not_host",
    "wrong_phase",
    "not_allowed",
    "not_enough_players",
    "unknown_player",
    "word_in_chat",
    "already_voted",
    "seq_gap",
    "draw_limit",
    "unavailable",
    "internal",
    "protocol_mismatch",
    "unknown_event",
)

PHASES = ("lobby", "choosing", "drawing", "turn_end", "game_end")

# The largest Socket.IO message the server reads (bytes, as sent on the wire). A bigger one closes the
# connection (WebSocket close 1009 "message too big"; HTTP 413 on long-polling): the seat is kept for
# the reconnection grace as for any dropped connection. Far above any valid event (a full draw batch
# is under 20 KiB); the client refuses to send one that large.
MAX_MESSAGE_BYTES = 256 * 1024
