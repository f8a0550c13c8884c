// Lobby screen: players and spectators, the host's settings form, the invite link, start.
import { memberAvatar } from "./avatar.js";
import { avatar, clear, h, logo } from "./dom.js";
import { ChatBox } from "./chat.js";
import { TrainingPanel } from "./consent.js";
import { icon } from "./icons.js";
import { AI_LEVELS, errorText } from "../protocol.js";

const LEVEL_TEXT = { easy: "Easy", normal: "Normal", hard: "Hard" };
/** "Normal: 60% sure, from 5 s" for each level the server has (thresholds and delays from the protocol). */
const levelOptions = () => Object.entries(AI_LEVELS).map(([key, lv]) =>
  [key, `${LEVEL_TEXT[key] || key}: ${Math.round(lv.threshold * 100)}% sure, from ${lv.delay} s`]);

/** The in-game rules of the Humans-vs-AI scoreline (docs/protocol.md, "Humans vs the AI"). */
export function rivalHelp() {
  return h("details.rival-help#rival-help",
    h("summary", "Humans vs the AI: how it scores"),
    h("ul",
      h("li", "Each turn goes to the side that names the drawing first: any human guesser, or the AI (checked by the server)."),
      h("li", "The AI takes no points from you: no score of its own, and the first human to guess still gets the +50 bonus."),
      h("li", "The drawer earns +50 for every correct guess, the AI's included: draw so that everyone gets it."),
      h("li", "The side with more turns wins the game. The host picks how sure the AI must be and how soon it may answer."),
      h("li", "The AI says its guesses out loud (the sound button mutes it); to someone who has not guessed yet it never says the word.")));
}

const FIELDS = [
  { key: "mode", label: "Mode", type: "select", options: [["classic", "Classic: one draws, all guess"], ["race", "Race: all draw, the AI judges"]] },
  { key: "rounds", label: "Rounds", type: "number", min: 1, max: 10 },
  { key: "draw_time", label: "Drawing time (s)", type: "number", min: 15, max: 240, step: 5 },
  { key: "word_choices", label: "Word choices", type: "number", min: 1, max: 5 },
  { key: "hints", label: "Letter hints", type: "number", min: 0, max: 5 },
  { key: "max_players", label: "Max players", type: "number", min: 2, max: 12 },
  { key: "public", label: "Public (quick play can join)", type: "checkbox" },
  { key: "custom_only", label: "Only custom words", type: "checkbox" },
  { key: "ai_player", label: "The AI plays along", type: "checkbox" },
  { key: "ai_level", label: "AI difficulty", type: "select", options: levelOptions() },
];

export class LobbyScreen {
  constructor(app) {
    this.app = app;
    this.inputs = {};
  }

