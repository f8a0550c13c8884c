// The landing page's list of public rooms (`list_rooms`, docs/protocol.md): phase, players/max and mode,
// polled every POLL_MS while the page is visible (and at once when the connection comes up); each row
// joins its room directly. Quick play stays beside it.
import { h, setText } from "./dom.js";

const POLL_MS = 4000;
const PHASES = { lobby: "In the lobby", choosing: "Playing", drawing: "Playing", turn_end: "Playing", game_end: "Game over" };
const MODES = { classic: "Classic", race: "Race the AI" };

export class PublicRooms {
  /**
   * @param {object} app the App (its `net`)
   * @param {(code: string, event: Event) => void} onJoin joins room `code` (the landing page checks the name)
   */
  constructor(app, onJoin) {
    this.app = app;
    this.onJoin = onJoin;
    this.list = h("ul.public-list#public-rooms", { "aria-live": "polite" });
    this.note = h("p.muted.public-note#public-note", "Looking for public rooms…");
    this.el = h("section.public-rooms", h("div.divider", h("span", "or pick a public room")), this.note, this.list);
    this.timer = null;
    this.sig = null;
  }

  start() {
    this.stopped = false;
    this.offStatus = this.app.net.on("status", (s) => { if (s === "online") this.refresh(); });
    this.onVisible = () => { if (!document.hidden) this.refresh(); };
    document.addEventListener("visibilitychange", this.onVisible);
    this.refresh();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.offStatus?.();
    document.removeEventListener("visibilitychange", this.onVisible);
  }

  async refresh() {
    clearTimeout(this.timer);
    if (this.stopped) return;
    if (!document.hidden) {
      const ack = await this.app.net.request("list_rooms", {});
      if (this.stopped) return;
      if (ack.ok) this.render(ack.rooms || []);
    }
    this.timer = setTimeout(() => this.refresh(), POLL_MS);
  }

  render(rooms) {
    const sig = JSON.stringify(rooms);
    if (sig === this.sig) return; // unchanged: keep the rows (and a hovered button) as they are
    this.sig = sig;
    setText(this.note, rooms.length ? "" : "No public rooms right now — quick play opens one.");
    this.note.hidden = rooms.length > 0;
    this.list.replaceChildren(...rooms.map((r) => h("li.public-room", { dataset: { code: r.code, phase: r.phase } },
      h("span.public-mode", MODES[r.mode] || r.mode),
      h("span.public-phase", PHASES[r.phase] || r.phase),
      h("span.public-seats", `${r.players}/${r.max_players} players`),
      h("button.btn.tiny.join-public", { type: "button", onclick: (e) => this.onJoin(r.code, e) }, "Join"))));
  }
}
