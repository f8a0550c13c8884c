// DoodleAI browser client: wires the socket (net), the room model, the classifier and the screens.
// Picks the screen from the room's phase: landing (no room) -> lobby -> game -> end -> lobby…
import { Classifier } from "./classifier.js";
import { DrawSender, Net } from "./net.js";
import { AI_LEVELS, CLAIM_THRESHOLD, errorText } from "./protocol.js";
import { Room } from "./room.js";
import { guessPayload } from "./ui/aipanel.js";
import { savedAvatar } from "./ui/avatar.js";
import { consentFields, rememberContributor } from "./ui/consent.js";
import { clear } from "./ui/dom.js";
import { EndScreen } from "./ui/end.js";
import { GameScreen } from "./ui/game.js";
import { LandingScreen, RejoinScreen } from "./ui/landing.js";
import { LobbyScreen } from "./ui/lobby.js";
import { play, toast, updateBanner } from "./ui/notify.js";

const VIEW_INTERVAL_MS = 300; // live AI views to the server (it accepts 4/s, burst 8)
const CLAIM_RETRY_MS = 4000;
const CHAT_KEEP = 50; // as game_server/core/chat.py

const SCREENS = { rejoin: RejoinScreen, landing: LandingScreen, lobby: LobbyScreen, game: GameScreen, end: EndScreen };

class App {
  constructor(root) {
    this.root = root;
    this.room = new Room();
    this.net = new Net();
    const params = new URLSearchParams(location.search);
    const forced = params.get("ai"); // ?ai=wasm forces a provider (debugging, benchmarks)
    // ?ai_slow=webgl (or wasm): that provider's warm-up timing gets +1 s, so it loses (a test hook)
    const slow = params.get("ai_slow");
    this.classifier = new Classifier(forced ? { providers: [forced] } : slow ? { slow: { [slow]: 1000 } } : {});
    this.drawSender = new DrawSender(this.net, (ack) => {
      // A batch that lands after the turn ended is simply late; only a full canvas is worth a word.
      if (ack.error && ack.error.code === "draw_limit") toast(errorText(ack), "warn");
      else if (ack.error && ack.error.code === "seq_gap") this.resync();
      else console.warn("draw batch refused", ack.error);
    });
    this.screen = null;
    this.screenName = null;
    this.drawing = null; // {key, ops} from the last join/rejoin/get_state ack
    this.endDismissed = false;
    this.lastGameKey = null;
    this.chatLog = []; // the room's recent chat (join/rejoin acks, then live): every screen's chat box shows it
    this.bindNet();
    updateBanner(this.net.status);
    this.render();
    // Load and warm the model while the player is still on the landing page or in the lobby, so it is
    // ready before the first stroke (one worker per page, kept across turns and games; the files come
    // from the HTTP cache after a reload). After the first paint, so the page shows at once.
    setTimeout(() => this.classifier.init().catch(() => {}), 0);
  }

