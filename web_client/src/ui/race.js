// Race mode: live thumbnails of everyone else's drawing of the same prompt, each with what that
// player's AI sees and their place once the server verified a recognition.
import { renderOps } from "../canvas.js";
import { normalizeGuess, providerName } from "./aipanel.js";
import { clear, h, setText } from "./dom.js";

const ORDINAL = ["", "1st", "2nd", "3rd"];

export class RaceStrip {
  constructor(app) {
    this.app = app;
    this.logs = new Map(); // player id -> ops
    this.cards = new Map(); // player id -> {el, canvas, caption, place, provider}
    this.dirty = new Set();
    this.el = h("section.card.race-strip#race-strip", { hidden: true },
      h("h3", "Everyone's drawings"), this.grid = h("div.race-grid"));
  }

  /** A new prompt: the drawings so far (join ack `drawing.players`), or none. */
  load(players = {}) {
    this.logs = new Map(Object.entries(players).map(([id, ops]) => [id, ops.slice()]));
    clear(this.grid);
    this.cards.clear();
    this.update();
    for (const id of this.logs.keys()) this._invalidate(id);
  }

  /** The players' cards (everyone but me; no AI, no spectators). */
  update() {
    const { room } = this.app;
    const v = room.view;
    const race = v && v.settings.mode === "race" && v.turn && (v.phase === "drawing" || v.phase === "turn_end");
    this.el.hidden = !race;
    if (!race) return;
    for (const p of v.players) {
      if (p.kind === "ai" || p.id === room.me.id) continue;
      const card = this._card(p.id, p.name);
      const sk = v.turn.sketches && v.turn.sketches[p.id];
      setText(card.place, sk && sk.place ? `${ORDINAL[sk.place] || `${sk.place}th`} ✓` : "");
      card.el.classList.toggle("recognized", !!(sk && sk.place));
    }
  }

  _card(id, name) {
    let card = this.cards.get(id);
    if (!card) {
      const canvas = h("canvas.race-thumb", { width: 200, height: 150 });
      const caption = h("span.race-ai", "…");
      const place = h("span.race-place");
      const provider = h("span.race-provider", { title: `Where ${name}'s AI runs` }, "");
      const el = h("figure.race-card", { dataset: { id, provider: "" } }, canvas,
        h("figcaption", h("strong.race-name", name), place, caption, provider));
      this.grid.append(el);
      card = { el, canvas, caption, place, provider };
      this.cards.set(id, card);
      renderOps(canvas, this.logs.get(id) || []);
    }
    return card;
  }

  onDraw(msg) {
    if (!this.logs.has(msg.player_id)) this.logs.set(msg.player_id, []);
    const log = this.logs.get(msg.player_id);
    // `index`: the batch's place in that player's log; a batch that raced our join is already held.
    const fresh = Number.isInteger(msg.index) ? msg.ops.slice(Math.max(0, log.length - msg.index)) : msg.ops;
    if (!fresh.length) return;
    log.push(...fresh);
    this._invalidate(msg.player_id);
  }

  onGuess(msg) {
    const g = normalizeGuess(msg);
    if (!g || !msg.player_id) return;
    const card = this.cards.get(msg.player_id);
    if (card && g.labels.length) setText(card.caption, `${g.labels[0]} ${Math.round(g.probs[0] * 100)}%`);
    if (card && g.provider) { // the card already names the player: the pill says "WebGL", its title the rest
      card.el.dataset.provider = g.provider;
      setText(card.provider, providerName(g.provider));
      card.provider.title = `${providerName(g.provider)} · ${this.app.room.nameOf(msg.player_id)}'s browser`;
    }
  }

  _invalidate(id) {
    this.dirty.add(id);
    if (this._raf) return;
    this._raf = requestAnimationFrame(() => {
      this._raf = 0;
      for (const pid of this.dirty) {
        const card = this.cards.get(pid);
        if (card) renderOps(card.canvas, this.logs.get(pid) || []);
      }
      this.dirty.clear();
    });
  }
}
