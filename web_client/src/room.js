// What this client knows about its room: the latest view (rev-checked), who I am, the server clock
// offset, the last ranking. Pure data + small helpers; no DOM, no socket. (The game-end gallery is the
// server's record, fetched by ui/end.js.)

export class Room {
  constructor() {
    this.reset();
  }

  reset() {
    this.view = null;
    this.me = null; // {id, role: "player"|"spectator"}
    this.invite = null;
    this.clockOffset = 0; // server seconds - local seconds
    this.lastRanking = null;
    this.lastRival = null; // the last game's Humans-vs-AI scoreline {humans, ai, winner?}
    this.likesByTurn = new Map(); // turn key -> {likes, dislikes, mine: true|false|null} (the gallery shows them)
  }

  /** Records a `liked` event (totals of that turn's drawing; `mine` once I rated it). */
  noteLike(msg) {
    if (!msg || !msg.turn) return;
    const prev = this.likesByTurn.get(msg.turn) || { mine: null };
    const mine = this.me && msg.player_id === this.me.id ? msg.like : prev.mine;
    this.likesByTurn.set(msg.turn, { likes: msg.likes, dislikes: msg.dislikes, mine });
  }

  /** Accepts a view unless it is older than the one held. Returns true when taken. */
  setView(view) {
    if (!view || typeof view !== "object") return false;
    if (this.view && this.view.code === view.code && typeof view.rev === "number" && view.rev < this.view.rev) {
      return false;
    }
    this.view = view;
    if (typeof view.now === "number") this.clockOffset = view.now - Date.now() / 1000;
    if (view.ranking) { this.lastRanking = view.ranking; this.lastRival = view.rival || null; }
    return true;
  }

  join(ack) {
    const sameRoom = this.view && ack.state && this.view.code === ack.state.code;
    if (!sameRoom) this.reset();
    this.me = { id: ack.player_id, role: ack.role || "player" };
    this.invite = ack.invite || (ack.state ? `/r/${ack.state.code}` : null);
    if (sameRoom) this.view = null; // a rejoin's state is authoritative even if its rev looks older
    this.setView(ack.state);
  }

  serverNow() { return Date.now() / 1000 + this.clockOffset; }

  remaining() {
    const d = this.view && this.view.deadline;
    return typeof d === "number" ? Math.max(0, d - this.serverNow()) : null;
  }

  get phase() { return this.view ? this.view.phase : null; }
  get isHost() { return !!(this.view && this.me && this.view.host_id === this.me.id); }
  get isSpectator() { return !!(this.me && this.me.role === "spectator"); }
  get isDrawer() { return !!(this.view && this.me && this.view.drawer_id === this.me.id); }
  get turnKey() { return this.view && this.view.turn ? this.view.turn.key : null; }

  /** Connected human players (the AI pseudo-player never counts towards starting a game). */
  connectedHumans() {
    return this.view ? this.view.players.filter((p) => p.kind !== "ai" && p.connected).length : 0;
  }

  isAi(id) {
    const p = this.view && this.view.players.find((x) => x.id === id);
    return !!(p && p.kind === "ai");
  }

  player(id) {
    return (this.view && (this.view.players.find((p) => p.id === id) || this.view.spectators.find((p) => p.id === id))) || null;
  }

  nameOf(id) {
    const p = this.player(id);
    return p ? p.name : "someone";
  }
}

/** "2 likes, 1 dislike" from {likes, dislikes}. */
export function likeText({ likes, dislikes }) {
  const n = (k, word) => `${k} ${word}${k === 1 ? "" : "s"}`;
  return `${n(likes, "like")}, ${n(dislikes, "dislike")}`;
}