  bindNet() {
    const net = this.net;
    net.on("status", (s) => {
      updateBanner(s);
      if (s === "outdated") this.render();
      if (s === "online" && !net.session && this.room.view) {
        toast("Could not get your seat back.", "warn");
      }
    });
    net.on("rejoined", (ack) => { this.entered(ack); toast("Reconnected — welcome back!", "good", 2000); });
    net.on("session_lost", (ack) => {
      this.room.reset();
      this.render();
      toast(`${errorText(ack)} Join again from here.`, "warn");
    });
    net.on("state", (view) => { if (this.room.setView(view)) this.render(); });
    net.on("draw", (msg) => this.screenCall("onDraw", msg));
    net.on("ai_guess", (msg) => this.screenCall("onAiGuess", msg));
    net.on("chat", (msg) => {
      this.chatLog.push(msg);
      if (this.chatLog.length > CHAT_KEEP) this.chatLog.splice(0, this.chatLog.length - CHAT_KEEP);
      this.screenCall("onChat", msg);
    });
    net.on("guessed", (msg) => this.screenCall("onGuessed", msg));
    net.on("close_guess", (msg) => this.screenCall("onCloseGuess", msg));
    net.on("player_joined", (msg) => this.screenCall("onPlayerJoined", msg));
    net.on("player_left", (msg) => this.screenCall("onPlayerLeft", msg));
    net.on("turn_started", (msg) => this.screenCall("onTurnStarted", msg));
    net.on("hint", (msg) => this.screenCall("onHint", msg));
    net.on("turn_ended", (msg) => this.screenCall("onTurnEnded", msg));
    net.on("vote_kick", (msg) => this.screenCall("onVoteKick", msg));
    net.on("race_recognized", (msg) => this.screenCall("onRaceRecognized", msg));
    net.on("liked", (msg) => { this.room.noteLike(msg); this.screenCall("onLiked", msg); });
    net.on("game_ended", (msg) => {
      if (msg && msg.ranking) this.room.lastRanking = msg.ranking;
      this.room.lastRival = (msg && msg.rival) || null; // Humans vs AI: {humans, ai, winner}
    });
    net.on("kicked", (msg) => this.gone(msg && msg.reason === "votekick" ? "The players voted you out." : "The host removed you from the room."));
    net.on("replaced", () => this.gone("This seat was taken over by another tab or device."));
  }

  screenCall(method, msg) {
    if (this.screen && typeof this.screen[method] === "function") this.screen[method](msg || {});
  }

  gone(text) {
    this.net.forgetSession();
    this.room.reset();
    this.chatLog = [];
    history.replaceState(null, "", "/");
    this.render();
    toast(text, "warn", 6000);
  }

  // --- actions (called by the screens) ---------------------------------------------------

  async enter(event, payload) {
    const ack = await this.net.request(event, payload);
    if (!ack.ok) {
      this.screenCall("showError", errorText(ack));
      return ack;
    }
    this.entered(ack);
    return ack;
  }

  entered(ack) {
    this.net.rememberSession(ack);
    this.contributor = ack.contributor || ""; // mine while I share (only ever sent to me)
    rememberContributor(ack.contributor);
    this.room.join(ack);
    this.drawing = ack.drawing || null;
    if (this.room.view && location.pathname !== `/r/${this.room.view.code}`) {
      history.replaceState(null, "", `/r/${this.room.view.code}`);
    }
    if (this.screenName === "game") this.screen.turnKey = undefined; // reload the drawing
    if (Array.isArray(ack.chat)) this.chatLog = ack.chat.slice(-CHAT_KEEP); // what I may read, from the server
    const was = this.screenName;
    this.render();
    if (this.screenName === was) this.screenCall("restoreChat", this.chatLog); // a new screen shows it at mount
  }

  /** The join ack's drawing, once, if it belongs to turn `key`. */
  takeDrawing(key) {
    const d = this.drawing;
    this.drawing = null;
    return d && d.key === key ? d : null;
  }

  // Every join carries the avatar kept in this browser (ui/avatar.js; picked on the landing page).
  // `consent`: the landing checkbox, "let my drawings help train the AI" (off by default; ui/consent.js)
  createRoom(name, consent) { return this.enter("create_room", { name, avatar: savedAvatar(), ...consentFields(consent) }); }
  joinRoom(code, name, spectate, consent) {
    return this.enter("join_room", { code, name, spectate: !!spectate, avatar: savedAvatar(), ...consentFields(consent && !spectate) });
  }
  quickPlay(name, consent) { return this.enter("quick_play", { name, avatar: savedAvatar(), ...consentFields(consent) }); }

  /** Starts or stops sharing my drawings as training data (revocable at any time). */
  async setConsent(on) {
    const ack = await this.action("set_consent", consentFields(on));
    if (ack.ok) {
      this.contributor = ack.contributor || "";
      rememberContributor(ack.contributor);
    }
    if (this.screen && this.screen.training) this.screen.training.update(); // the id came with the ack
    return ack;
  }

  async leave() {
    await this.net.request("leave_room", {});
    this.net.forgetSession();
    this.room.reset();
    this.chatLog = [];
    history.replaceState(null, "", "/");
    this.render();
  }

