// The wire contract in JavaScript, read from protocol.gen.js (generated from the Python schemas by
// `python -m game_server.protocol --write`): event names, limits, canvas size and claim threshold are
// never copied by hand. docs/protocol.md describes the same contract; tests keep the three in agreement.
import { PROTOCOL } from "./protocol.gen.js";

export { PROTOCOL };
export const PROTOCOL_VERSION = PROTOCOL.version;

/** Client -> server events (every one is sent with an acknowledgement). */
export const CLIENT_EVENTS = Object.freeze(Object.keys(PROTOCOL.client_events));

/** Server -> client events. */
export const SERVER_EVENTS = Object.freeze(Object.keys(PROTOCOL.server_events));

export const PHASES = Object.freeze([...PROTOCOL.phases]);
export const CANVAS = Object.freeze({ ...PROTOCOL.canvas });
export const LIMITS = Object.freeze({ ...PROTOCOL.limits });
/** A live guess whose top-1 is the word with at least this probability is a claim the server verifies. */
export const CLAIM_THRESHOLD = PROTOCOL.claimThreshold;
/** The host's AI levels: {easy|normal|hard: {threshold, delay}} (the server enforces them; core/ai.py). */
export const AI_LEVELS = Object.freeze({ ...PROTOCOL.aiLevels });
export const PROVIDER_NAMES = Object.freeze([...PROTOCOL.providers]);

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
  unknown_event: "This page is out of date — please reload.",
  message_too_large: "That was too much to send at once.",
  timeout: "The server did not answer in time.",
  disconnected: "Not connected to the server.",
});

export function errorText(ack) {
  const code = ack && ack.error && ack.error.code;
  return ERROR_TEXT[code] || (ack && ack.error && ack.error.message) || "Something went wrong.";
}
