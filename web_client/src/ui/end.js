// Game-end screen: final ranking (podium), rematch, and the gallery of every drawing of the game with
// the AI's verified recognition (server time and probability) or "not recognized", from the server.
import { renderOps } from "../canvas.js";
import { likeText } from "../room.js";
import { avatar, clear, h, logo } from "./dom.js";
import { icon } from "./icons.js";
import { downloadAllButton, keepButtons } from "./keep.js";

/** "Humans 5 : 4 AI — the humans win!" (null when the game had no AI). */
function rivalLine(rival) {
  if (!rival) return null;
  const winner = rival.winner || (rival.humans > rival.ai ? "humans" : rival.ai > rival.humans ? "ai" : "draw");
  const verdict = { humans: "the humans win!", ai: "the AI wins this time.", draw: "a draw." }[winner];
  return h("p.rival-result#rival-result", `Humans ${rival.humans} : ${rival.ai} AI — ${verdict}`);
}

export class EndScreen {
  constructor(app) {
    this.app = app;
  }

  mount(root) {
    const app = this.app;
    const room = app.room;
    const ranking = room.lastRanking || [];
    this.rematch = h("button.btn.primary.big#rematch", { type: "button", onclick: () => app.startGame() }, "Play again");
    this.status = h("p.lobby-status#end-status");
    root.append(h("main.screen.screen-end",
      h("header.topbar",
        logo(true),
        h("div.room-code", "Room ", h("strong", room.view.code)),
        h("button.btn.ghost#leave", { type: "button", onclick: () => app.leave() }, "Leave"),
      ),
      h("section.card.ranking-card",
        h("h2", "Final ranking"),
        rivalLine(room.lastRival),
        h("ol.ranking#ranking", ranking.map((r) =>
          h(`li.rank-${Math.min(r.rank, 4)}${room.isAi(r.id) ? ".ai" : ""}`, { dataset: { id: r.id } },
            h("span.medal", String(r.rank)),
            room.isAi(r.id) ? h("span.avatar.avatar-ai", icon("robot", { size: 18 })) : avatar(r.id, r.name, "", room.player(r.id) && room.player(r.id).avatar),
            h("span.name", r.name),
            h("span.score", String(r.score))))),
        h("div.row.center", this.rematch,
          h("button.btn#to-lobby", { type: "button", onclick: () => app.dismissEnd() }, "Back to lobby")),
        this.status,
      ),
      h("section.card.gallery-card",
        h("div.gallery-head", h("h2", "Gallery"), this.keepAll = h("span.keep-all")),
        h("p.muted", "Every drawing of this game, and whether the AI recognized it (as the server verified it)."),
        this.gallery = h("div.gallery#gallery", h("p.muted", "Loading the drawings…")),
      ),
    ));
    this.update();
    this.loadGallery();
  }

  /** The gallery comes from the server (the game's drawings and its verified AI record): the same for
   * every player, and still there after a reload. */
  async loadGallery() {
    const ack = await this.app.net.request("get_state", { gallery: true });
    if (this.destroyed) return;
    const entries = (ack.ok && ack.state && ack.state.history) || [];
    const logs = (ack.ok && ack.gallery) || {};
    clear(this.gallery);
    if (!entries.length) this.gallery.append(h("p.muted", "No drawings this time."));
    entries.forEach((e, i) => this.gallery.append(this.galleryItem(e, logs[e.key] || [], i)));
    if (entries.length) this.keepAll.replaceChildren(downloadAllButton(this.app, entries, logs, this.app.room.view.code));
    this.gallery.dataset.loaded = "1";
  }

  /** " · 2 likes, 1 dislike" for a drawing the guessers rated (counted from `liked` events). */
  likesOf(key) {
    const r = this.app.room.likesByTurn.get(key);
    return r && (r.likes || r.dislikes) ? h("span.gallery-likes", ` · ${likeText(r)}`) : null;
  }

  galleryItem(e, ops, index) {
    const canvas = h("canvas.thumb", { width: 320, height: 240 });
    renderOps(canvas, ops);
    const ai = e.ai;
    const place = ai && ai.place ? `${["", "1st", "2nd", "3rd"][ai.place] || `${ai.place}th`}: ` : "";
    const pct = ai && typeof ai.prob === "number" ? ` (${Math.round(ai.prob * 100)}%)` : "";
    const verdict = ai ? ` ${place}recognized at ${ai.at_s.toFixed(1)} s${pct}` : " not recognized";
    return h(`figure.gallery-item${ai ? ".recognized" : ""}`,
      { dataset: { key: e.key, aiAt: ai ? String(ai.at_s) : "", aiProb: ai && ai.prob !== null ? String(ai.prob) : "" } },
      canvas,
      h("figcaption",
        avatar(e.drawer_id, e.drawer_name, ".small", e.drawer_avatar),
        h("strong", e.word), " by ", h("span", e.drawer_name),
        this.likesOf(e.key),
        h("p.ai-verdict", icon("robot", { size: 16 }), verdict),
        keepButtons(this.app, e, ops, index)));
  }

  update() {
    const { room } = this.app;
    this.rematch.hidden = !room.isHost;
    const connected = room.connectedHumans();
    this.rematch.disabled = connected < 2;
    this.status.textContent = room.isHost ? (connected < 2 ? "Waiting for another player to play again." : "")
      : `Waiting for ${room.nameOf(room.view.host_id)} to start a rematch…`;
  }

  destroy() { this.destroyed = true; }
}
