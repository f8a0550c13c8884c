// Game-end screen: final ranking (podium), rematch, and a gallery of every drawing this client saw
// with the AI's guesses over time.
import { renderOps } from "../canvas.js";
import { likeText } from "../room.js";
import { SECRET } from "./aipanel.js";
import { avatar, h, logo } from "./dom.js";
import { icon } from "./icons.js";

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
            room.isAi(r.id) ? h("span.avatar.avatar-ai", icon("robot", { size: 18 })) : avatar(r.id, r.name),
            h("span.name", r.name),
            h("span.score", String(r.score))))),
        h("div.row.center", this.rematch,
          h("button.btn#to-lobby", { type: "button", onclick: () => app.dismissEnd() }, "Back to lobby")),
        this.status,
      ),
      h("section.card.gallery-card",
        h("h2", "Gallery"),
        h("p.muted", "Every drawing of this game, with what the AI thought along the way."),
        h("div.gallery#gallery", room.gallery.length
          ? room.gallery.map((g) => this.galleryItem(g))
          : h("p.muted", "No drawings this time.")),
      ),
    ));
    this.update();
  }

  /** " · 2 likes, 1 dislike" for a drawing the guessers rated (counted from `liked` events). */
  likesOf(key) {
    const r = this.app.room.likesByTurn.get(key);
    return r && (r.likes || r.dislikes) ? h("span.gallery-likes", ` · ${likeText(r)}`) : null;
  }

  galleryItem(g) {
    const canvas = h("canvas.thumb", { width: 320, height: 240 });
    renderOps(canvas, g.ops);
    // Guessers saw the word's label hidden ("???"); at the end it is no secret.
    const label = (x) => (x.labels[0] === SECRET ? g.word : x.labels[0]);
    const final = g.guesses[g.guesses.length - 1];
    const gotIt = final && label(final) === g.word;
    const firstHit = g.guesses.find((x) => label(x) === g.word);
    // The timeline: each time the AI's top guess changed.
    const steps = [];
    for (const x of g.guesses) {
      if (!steps.length || label(steps[steps.length - 1]) !== label(x)) steps.push(x);
    }
    return h("figure.gallery-item",
      canvas,
      h("figcaption",
        h("strong", g.word), " by ", h("span", g.drawerName),
        this.likesOf(g.key),
        h("p.ai-verdict", icon("robot", { size: 16 }), !g.guesses.length ? " no AI guesses seen"
          : gotIt || firstHit ? ` got it${firstHit ? ` at ${firstHit.t.toFixed(1)} s` : ""}`
            : ` thought: ${label(final)}`),
        h("ol.timeline", steps.slice(-8).map((x) =>
          h(`li${label(x) === g.word ? ".hit" : ""}`,
            h("span.t", `${x.t.toFixed(1)}s`), h("span", `${label(x)} ${Math.round(x.probs[0] * 100)}%`)))),
      ));
  }

  update() {
    const { room } = this.app;
    this.rematch.hidden = !room.isHost;
    const connected = room.connectedHumans();
    this.rematch.disabled = connected < 2;
    this.status.textContent = room.isHost ? (connected < 2 ? "Waiting for another player to play again." : "")
      : `Waiting for ${room.nameOf(room.view.host_id)} to start a rematch…`;
  }

  destroy() {}
}
