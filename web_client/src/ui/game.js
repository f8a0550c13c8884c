// Game screen: canvas + tools, word / hint pattern, timer, scoreboard, chat, the AI panel, the
// word-choice and turn-end overlays. Holds the Board for the whole game; relays local strokes to
// the server and remote ones to the Board; runs the drawer's classifier.
import { Board, COLORS, SIZES } from "../canvas.js";
import { likeText } from "../room.js";
import { AiPanel, normalizeGuess } from "./aipanel.js";
import { memberAvatar } from "./avatar.js";
import { ChatBox } from "./chat.js";
import { clear, fmtTime, h, logo, setText } from "./dom.js";
import { icon } from "./icons.js";
import { play, setSound, soundOn } from "./notify.js";
import { RaceStrip } from "./race.js";
import { Scoreboard } from "./scoreboard.js";
import { AiVoice } from "./voice.js";

export class GameScreen {
  constructor(app) {
    this.app = app;
    this.turnKey = undefined;
    this.revealedKey = null;
    this.lastTick = null;
  }

  get room() { return this.app.room; }

  mount(root) {
    const { app } = this;
    this.scoreboard = new Scoreboard(app);
    this.chat = new ChatBox((text) => app.chat(text), (id, name) => memberAvatar(app.room, id, name, ".small"));
    this.ai = new AiPanel(new AiVoice(() => soundOn() && !this.race)); // the AI's voice: classic only
    this.raceStrip = new RaceStrip(app);
    this.canvas = h("canvas#board", { "aria-label": "Drawing canvas" });
    this.overlay = h("div.overlay#overlay", { hidden: true });
    this.board = new Board(this.canvas, {
      onBatch: (ops) => {
        app.drawSender.send(ops);
        if (this.canDraw()) app.classifier.request(this.board.log, { final: !this.board.active });
      },
    });
    this.toolbar = this.buildToolbar();
    this.word = h("div.word#word");
    this.timer = h("div.timer#timer");
    this.likeUp = h("button.btn.tiny.ghost#like-up", { type: "button", title: "I like this drawing", onclick: () => app.like(true) }, "Like");
    this.likeDown = h("button.btn.tiny.ghost#like-down", { type: "button", title: "Not my favourite", onclick: () => app.like(false) }, icon("thumbDown", { size: 14, label: "dislike" }));
    this.likeCount = h("span.like-count#like-count");
    this.rate = h("div.rate#rate", { hidden: true }, this.likeUp, this.likeDown, this.likeCount);
    this.roundInfo = h("div.round#round");
    this.soundBtn = h("button.btn.ghost.icon#sound", { type: "button", title: "Sounds and the AI's voice", onclick: () => this.toggleSound() });
    this.renderSoundBtn();

    root.append(h("main.screen.screen-game",
      h("header.topbar.game-top",
        logo(true),
        this.roundInfo,
        this.word,
        this.rate,
        this.timer,
        h("div.top-actions", this.soundBtn,
          h("button.btn.ghost#leave", { type: "button", onclick: () => app.leave() }, "Leave")),
      ),
      h("div.game-grid",
        this.scoreboard.el,
        h("section.stage",
          this.canvasWrap = h("div.canvas-wrap", this.canvas, this.overlay),
          this.toolbar,
          this.raceStrip.el),
        h("div.side", this.ai.el, this.chat.el),
      ),
    ));
    this.unsubscribe = app.classifier.subscribe((msg) => this.onClassifier(msg));
    this.tick = setInterval(() => this.renderTimer(), 250);
    this.restoreChat(app.chatLog);
    this.update();
  }

  destroy() {
    clearInterval(this.tick);
    this.unsubscribe?.();
    this.board.destroy();
  }

  get race() {
    const v = this.app.room.view;
    return !!(v && v.settings.mode === "race");
  }

  canDraw() {
    const { room } = this.app;
    if (room.phase !== "drawing") return false;
    if (this.race) return !room.isSpectator && !room.isAi(room.me.id); // everyone draws the prompt
    return room.isDrawer;
  }

  /** Whether this screen shows its own classifier's guesses (the drawer; every player in a race). */
  ownsAi() {
    const { room } = this.app;
    return this.race ? !room.isSpectator : room.isDrawer;
  }

