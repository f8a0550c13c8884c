// Scoreboard: players by score, who draws, who guessed, host, offline; kick / vote-kick buttons;
// "+points" floating up at the end of a turn; above them the Humans-vs-AI scoreline (turns won this game).
import { avatar, clear, h } from "./dom.js";
import { icon } from "./icons.js";

export class Scoreboard {
  constructor(app) {
    this.app = app;
    this.list = h("ol.scores#scoreboard");
    this.humans = h("strong.rival-humans#rival-humans", "0");
    this.ai = h("strong.rival-ai#rival-ai", "0");
    this.rival = h("div.rival#rival", { hidden: true, title: "Turns won this game: whoever names the drawing first wins the turn for their side" },
      h("span.side", "Humans "), this.humans, h("span.sep", ":"), this.ai,
      h("span.side", " AI"));
    this.el = h("aside.card.scoreboard", h("h3", "Players"), this.rival, this.list);
  }

  update() {
    const { room } = this.app;
    const v = room.view;
    const players = v.players.slice().sort((a, b) => b.score - a.score);
    this.updateRival(v.rival);
    const sig = JSON.stringify([players, v.spectators, v.host_id, v.votes, room.me, room.isHost]);
    if (sig === this.sig) return; // unchanged: keep the DOM (and running animations)
    this.sig = sig;
    clear(this.list);
    for (const p of players) {
      const me = p.id === room.me.id;
      const actions = [];
      if (!me && !room.isSpectator && p.kind !== "ai") {
        if (room.isHost) actions.push(h("button.btn.tiny.ghost.danger", { type: "button", title: `Kick ${p.name}`, onclick: () => this.app.kick(p.id) }, icon("kick", { size: 14 })));
        else if (v.players.filter((x) => x.kind !== "ai").length >= 3) {
          const votes = (v.votes && v.votes[p.id]) || 0;
          actions.push(h("button.btn.tiny.ghost", { type: "button", title: `Vote to kick ${p.name}`, onclick: () => this.app.voteKick(p.id) }, icon("thumbDown", { size: 14 }), votes ? ` ${votes}` : ""));
        }
      }
      const ai = p.kind === "ai";
      const cls = ["li.score-row", p.guessed ? ".guessed" : "", p.drawing ? ".drawing" : "",
        p.connected || ai ? "" : ".offline", me ? ".me" : "", ai ? ".ai" : ""].join("");
      this.list.append(h(cls, { dataset: { id: p.id } },
        ai ? h("span.avatar.avatar-ai", icon("robot", { size: 18 })) : avatar(p.id, p.name, "", p.avatar),
        h("span.who",
          h("span.name", p.name),
          h("span.tags",
            p.drawing ? h("span.tag.tag-draw", icon("pencil", { size: 11 }), " drawing") : null,
            p.guessed ? h("span.tag.tag-ok", icon("check", { size: 11 }), v.settings.mode === "race" ? " recognized" : " guessed") : null,
            p.id === v.host_id ? h("span.tag", { title: "Host" }, icon("crown", { size: 11, label: "host" })) : null,
            ai ? h("span.tag", "AI player") : null,
            me ? h("span.tag.tag-me", "you") : null,
            p.connected || ai ? null : h("span.tag", "offline"))),
        h("span.score", { dataset: { score: p.score } }, String(p.score)),
        h("span.actions", actions),
      ));
    }
    if (v.spectators.length) {
      this.list.append(h("li.spectator-row", icon("eye", { size: 14 }), ` ${v.spectators.map((s) => s.name).join(", ")}`));
    }
  }

  /** The scoreline `{humans, ai}` (null: no AI in this game); a side that just gained a turn flashes. */
  updateRival(rival) {
    this.rival.hidden = !rival;
    if (!rival) return;
    for (const [el, n] of [[this.humans, rival.humans], [this.ai, rival.ai]]) {
      if (el.textContent === String(n)) continue;
      el.textContent = String(n);
      el.classList.remove("bump");
      void el.offsetWidth; // restart the animation
      el.classList.add("bump");
    }
  }

  /** "+N" floating up next to each player who scored this turn. */
  flyPoints(deltas) {
    for (const [id, pts] of Object.entries(deltas || {})) {
      if (!pts) continue;
      const row = [...this.list.children].find((li) => li.dataset.id === id);
      if (row) row.append(h("span.fly", `+${pts}`));
    }
  }
}
