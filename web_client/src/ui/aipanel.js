// The live "AI is guessing" panel: probability bars for the top guesses, a sentence ("I see… a cat?
// a fish?"), and which execution provider runs the model (WebGL / WASM) in whose browser.
import { h, setText } from "./dom.js";
import { icon } from "./icons.js";
import { CLAIM_THRESHOLD, LIMITS, PROVIDER_NAMES as WIRE_PROVIDERS } from "../protocol.js";

const SHOWN = 3;
const CONFIDENT = CLAIM_THRESHOLD; // as a claim (game_server/claims.py, via the protocol mirror)
const STABLE = 3; // results in a row with the same confident top guess before a guesser's AI "knows"
export const SECRET = "???";
const PROVIDER_NAMES = { webgl: "WebGL", wasm: "WASM", webgpu: "WebGPU" };
/** The execution providers `ai_guess` may name (the protocol schema: any other value is a bad_request). */
export const PROVIDERS = WIRE_PROVIDERS;

/** `p` if the protocol allows it as `ai_guess.provider`, else null (then the field is left out). */
export function wireProvider(p) {
  return PROVIDERS.includes(p) ? p : null;
}

/**
 * The `ai_guess` payload for a classification `res` ({labels, probs, strokes}) of turn `turnKey`:
 * {turn, stroke_count, guesses: [{label, prob}], provider?}, at most the protocol's number of guesses.
 */
export function guessPayload(turnKey, res, provider) {
  const payload = {
    turn: turnKey,
    stroke_count: res.strokes,
    guesses: res.labels.slice(0, LIMITS.guesses).map((label, i) => ({ label, prob: res.probs[i] })),
  };
  const wire = wireProvider(provider);
  if (wire) payload.provider = wire; // left out when unknown: the server refuses other values
  return payload;
}

/** Normalizes a guess from the local classifier or from the server relay to {labels, probs, strokes}. */
export function normalizeGuess(msg) {
  if (!msg || typeof msg !== "object") return null;
  let labels = msg.labels;
  let probs = msg.probs;
  if (Array.isArray(msg.guesses)) {
    labels = msg.guesses.map((g) => g && g.label);
    probs = msg.guesses.map((g) => g && g.prob);
  }
  if (!Array.isArray(labels) || !Array.isArray(probs) || labels.length !== probs.length) return null;
  // A guesser's copy hides the secret word's label (null): shown as "???".
  const rows = labels.map((l, i) => [l === null || l === undefined ? SECRET : String(l), Number(probs[i])])
    .filter(([, p]) => Number.isFinite(p));
  rows.sort((a, b) => b[1] - a[1]);
  return {
    labels: rows.map((r) => r[0]),
    probs: rows.map((r) => r[1]),
    strokes: Number.isInteger(msg.strokes) ? msg.strokes : Number.isInteger(msg.stroke_count) ? msg.stroke_count : null,
    provider: typeof msg.provider === "string" ? msg.provider : null,
  };
}

export function providerName(p) {
  return PROVIDER_NAMES[p] || (p ? String(p) : "");
}

export class AiPanel {
  /** @param {import("./voice.js").AiVoice | null} voice speaks the live guesses (ui/voice.js) */
  constructor(voice = null) {
    this.voice = voice;
    this.rows = [];
    this.sentence = h("p.ai-sentence#ai-sentence", "Waiting for the first stroke…");
    this.bars = h("ol.ai-bars#ai-bars");
    for (let i = 0; i < SHOWN; i++) {
      const label = h("span.ai-label");
      const pct = h("span.ai-pct");
      const fill = h("span.ai-fill");
      const li = h("li.ai-bar", { hidden: true }, h("span.ai-track", fill), label, pct);
      this.rows.push({ li, label, pct, fill });
      this.bars.append(li);
    }
    this.provider = h("span.ai-provider#ai-provider", { title: "Where the model runs" }, "");
    this.meter = h("progress.ai-progress#ai-progress", { max: 100, value: 0, hidden: true });
    this.el = h("section.card.ai-panel#ai-panel", { dataset: { strokes: "", provider: "" }, "aria-live": "polite" },
      h("header.ai-head", h("span.ai-eye", icon("robot", { size: 22 })), h("h3", "The AI is guessing"), this.provider),
      this.sentence,
      this.meter,
      this.bars,
    );
  }

  /** The model is loading (`fraction` 0..1, or null when unknown): a progress bar and a sentence. */
  setLoading(fraction, text) {
    this.el.dataset.state = "loading";
    this.meter.hidden = false;
    if (typeof fraction === "number") this.meter.value = Math.round(fraction * 100);
    else this.meter.removeAttribute("value");
    const pct = typeof fraction === "number" ? ` ${Math.round(fraction * 100)}%` : "";
    setText(this.sentence, `${text}${pct}`);
  }

  /** The model is ready (or failed: `state` "error"); the progress bar goes away. */
  setReady(text, state = "ready") {
    this.el.dataset.state = state;
    this.meter.hidden = true;
    if (text) setText(this.sentence, text);
  }

  reset(text = "Waiting for the first stroke…") {
    setText(this.sentence, text);
    for (const r of this.rows) r.li.hidden = true;
    this.el.dataset.strokes = "";
    this.el.dataset.labels = "";
    this.el.dataset.probs = "";
    this.el.classList.remove("has-guess");
  }

