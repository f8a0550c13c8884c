// The only module that owns the Socket.IO connection. Sends every event with an acknowledgement,
// checks the protocol version at connect, keeps the session token (sessionStorage: one seat per tab,
// kept across reloads) and rejoins with it after every reconnect. Reports its status to a banner.
import { io } from "socket.io-client";
import { LIMITS, PROTOCOL_VERSION } from "./protocol.js";

const TOKEN_KEY = "doodleai.session";
const TOO_LARGE = Object.freeze({ ok: false, error: { code: "message_too_large",
  message: `the message is over the server's ${LIMITS.messageBytes}-byte limit; it was not sent` } });

/** Whether the message would exceed the server's size limit (the server would close the connection). */
export function tooLarge(event, payload) {
  const bytes = new TextEncoder().encode(JSON.stringify([event, payload])).length;
  return bytes + 16 > LIMITS.messageBytes; // + the Socket.IO packet header and ack id
}
const ACK_TIMEOUT_MS = 8000;

export class Net {
  constructor(url = undefined) {
    this.handlers = new Map();
    this.status = "connecting"; // connecting | online | reconnecting | offline | outdated
    this.session = loadSession();
    this.socket = io(url, {
      auth: { protocol: PROTOCOL_VERSION },
      transports: ["websocket", "polling"],
      reconnectionDelay: 500,
      reconnectionDelayMax: 4000,
    });
    this.socket.on("connect", () => this._onConnect());
    this.socket.on("disconnect", (reason) => {
      this._setStatus(reason === "io client disconnect" ? "offline" : "reconnecting");
    });
    this.socket.on("connect_error", (err) => {
      if (err && (err.message === "protocol_mismatch" || (err.data && err.data.code === "protocol_mismatch"))) {
        this.socket.disconnect();
        this._setStatus("outdated");
      } else {
        this._setStatus(this.status === "connecting" ? "connecting" : "reconnecting");
      }
    });
    this.socket.onAny((event, payload) => this._emitLocal(event, payload));
  }

  /** Subscribe to a server event or to a local one ("status", "rejoined", "session_lost"). */
  on(event, fn) {
    if (!this.handlers.has(event)) this.handlers.set(event, new Set());
    this.handlers.get(event).add(fn);
    return () => this.handlers.get(event).delete(fn);
  }

  _emitLocal(event, payload) {
    for (const fn of this.handlers.get(event) || []) {
      try { fn(payload); } catch (err) { console.error(`handler for ${event} failed`, err); }
    }
  }

  _setStatus(status) {
    if (status === this.status) return;
    this.status = status;
    this._emitLocal("status", status);
  }

  async _onConnect() {
    this._setStatus("online");
    if (!this.session) return;
    const ack = await this.request("rejoin", { token: this.session.token });
    if (ack.ok) {
      this._emitLocal("rejoined", ack);
    } else if (ack.error && ack.error.code !== "already_in_room") {
      this.forgetSession();
      this._emitLocal("session_lost", ack);
    }
  }

  /** Emits `event` and resolves with its ack (never rejects: failures come back as {ok:false}). */
  request(event, payload = {}, timeoutMs = ACK_TIMEOUT_MS) {
    if (!this.socket.connected) {
      return Promise.resolve({ ok: false, error: { code: "disconnected", message: "not connected" } });
    }
    if (tooLarge(event, payload)) return Promise.resolve(TOO_LARGE);
    return new Promise((resolve) => {
      this.socket.timeout(timeoutMs).emit(event, payload, (err, ack) => {
        if (err) resolve({ ok: false, error: { code: "timeout", message: "no answer from the server" } });
        else resolve(ack && typeof ack === "object" ? ack : { ok: false, error: { code: "internal", message: "bad ack" } });
      });
    });
  }

  /** Droppable message (live AI guesses): volatile, with an ack callback as the protocol asks. */
  volatile(event, payload) {
    if (this.socket.connected && !tooLarge(event, payload)) this.socket.volatile.emit(event, payload, () => {});
  }

  /** Remembers the seat of a successful join ack, for rejoin after a reconnect or a reload. */
  rememberSession(ack) {
    this.session = { token: ack.token, code: ack.code || (ack.state && ack.state.code) };
    try { sessionStorage.setItem(TOKEN_KEY, JSON.stringify(this.session)); } catch { /* private mode */ }
  }

  forgetSession() {
    this.session = null;
    try { sessionStorage.removeItem(TOKEN_KEY); } catch { /* private mode */ }
  }
}

function loadSession() {
  try {
    const s = JSON.parse(sessionStorage.getItem(TOKEN_KEY) || "null");
    return s && typeof s.token === "string" ? s : null;
  } catch {
    return null;
  }
}

/**
 * Sends a drawer's batches as `draw {seq, ops}`: pipelined (the server applies them in seq order),
 * a batch refused for rate limiting or lost to a timeout is sent again with the same seq.
 */
export class DrawSender {
  constructor(net, onError) {
    this.net = net;
    this.onError = onError;
    this.seq = 0;
    this.epoch = 0;
  }

  reset(nextSeq = 0) {
    this.seq = nextSeq;
    this.epoch++;
  }

  send(ops) {
    const seq = this.seq++;
    this._send(seq, ops, this.epoch, 0);
  }

  async _send(seq, ops, epoch, attempt) {
    const ack = await this.net.request("draw", { seq, ops }, 5000);
    if (epoch !== this.epoch || ack.ok) return;
    const code = ack.error && ack.error.code;
    // `unavailable`: the store failed; seq and ops are one atomic write there, so the same seq is safe to retry.
    if (["rate_limited", "timeout", "disconnected", "unavailable"].includes(code) && attempt < 6) {
      setTimeout(() => this._send(seq, ops, epoch, attempt + 1), 250 * (attempt + 1));
    } else {
      this.onError?.(ack);
    }
  }
}