  mount(root) {
    const { room } = this.app;
    const link = `${location.origin}${room.invite || `/r/${room.view.code}`}`;
    this.players = h("ul.player-list#lobby-players");
    this.spectators = h("p.spectators#lobby-spectators");
    this.training = new TrainingPanel(this.app); // who shares drawings as training data; my switch
    this.form = h("form.settings#settings", { onsubmit: (e) => { e.preventDefault(); this.save(); } });
    for (const f of FIELDS) {
      const input = f.type === "select"
        ? h("select", { name: f.key, id: `set-${f.key}` }, f.options.map(([value, text]) => h("option", { value }, text)))
        : h("input", { type: f.type, name: f.key, min: f.min, max: f.max, step: f.step, id: `set-${f.key}` });
      input.addEventListener("change", () => this.save());
      this.inputs[f.key] = input;
      this.form.append(h(`label.field${f.type === "checkbox" ? ".check" : ""}`, h("span", f.label), input));
    }
    this.words = h("textarea#set-custom_words", { rows: 3, placeholder: "Custom words, separated by commas" });
    this.words.addEventListener("change", () => this.save());
    this.form.append(h("label.field.wide", h("span", "Custom words"), this.words));
    this.start = h("button.btn.primary.big#start", { type: "button", onclick: () => this.app.startGame() }, "Start the game");
    this.status = h("p.lobby-status#lobby-status");
    // The last game's drawings stay on the server until the next game (also after a reload).
    this.galleryBtn = h("button.btn.ghost#last-gallery", { type: "button", hidden: true,
      onclick: () => this.app.showLastGame() }, "See the last game's drawings");
    this.settingsError = h("p.settings-error#settings-error", { role: "alert", hidden: true });
    this.chat = new ChatBox((text) => this.app.chat(text), (id, name) => memberAvatar(this.app.room, id, name, ".small"));
    this.chat.setPlaceholder("Say hi while you wait…");
    this.copyBtn = h("button.btn#copy-invite", { type: "button", onclick: () => this.copy(link) }, "Copy");

    root.append(h("main.screen.screen-lobby",
      h("header.topbar",
        logo(true),
        h("div.room-code", "Room ", h("strong#room-code", room.view.code)),
        h("button.btn.ghost#leave", { type: "button", onclick: () => this.app.leave() }, "Leave"),
      ),
      h("div.lobby-grid",
        h("div.lobby-left", h("section.card",
          h("h2", "Players"),
          this.players,
          this.spectators,
          this.training.el,
          h("div.invite",
            h("span", "Invite friends:"),
            h("input#invite-link", { type: "text", readonly: true, value: link, onfocus: (e) => e.target.select() }),
            this.copyBtn,
          ),
        ), this.chat.el),
        h("section.card",
          h("h2", "Settings"),
          this.form,
          this.settingsError,
          rivalHelp(),
          this.status,
          this.start,
          this.galleryBtn,
        ),
      ),
    ));
    this.restoreChat(this.app.chatLog);
    this.update();
    this.tick = setInterval(() => this.renderStatus(), 500);
  }

  /** Re-renders from the room view; `force` also overwrites the field being edited (after a refusal). */
  update(force = false) {
    const { room } = this.app;
    const v = room.view;
    // Rebuilt only when the players change: a settings change must not replay the rows' entry animation.
    const sig = JSON.stringify([v.players, v.host_id, room.me, room.isHost]);
    if (sig !== this.playersSig) this.renderPlayers(sig);
    this.training.update();
    this.renderForm(force);
  }

  renderPlayers(sig) {
    const { room } = this.app;
    const v = room.view;
    this.playersSig = sig;
    clear(this.players);
    for (const p of v.players) {
      const actions = [];
      const ai = p.kind === "ai";
      if (room.isHost && p.id !== room.me.id && !ai) {
        actions.push(h("button.btn.tiny.ghost", { type: "button", title: "Make host", onclick: () => this.app.transferHost(p.id) }, icon("crown", { size: 14 })));
        actions.push(h("button.btn.tiny.ghost.danger", { type: "button", title: "Kick", onclick: () => this.app.kick(p.id) }, icon("kick", { size: 14 })));
      }
      this.players.append(h(`li.player${p.connected || ai ? "" : ".offline"}${ai ? ".ai" : ""}`, { dataset: { id: p.id } },
        ai ? h("span.avatar.avatar-ai", icon("robot", { size: 18 })) : avatar(p.id, p.name, "", p.avatar),
        h("span.name", p.name),
        p.id === v.host_id ? h("span.badge", { title: "Host" }, icon("crown", { size: 12 }), " host") : null,
        p.id === room.me.id ? h("span.badge.me", "you") : null,
        ai ? h("span.badge", "guesses from your drawings") : null,
        p.connected || ai ? null : h("span.badge", "offline"),
        h("span.actions", actions),
      ));
    }
  }