  /** Which provider runs, in whose browser, and (mine) how long a classification takes. */
  setProvider(provider, whose = "", ms = null, timings = null) {
    this.el.dataset.provider = provider || "";
    this.el.dataset.ms = typeof ms === "number" ? String(Math.round(ms * 10) / 10) : "";
    const name = providerName(provider);
    const time = typeof ms === "number" ? ` · ${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms` : "";
    setText(this.provider, name ? `${name}${time}${whose ? ` · ${whose}` : ""}` : whose);
    if (timings) {
      this.provider.title = `Measured at warm-up: ${Object.entries(timings)
        .map(([p, t]) => `${providerName(p)} ${t} ms`).join(", ")}; the faster one runs`;
    }
  }

  setStatus(text) {
    setText(this.sentence, text);
  }

  /**
   * The word, when this viewer knows it (the drawer, a player who guessed it; everyone at the reveal):
   * then "Oh, I know" is said only when the top guess IS the word.
   */
  setWord(word) {
    this.word = word ? String(word).trim().toLowerCase() : null;
  }

  /** A new turn: no streak, not locked, no word. */
  newTurn(text) {
    this.reset(text);
    this.word = null;
    this.streak = { label: null, count: 0 };
    this.locked = false;
    this.el.dataset.locked = "";
    this.el.classList.remove("recognized");
    this.voice?.newTurn();
  }

  /**
   * The server verified the AI's recognition: the panel holds it (later guesses no longer move the bars).
   * `word` is the word when this viewer may see it, else null ("???" until the reveal).
   */
  lock(word, atS, prob) {
    this.locked = true;
    this.el.dataset.locked = "1";
    this.el.classList.add("recognized");
    const shown = word || SECRET;
    const r = this.rows[0];
    r.li.hidden = false;
    setText(r.label, shown);
    r.li.classList.toggle("secret", shown === SECRET);
    r.li.classList.add("top");
    if (typeof prob === "number") {
      setText(r.pct, `${Math.round(prob * 100)}%`);
      r.fill.style.width = `${Math.max(2, Math.round(prob * 100))}%`;
    }
    const when = typeof atS === "number" ? ` (${atS} s)` : "";
    setText(this.sentence, word ? `Got it! It's ${article(word)}${word}!${when}` : `Got it — the AI knows the word!${when}`);
  }

  /** The turn's word is out: every "???" on the panel becomes the word. */
  reveal(word) {
    if (!word) return;
    this.setWord(word);
    for (const r of this.rows) {
      if (r.label.textContent === SECRET) {
        setText(r.label, word);
        r.li.classList.remove("secret");
      }
    }
    if (this.sentence.textContent.includes(SECRET) || this.sentence.textContent.includes("the secret word")
      || this.sentence.textContent.includes("knows the word")) {
      setText(this.sentence, this.locked ? `Got it! It was ${article(word)}${word}.` : `It was ${article(word)}${word}.`);
    }
    if (this.el.dataset.labels) {
      this.el.dataset.labels = JSON.stringify(JSON.parse(this.el.dataset.labels).map((l) => (l === SECRET ? word : l)));
    }
  }

  /**
   * The AI's words, as in Quick, Draw!: "I see a cat… or maybe a fish…" while unsure; "Oh, I know, it's
   * a cat!" only when the top guess is the word (a viewer who knows it), or, for a viewer who does not,
   * when the same top guess stays confident (p >= 0.5) for STABLE results in a row.
   */
  sentenceFor(labels, probs) {
    const say = (l) => (l === SECRET ? "the secret word" : `${article(l)}${l}`);
    const top = labels[0];
    const confident = probs[0] >= CONFIDENT;
    const streak = this.streak || (this.streak = { label: null, count: 0 });
    if (confident && streak.label === top) streak.count += 1;
    else Object.assign(streak, { label: confident ? top : null, count: confident ? 1 : 0 });
    const knows = this.word
      ? confident && top !== SECRET && top.toLowerCase() === this.word
      : streak.count >= STABLE;
    if (knows) return `Oh, I know, it's ${say(top)}!`;
    return labels.length > 1 ? `I see ${say(top)}… or maybe ${say(labels[1])}…` : `I see ${say(top)}…`;
  }

  show(guess) {
    const g = normalizeGuess(guess);
    if (!g || !g.labels.length || this.locked) return;
    this.el.dataset.state = "ready";
    this.meter.hidden = true;
    const top = g.labels.slice(0, SHOWN);
    this.rows.forEach((r, i) => {
      r.li.hidden = i >= top.length;
      if (i >= top.length) return;
      const p = g.probs[i];
      setText(r.label, g.labels[i]);
      r.li.classList.toggle("secret", g.labels[i] === SECRET);
      setText(r.pct, `${Math.round(p * 100)}%`);
      r.fill.style.width = `${Math.max(2, Math.round(p * 100))}%`;
      r.li.classList.toggle("top", i === 0);
    });
    setText(this.sentence, this.sentenceFor(g.labels, g.probs));
    this.voice?.live(top, !!this.word); // a listener without the word hears only the named labels
    this.el.classList.add("has-guess");
    this.el.classList.remove("thinking");
    void this.el.offsetWidth; // restart the one-shot wiggle
    this.el.classList.add("thinking");
    this.el.dataset.labels = JSON.stringify(top);
    this.el.dataset.probs = JSON.stringify(g.probs.slice(0, SHOWN));
    this.el.dataset.strokes = g.strokes === null ? "" : String(g.strokes);
    if (g.provider) this.el.dataset.provider = g.provider;
  }
}

function article(word) {
  if (/s$/.test(word) && !/ss$/.test(word)) return "";
  return /^[aeiou]/i.test(word) ? "an " : "a ";
}