  async action(event, payload) {
    const ack = await this.net.request(event, payload);
    if (!ack.ok) toast(errorText(ack), "warn");
    return ack;
  }

  startGame() { this.endDismissed = true; return this.action("start_game", {}); }
  updateSettings(settings) { return this.action("update_settings", { settings }); }
  chooseWord(index) { return this.action("choose_word", { index }); }
  /** Likes (true) or dislikes (false) the current turn's drawing; once per turn, never scores. */
  like(like) {
    const t = this.room.view && this.room.view.turn;
    return t ? this.action("like", { turn: t.key, like }) : Promise.resolve({ ok: false });
  }
  kick(id) { return this.action("kick", { player_id: id }); }
  voteKick(id) { return this.action("vote_kick", { player_id: id }); }
  transferHost(id) { return this.action("transfer_host", { player_id: id }); }

  async chat(text) {
    const ack = await this.action("chat", { text });
    if (ack.ok && ack.result === "correct") play("good");
  }

  async resync() {
    const ack = await this.net.request("get_state", {});
    if (ack.ok) {
      this.room.view = null;
      this.room.setView(ack.state);
      this.drawing = ack.drawing || null;
      if (this.screenName === "game") this.screen.turnKey = undefined;
      this.render();
    }
  }

  /**
   * Sends my AI's guesses as `ai_guess {turn, stroke_count, guesses: [{label, prob}], provider?}`
   * (docs/protocol.md); `provider` tells the others which execution provider runs my model.
   * The panel updates every ~100 ms locally, but the server takes 4/s, so live views go out volatile at
   * most every VIEW_INTERVAL_MS (the newest one trails). A guess naming the word (top-1, p >= 0.5) is a
   * claim the server verifies on its own copy of the strokes: sent with an ack, one at a time, and not
   * again once the AI got it. After a refused claim the next one waits for new strokes and a few seconds,
   * so an honest client never nears the server's forgery limit.
   */
  sendGuess(res) {
    const v = this.room.view;
    const turn = v && v.turn;
    if (!turn || !turn.key) return;
    let g = this.guessState;
    if (!g || g.key !== turn.key) {
      if (g) { clearTimeout(g.timer); clearTimeout(g.claimTimer); }
      g = this.guessState = { key: turn.key, lastAt: 0, timer: null, latest: null, claimBusy: false,
        claimDone: false, retryAfter: 0, refusedAt: -1 };
    }
    const payload = guessPayload(turn.key, res, res.provider || this.classifier.provider);
    const word = (turn.word || "").trim().toLowerCase();
    // The room's AI level may ask for more certainty than the protocol's floor (the server checks it anyway).
    const level = AI_LEVELS[v.settings && v.settings.ai_level];
    const threshold = Math.max(CLAIM_THRESHOLD, level ? level.threshold : 0);
    const claim = word && res.labels[0] && res.labels[0].toLowerCase() === word && res.probs[0] >= threshold;
    const now = performance.now();
    if (claim && !g.claimDone && !g.claimBusy && now >= g.retryAfter && res.strokes > g.refusedAt) {
      g.claimBusy = true;
      g.lastAt = now;
      g.lastClaim = payload;
      this.net.request("ai_guess", payload).then((ack) => this.claimAnswered(g, ack, res.strokes));
      return;
    }
    g.latest = payload;
    const flush = () => {
      g.timer = null;
      if (!g.latest || this.guessState !== g) return;
      this.net.volatile("ai_guess", g.latest);
      g.latest = null;
      g.lastAt = performance.now();
    };
    const wait = g.lastAt + VIEW_INTERVAL_MS - now;
    if (wait <= 0) flush();
    else if (!g.timer) g.timer = setTimeout(flush, wait);
  }