  buildToolbar() {
    const board = () => this.board;
    const pick = (group, btn) => {
      this.toolbar.querySelectorAll(`[data-group=${group}]`).forEach((b) => b.classList.remove("active"));
      btn.classList.add("active");
    };
    const colors = COLORS.map((c, i) => {
      const b = h(`button.swatch${i === 0 ? ".active" : ""}`, {
        type: "button", title: c, dataset: { group: "color", color: c }, style: { background: c },
        onclick: () => { board().color = c; board().tool = "pen"; pick("color", b); pick("tool", this.penBtn); },
      });
      return b;
    });
    const sizes = SIZES.map((s, i) => {
      const b = h(`button.size${i === 1 ? ".active" : ""}`, {
        type: "button", title: `Brush ${s}`, dataset: { group: "size", size: s },
        onclick: () => { board().width = s; pick("size", b); },
      }, h("span.dot", { style: { width: `${Math.max(4, s / 2)}px`, height: `${Math.max(4, s / 2)}px` } }));
      return b;
    });
    this.penBtn = h("button.tool.active#tool-pen", { type: "button", title: "Pen", dataset: { group: "tool" },
      onclick: () => { board().tool = "pen"; pick("tool", this.penBtn); } }, icon("pencil"));
    const eraser = h("button.tool#tool-eraser", { type: "button", title: "Eraser", dataset: { group: "tool" },
      onclick: () => { board().tool = "eraser"; pick("tool", eraser); } }, icon("eraser"));
    return h("div.toolbar#toolbar", { hidden: true },
      h("div.swatches", colors),
      h("div.sizes", sizes),
      h("div.tools", this.penBtn, eraser,
        h("button.tool#tool-undo", { type: "button", title: "Undo", onclick: () => board().undo() }, icon("undo")),
        h("button.tool#tool-clear", { type: "button", title: "Clear", onclick: () => board().clear() }, icon("trash"))),
    );
  }

  /** Re-renders from the room view (after every `state`). */
  update() {
    const { room, app } = this;
    const v = room.view;
    const key = room.turnKey;
    if (key !== this.turnKey) this.startTurn(key);
    const drawing = this.canDraw();
    if (drawing && !this.board.enabled) this.canvasWrap.scrollIntoView({ block: "nearest", behavior: "smooth" });
    this.board.setEnabled(drawing);
    this.toolbar.hidden = !this.canDraw();
    this.scoreboard.update();
    this.raceStrip.update();
    // A race spectator has no drawing of their own: the thumbnails are the show.
    this.canvasWrap.classList.toggle("race-watch", this.race && room.isSpectator && v.phase === "drawing");
    setText(this.roundInfo, !v.round ? "" : this.race ? `Prompt ${v.round}` : `Round ${v.round} of ${v.settings.rounds}`);
    this.renderWord();
    this.renderRate();
    this.renderOverlay();
    this.syncAiPanel();
    this.renderTimer();
    if (v.phase === "turn_end" && key && this.revealedKey !== key) {
      this.revealedKey = key; // the gallery is the server's (ui/end.js): nothing to archive here
      this.scoreboard.flyPoints(v.turn && v.turn.deltas);
      play("end");
    }
    const me = room.player(room.me.id);
    if (this.race) this.chat.setPlaceholder("Chat");
    else if (room.isSpectator) this.chat.setPlaceholder("Chat (spectators don't guess)");
    else if (room.isDrawer && v.phase === "drawing") this.chat.setPlaceholder("Chat (no spoilers!)");
    else if (me && me.guessed) this.chat.setPlaceholder("You got it! Chat with the others who know");
    else this.chat.setPlaceholder(v.phase === "drawing" ? "Type your guess…" : "Chat");
    if (this.canDraw() && app.classifier.provider) this.showOwnProvider();
    if (this.canDraw() && !this.race && app.classifier.status !== "ready") app.sendAiStatus(this.board.log.length);
  }