  renderForm(force) {
    const { room } = this.app;
    const v = room.view;
    this.spectators.textContent = v.spectators.length
      ? `Watching: ${v.spectators.map((s) => s.name).join(", ")}` : "";
    const s = v.settings;
    for (const f of FIELDS) {
      const input = this.inputs[f.key];
      input.closest("label").hidden = !(f.key in s) || (f.key === "ai_level" && (!s.ai_player || s.mode === "race"));
      input.disabled = !room.isHost;
      if (!force && this.pending) continue; // the host's own edits are on their way (see save)
      // A box or a select shows the server's value at once; a field being typed in keeps its text.
      if (!force && document.activeElement === input && f.type === "number") continue;
      if (f.type === "checkbox") input.checked = !!s[f.key];
      else input.value = s[f.key];
    }
    this.words.disabled = !room.isHost;
    // The host's list is the server's (its `state` carries it); others see how many words there are.
    if (force || (!this.pending && document.activeElement !== this.words)) {
      this.words.value = s.custom_words ? s.custom_words.join(", ") : "";
    }
    this.words.placeholder = s.custom_words === null && s.custom_word_count
      ? `${s.custom_word_count} custom words (only the host sees them)` : "Custom words, separated by commas";
    const connected = room.connectedHumans();
    this.start.hidden = !room.isHost;
    this.galleryBtn.hidden = !(v.history && v.history.length);
    this.start.disabled = connected < 2;
    this.renderStatus();
  }

  renderStatus() {
    const { room } = this.app;
    const v = room.view;
    const connected = room.connectedHumans();
    const left = room.remaining();
    if (v.phase === "lobby" && left !== null && connected >= 2) {
      this.status.textContent = `The game starts by itself in ${Math.ceil(left)} s…`;
      return;
    }
    this.status.textContent = room.isSpectator
      ? "You are watching. The game starts when the host says so."
      : connected < 2
        ? "Waiting for at least one more player… share the invite link!"
        : room.isHost ? "Ready when you are." : `Waiting for ${room.nameOf(v.host_id)} to start the game…`;
  }

  async save() {
    if (!this.app.room.isHost) return;
    const settings = {};
    for (const f of FIELDS) {
      const input = this.inputs[f.key];
      if (!(f.key in this.app.room.view.settings)) continue; // a setting this server does not have
      if (f.type === "checkbox") settings[f.key] = input.checked;
      else if (f.type === "select") settings[f.key] = input.value;
      else if (input.value !== "") settings[f.key] = Number(input.value);
    }
    if (this.app.room.view.settings.custom_words === null) delete settings.custom_words; // not shown to us
    else settings.custom_words = this.words.value.split(/[,\n]/).map((w) => w.trim()).filter(Boolean);
    // One save at a time, in order: a box ticked right after typing words goes out after the words.
    // While saves are in flight the form keeps what the host typed: the room view an earlier save
    // produced would otherwise put old values back into fields the next save then reads.
    this.pending = (this.pending || 0) + 1;
    this.saving = (this.saving || Promise.resolve()).then(() => this.app.net.request("update_settings", { settings }));
    const ack = await this.saving;
    this.pending -= 1;
    if (ack.ok) {
      this.settingsError.hidden = true;
      if (!this.pending) this.update();
      return;
    }
    // Refused: the form shows the server's settings again, and why.
    const why = ack.error && ack.error.code === "bad_request" && ack.error.message ? ack.error.message : errorText(ack);
    this.settingsError.textContent = `Not saved: ${why}`;
    this.settingsError.hidden = false;
    this.update(true);
  }

  async copy(link) {
    try {
      await navigator.clipboard.writeText(link);
      this.copyBtn.textContent = "Copied!";
    } catch {
      const input = document.getElementById("invite-link");
      input.select();
      this.copyBtn.textContent = "Press Ctrl+C";
    }
    setTimeout(() => { this.copyBtn.textContent = "Copy"; }, 1500);
  }

  restoreChat(msgs) { this.chat.restore(msgs, this.app.room.me.id); }

  onChat(msg) {
    this.chat.message(msg.name, msg.text, { channel: msg.channel, mine: msg.player_id === this.app.room.me.id, id: msg.player_id });
  }

  onPlayerJoined(msg) { this.chat.system(`${msg.name} joined${msg.role === "spectator" ? " to watch" : ""}.`); }

  onPlayerLeft(msg) { this.chat.system(`${msg.name} left.`, "warn"); }

  destroy() {
    clearInterval(this.tick);
  }
}