  /**
   * While my AI is not ready in my turn, tells the others so (`ai_guess` with `status`, no guesses;
   * docs/protocol.md): "Ann's AI is loading… 40%". Volatile and at most every second.
   */
  sendAiStatus(strokes) {
    const turn = this.room.view && this.room.view.turn;
    const status = this.classifier.status === "error" ? "unavailable" : this.classifier.status === "ready" ? null : "loading";
    if (!turn || !turn.key || !status) return;
    const now = performance.now();
    if (this.aiStatusSent && this.aiStatusSent.key === turn.key && now - this.aiStatusSent.at < 1000
      && this.aiStatusSent.status === status) return;
    this.aiStatusSent = { key: turn.key, at: now, status };
    const payload = { turn: turn.key, stroke_count: strokes, guesses: [], status };
    if (status === "loading") payload.progress = Math.round(this.classifier.progress * 100) / 100;
    this.net.volatile("ai_guess", payload);
  }

  claimAnswered(g, ack, strokes) {
    g.claimBusy = false;
    const verdict = ack.verdict;
    if (ack.ok && ack.reason === "too_early") {
      // The host's level lets the AI answer only later: send the same claim again then (new strokes or not).
      const wait = Math.max(0.1, Number(ack.wait_s) || 1) * 1000;
      g.retryAfter = performance.now() + wait;
      clearTimeout(g.claimTimer);
      g.claimTimer = setTimeout(() => {
        if (this.guessState !== g || g.claimDone || g.claimBusy || !g.lastClaim) return;
        g.claimBusy = true;
        this.net.request("ai_guess", g.lastClaim).then((a) => this.claimAnswered(g, a, strokes));
      }, wait);
      return;
    }
    if (ack.ok && (verdict === "verified" || verdict === "unavailable" || ack.reason === "already_recognized"
      || ack.reason === "no_ai_player")) {
      g.claimDone = true;
    } else {
      g.refusedAt = strokes; // refused (or lost): wait for new strokes and a few seconds before the next
      g.retryAfter = performance.now() + CLAIM_RETRY_MS;
    }
    if (ack.ok && ack.scored) {
      // ack.points are the AI's; the drawer's own gain shows on the scoreboard.
      toast("The AI recognized your drawing!", "good");
    }
  }

  startOver() {
    this.net.forgetSession();
    this.room.reset();
    this.chatLog = [];
    this.render();
  }

  /** Back to the game-end screen (the server's gallery) from the lobby. */
  showLastGame() {
    this.room.lastRanking = this.room.lastRanking || [];
    this.endDismissed = false;
    this.render();
  }

  dismissEnd() {
    this.endDismissed = true;
    this.render();
  }

  // --- screens -----------------------------------------------------------------------------

  pickScreen() {
    const v = this.room.view;
    if (!v || !this.room.me) return this.net.session && this.net.status !== "outdated" ? "rejoin" : "landing";
    const gameKey = `${v.code}:${v.round}:${v.phase}`;
    if (v.phase === "game_end") {
      if (this.lastGameKey !== gameKey) this.endDismissed = false;
      this.lastGameKey = gameKey;
      return this.endDismissed ? "lobby" : "end";
    }
    if (v.phase === "lobby") return this.room.lastRanking && !this.endDismissed ? "end" : "lobby";
    return "game";
  }

  render() {
    const v = this.room.view;
    if (v && v.phase !== "lobby" && v.phase !== "game_end" && this.screenName !== "game") {
      // A new game starts: forget the last one's ranking (its gallery is the server's: ui/end.js).
      if (v.round <= 1 && this.screenName !== null) this.room.likesByTurn.clear();
      this.room.lastRanking = null;
      this.endDismissed = false;
      if (!this.room.isSpectator) this.classifier.init().catch(() => {}); // started at page load already
    }
    const name = this.pickScreen();
    if (name !== this.screenName) {
      this.screen?.destroy();
      clear(this.root);
      this.screenName = name;
      this.screen = new SCREENS[name](this);
      this.screen.mount(this.root);
      document.body.dataset.screen = name;
    } else {
      this.screen.update();
    }
  }
}

const app = new App(document.getElementById("app"));
window.__doodleai = app; // for the browser tests and the bench