  startTurn(key) {
    const { app, room } = this;
    this.turnKey = key;
    const d = app.takeDrawing(key);
    const t = room.view.turn;
    if (this.race) {
      const players = (d && d.players) || {};
      this.board.load(players[room.me.id] || []);
      app.drawSender.reset((d && d.next_seqs && d.next_seqs[room.me.id]) || 0);
      delete players[room.me.id];
      this.raceStrip.load(players);
    } else {
      this.board.load(d ? d.ops : []);
      app.drawSender.reset((d && d.next_seq) || 0);
    }
    app.classifier.resetTurn();
    this.ai.newTurn(this.ownsAi() ? "Start drawing — I'll guess as you go!" : "Waiting for the first stroke…");
    if (this.ownsAi()) this.showOwnAiState();
    else this.ai.setReady(null, "");
    if (!this.ownsAi() && this.board.log.length) this.ai.setStatus(`${this.drawerName()}'s AI is thinking…`);
    if (this.ownsAi() && app.classifier.provider) this.showOwnProvider();
    else this.ai.setProvider(null, key && room.view.drawer_id ? `${room.nameOf(room.view.drawer_id)}'s browser` : "");
    if (key && this.race && t && t.word && room.phase === "drawing") {
      this.chat.system(`Everyone draws: ${t.word}! The AI's first verified recognition wins.`, "turn");
      play("start");
    } else if (key && room.view.drawer_id) {
      this.chat.system(room.isDrawer ? "Your turn to draw!" : `${room.nameOf(room.view.drawer_id)} is drawing now.`, "turn");
      play("start");
    }
    if (this.canDraw() && this.board.log.length) app.classifier.request(this.board.log, { final: true });
  }

  drawerName() { return this.room.nameOf(this.room.view.drawer_id); }

  /** The panel knows the word when I do; holds a verified recognition (also after a reload); reveals. */
  syncAiPanel() {
    const v = this.room.view;
    const t = v.turn;
    if (!t) return;
    if (v.phase === "turn_end") { this.ai.reveal(t.word); return; }
    this.ai.setWord(t.word);
    const ai = v.players.find((p) => p.kind === "ai");
    if (!this.race && v.phase === "drawing" && ai && ai.guessed && !this.ai.locked) this.ai.lock(t.word || null);
  }

  /** My provider, its last classification time and the warm-up timings, in my panel. */
  showOwnProvider() {
    const c = this.app.classifier;
    if (c.provider) this.ai.setProvider(c.provider, "your browser", c.lastMs, c.timings);
  }

  /** My own AI's state in my panel: loading (with progress), ready, or unavailable. */
  showOwnAiState() {
    const c = this.app.classifier;
    if (c.status === "ready") {
      this.ai.setReady(this.board.log.length ? null : "Start drawing — I'll guess as you go!");
    } else if (c.status === "error") {
      this.ai.setReady(`The AI is unavailable (${c.error})`, "error");
    } else {
      this.ai.setLoading(c.progress, "Getting the AI ready…");
    }
  }

  renderWord() {
    const { room } = this;
    const v = room.view;
    const t = v.turn;
    clear(this.word);
    if (!t) return;
    if (v.phase === "choosing") {
      this.word.append(h("span.word-note", room.isDrawer ? "Pick a word to draw" : `${room.nameOf(v.drawer_id)} is choosing…`));
      return;
    }
    if (t.word) {
      const label = v.phase === "turn_end" ? (this.race ? "The prompt was" : "The word was")
        : room.isDrawer || this.race ? "Draw" : "You got it";
      this.word.append(h("span.word-note", label), h("span.word-text#word-text", t.word));
      return;
    }
    const boxes = h("span.pattern#pattern", { "aria-label": `word pattern ${t.pattern}` });
    for (const ch of t.pattern || "") {
      if (ch === " ") boxes.append(h("span.gap"));
      else boxes.append(h(`span.letter${ch === "_" ? "" : ".shown"}`, ch === "_" ? "" : ch));
    }
    this.word.append(h("span.word-note", "Guess"), boxes,
      h("span.word-len", (t.word_length || []).join(" ")));
  }

