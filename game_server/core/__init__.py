"""The pure game rules: room state as frozen dataclasses, `apply(room, command, now, rng) -> (room, events)`.

Owns rooms, turns, guesses, scoring, hints, word choice and every event's audience. Must not import the
shell (handlers, app, store), Socket.IO, aiohttp, Redis, or anything that does I/O or reads the clock.
Modules: state (data), commands, apply (dispatch), members, turns, race (race mode), ai (the AI player),
claims (what an AI claim is and the policy for it, both modes),
lobby (public auto-start), capture (opt-in training data), chat, drawing, settings, scoring, words,
text, events (audiences and views), ids.
"""

from game_server.core.apply import RULES, apply, draw_relay, new_room, next_deadline
from game_server.core.commands import (
    AiGuess,
    AiRecognized,
    Chat,
    ChooseWord,
    Command,
    Disconnect,
    DrawBatch,
    Join,
    Kick,
    Leave,
    Like,
    NodeLost,
    RaceRecognized,
    Rejoin,
    SetConsent,
    StartGame,
    Tick,
    TransferHost,
    UpdateSettings,
    VoteKick,
)
from game_server.core.errors import GameError
from game_server.core.events import Audience, Event, member_view, view
from game_server.core.state import Player, Room, Settings, Spectator, Turn, room_from_dict, room_to_dict

__all__ = [
    "RULES",
    "AiGuess",
    "AiRecognized",
    "Audience",
    "Chat",
    "ChooseWord",
    "Command",
    "Disconnect",
    "DrawBatch",
    "Event",
    "GameError",
    "Join",
    "Kick",
    "Leave",
    "Like",
    "NodeLost",
    "Player",
    "RaceRecognized",
    "Rejoin",
    "Room",
    "SetConsent",
    "Settings",
    "Spectator",
    "StartGame",
    "Tick",
    "TransferHost",
    "Turn",
    "UpdateSettings",
    "VoteKick",
    "apply",
    "draw_relay",
    "member_view",
    "new_room",
    "next_deadline",
    "room_from_dict",
    "room_to_dict",
    "view",
]
