"""The wire contract's names in Python: protocol version, event names, error codes, limits.

Mirrors docs/protocol.md (the source of truth) and web_client's protocol module; a test checks that all
three name the same events. Imports nothing from the rest of the server.
"""

from __future__ import annotations

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
)

PHASES = ("lobby", "choosing", "drawing", "turn_end", "game_end")

CANVAS_WIDTH = 800
CANVAS_HEIGHT = 600