  renderOverlay() {
    const { room, app } = this;
    const v = room.view;
    const sig = JSON.stringify([v.phase, v.turn && v.turn.key, v.turn && v.turn.choices, v.turn && v.turn.deltas, room.isDrawer, v.drawer_id]);
    if (sig === this.overlaySig) return; // unchanged: keep the DOM and its animations
    this.overlaySig = sig;
    clear(this.overlay);
    this.overlay.className = "overlay";
    if (v.phase === "choosing") {
      if (room.isDrawer && v.turn && v.turn.choices) {
        this.overlay.append(h("h2", "Choose a word"),
          h("div.choices#choices", v.turn.choices.map((w, i) =>
            h("button.btn.primary.choice", { type: "button", onclick: () => app.chooseWord(i) }, w))));
      } else {
        this.overlay.append(h("h2", `${room.nameOf(v.drawer_id)} is choosing a word…`), h("div.spinner"));
      }
    } else if (v.phase === "turn_end" && v.turn) {
      this.overlay.classList.add("reveal");
      const deltas = v.turn.deltas || {};
      const rows = v.players.slice().sort((a, b) => (deltas[b.id] || 0) - (deltas[a.id] || 0));
      this.overlay.append(
        h("p.reveal-label", this.race ? "The prompt was" : "The word was"),
        h("h2.reveal-word#reveal-word", v.turn.word || "?"),
        h("ul.reveal-points#reveal-points", rows.map((p, i) =>
          h(`li${deltas[p.id] ? ".scored" : ""}`, { style: { animationDelay: `${0.15 + i * 0.12}s` } },
            h("span.name", p.name), h("span.pts", deltas[p.id] ? `+${deltas[p.id]}` : "+0")))),
      );
    } else {
      this.overlay.hidden = true;
      return;
    }
    this.overlay.hidden = false;
  }

  renderTimer() {
    const r = this.app.room.remaining();
    setText(this.timer, r === null ? "" : fmtTime(r));
    this.timer.classList.toggle("urgent", r !== null && r <= 10 && this.app.room.phase === "drawing");
    const whole = r === null ? null : Math.ceil(r);
    if (whole !== this.lastTick && whole !== null && whole <= 5 && whole > 0 && this.app.room.phase === "drawing") play("tick");
    this.lastTick = whole;
  }

  renderSoundBtn() {
    clear(this.soundBtn).append(icon(soundOn() ? "soundOn" : "soundOff", { label: soundOn() ? "sounds on" : "sounds off" }));
    this.soundBtn.setAttribute("aria-pressed", String(soundOn()));
  }

  toggleSound() {
    setSound(!soundOn());
    if (!soundOn()) this.ai.voice.hush(); // muted mid-sentence: stop talking now
    this.renderSoundBtn();
    play("good");
  }

  // --- server events ------------------------------------------------------------------------

  onDraw(msg) {
    if (!msg || !Array.isArray(msg.ops)) return;
    if (this.race) {
      if (msg.player_id && msg.player_id !== this.app.room.me.id) this.raceStrip.onDraw(msg);
      return;
    }
    if (this.app.room.isDrawer) return;
    const have = this.board.log.length;
    const index = Number.isInteger(msg.index) ? msg.index : have;
    if (index > have) { this.app.resync(); return; } // missed a batch: fetch the full log
    const fresh = msg.ops.slice(have - index);
    if (fresh.length) this.board.applyOps(fresh);
    // Strokes on the board but no guess yet: not "waiting for the first stroke" any more.
    if (fresh.length && !this.ai.el.classList.contains("has-guess") && this.ai.el.dataset.state !== "loading") {
      this.ai.setStatus(`${this.drawerName()}'s AI is thinking…`);
    }
  }

  onAiGuess(msg) {
    const { room } = this.app;
    if (this.race) { this.raceStrip.onGuess(msg); return; }
    if (room.isDrawer) return; // the drawer shows its own results
    if (msg && msg.player_id && room.view.drawer_id && msg.player_id !== room.view.drawer_id) return;
    if (msg.status === "loading") {
      if (!this.ai.el.classList.contains("has-guess")) this.ai.setLoading(msg.progress ?? null, `${this.drawerName()}'s AI is loading…`);
      return;
    }
    if (msg.status === "unavailable") {
      this.ai.setReady(`${this.drawerName()}'s AI is unavailable.`, "error");
      return;
    }
    const g = normalizeGuess(msg);
    if (!g) return;
    this.ai.show(g);
    if (g.provider) this.ai.setProvider(g.provider, `${room.nameOf(room.view.drawer_id)}'s browser`);
  }

  onClassifier(msg) {
    const { room, app } = this;
    if (msg.type === "progress") {
      if (this.ownsAi() && room.turnKey) this.ai.setLoading(msg.fraction, "Getting the AI ready…");
      if (this.canDraw() && !this.race) app.sendAiStatus(this.board.log.length);
      return;
    }
    if (msg.type === "ready") {
      if (this.ownsAi()) {
        this.showOwnProvider();
        if (room.turnKey) this.showOwnAiState();
      }
      if (this.canDraw() && this.board.log.length) app.classifier.request(this.board.log, { final: true });
      return;
    }
    if (msg.type === "error") {
      if (this.ownsAi()) this.ai.setReady(`The AI is unavailable (${msg.message})`, "error");
      if (this.canDraw() && !this.race) app.sendAiStatus(this.board.log.length);
      return;
    }
    if (!this.canDraw()) return;
    this.ai.show(msg);
    this.showOwnProvider();
    app.sendGuess(msg);
  }

