// The wire contract's names in JavaScript: mirrors docs/protocol.md (the source of truth) and
// game_server/protocol.py; a test checks that all three name the same events.

export const PROTOCOL_VERSION = 1;

/** Client -> server events (every one is sent with an acknowledgement). */
export const CLIENT_EVENTS = Object.freeze([
  "create_room", "join_room", "quick_play", "rejoin", "leave_room", "update_settings", "start_game",
  "choose_word", "chat", "draw", "kick", "vote_kick", "transfer_host", "get_state", "ai_guess",
]);

/** Server -> client events. */
export const SERVER_EVENTS = Object.freeze([
  "state", "player_joined", "player_left", "chat", "close_guess", "guessed", "hint", "turn_started",
  "turn_ended", "game_ended", "vote_kick", "draw", "kicked", "replaced", "ai_guess", "race_recognized",
]);

export const PHASES = Object.freeze(["lobby", "choosing", "drawing", "turn_end", "game_end"]);
export const CANVAS = Object.freeze({ width: 800, height: 600 });
export const LIMITS = Object.freeze({ name: 24, chat: 200, opsPerBatch: 64, pointsPerBatch: 500 });

/** Friendly words for the error codes of the acks. */
export const ERROR_TEXT = Object.freeze({
  bad_request: "That did not look right to the server.",
  invalid_text: "Please use plain text (no control characters, not empty).",
  rate_limited: "Slow down a little!",
  not_in_room: "You are not in a room any more.",
  already_in_room: "You are already in a room.",
  room_not_found: "No room with that code (it may have ended).",
  room_full: "That room is full — you can still watch as a spectator.",
  spectators_full: "Too many spectators in that room.",
  session_expired: "Your seat has expired.",
  not_host: "Only the host can do that.",
  wrong_phase: "Not possible right now.",
  not_allowed: "You can't do that in your role.",
  not_enough_players: "You need at least 2 players.",
  unknown_player: "That player is gone.",
  word_in_chat: "No spoilers: your message contains the word!",
  already_voted: "You already voted.",
  seq_gap: "Part of the drawing got lost on the way.",
  draw_limit: "The canvas is full for this turn.",
  unavailable: "The server's storage is unavailable, try again.",
  internal: "The server hit a snag.",
  protocol_mismatch: "This page is out of date — please reload.",
  timeout: "The server did not answer in time.",
  disconnected: "Not connected to the server.",
});

export function errorText(ack) {
  const code = ack && ack.error && ack.error.code;
  return ERROR_TEXT[code] || (ack && ack.error && ack.error.message) || "Something went wrong.";
}