  onRaceRecognized(msg) {
    const mine = msg.player_id === this.app.room.me.id;
    const place = ["", "1st", "2nd", "3rd"][msg.place] || `${msg.place}th`;
    this.chat.system(`${mine ? "Your" : `${msg.name}'s`} drawing was recognized in ${msg.time} s: ${place}, +${msg.points}!`, "good");
    play("good");
  }

  restoreChat(msgs) { this.chat.restore(msgs, this.app.room.me.id); }

  onChat(msg) {
    const mine = msg.player_id === this.app.room.me.id;
    this.chat.message(msg.name, msg.text, { channel: msg.channel, mine, id: msg.player_id });
  }

  /** Like/dislike buttons for guessers (classic, drawing or reveal); the totals for everyone. */
  renderRate() {
    const { room } = this;
    const v = room.view;
    const t = v.turn;
    const open = !this.race && t && !!t.key && (v.phase === "drawing" || v.phase === "turn_end");
    this.rate.hidden = !open;
    if (!open) return;
    const rated = room.likesByTurn.get(t.key) || { likes: 0, dislikes: 0, mine: null };
    const canRate = !room.isSpectator && !room.isDrawer && rated.mine === null;
    this.likeUp.hidden = this.likeDown.hidden = !canRate;
    this.likeCount.textContent = rated.likes || rated.dislikes ? likeText(rated) : "";
  }

  onLiked(msg) {
    this.renderRate();
    if (this.app.room.isDrawer) {
      this.chat.system(`${msg.name} ${msg.like ? "likes" : "does not like"} your drawing (${likeText(msg)})`, msg.like ? "good" : "warn");
    }
  }

  onGuessed(msg) {
    if (msg.player_id === "ai" && !this.race) {
      const t = this.room.view.turn;
      this.ai.lock((t && t.word) || null, msg.at_s, msg.prob);
      this.ai.voice.claim((t && t.word) || null); // the word only to whoever knows it
    }
    const mine = msg.player_id === this.app.room.me.id;
    const ai = msg.player_id === "ai";
    const text = ai ? `The AI named the drawing at ${msg.at_s} s!`
      : mine ? `You guessed the word! +${msg.points}` : `${msg.name} guessed the word! +${msg.points}`;
    const side = msg.turn_won === "ai" ? " A point for the AI." : msg.turn_won === "humans" ? " A point for the humans!" : "";
    this.chat.system(text + side, ai ? "warn" : "good");
    if (msg.rival) this.scoreboard.updateRival(msg.rival);
    play("good");
  }

  onTurnStarted(msg) {
    if (msg.mode === "race") return; // the prompt line comes with the view (above)
    const letters = msg.word_length.join(" + ");
    this.chat.system(`Round ${msg.round}: the word has ${letters} letters.`, "turn");
  }

  onHint(msg) {
    this.chat.system(`Hint: ${msg.pattern.split("").join(" ")}`, "turn");
  }

  onCloseGuess(msg) {
    this.chat.system(`“${msg.text}” is close!`, "close");
    play("close");
  }

  onPlayerJoined(msg) {
    this.chat.system(`${msg.name} joined${msg.role === "spectator" ? " to watch" : ""}.`);
  }

  onPlayerLeft(msg) {
    const why = { kicked: " (kicked)", votekick: " (voted out)", timeout: " (connection lost)" }[msg.reason] || "";
    this.chat.system(`${msg.name} left${why}.`, "warn");
  }

  onTurnEnded(msg) {
    if (!this.race) this.ai.reveal(msg.word);
    const why = { all_guessed: "Everyone guessed it!", time: "Time's up!", drawer_left: "The drawer left." }[msg.reason] || "";
    this.chat.system(`${why} The word was “${msg.word}”.`, "turn");
  }

  onVoteKick(msg) {
    this.chat.system(`${this.app.room.nameOf(msg.voter_id)} voted to kick ${this.app.room.nameOf(msg.target_id)} (${msg.votes}/${msg.needed}).`, "warn");
  }
}
