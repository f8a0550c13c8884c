// The live "AI is guessing" panel: probability bars for the top guesses, a sentence ("I see… a cat?
// a fish?"), and which execution provider runs the model (WebGL / WASM) in whose browser.
import { h, setText } from "./dom.js";
import { icon } from "./icons.js";

const SHOWN = 3;
export const SECRET = "???";
const PROVIDER_NAMES = { webgl: "WebGL", wasm: "WASM", webgpu: "WebGPU" };
/** The execution providers `ai_guess` may name (docs/protocol.md: any other value is a bad_request). */
export const PROVIDERS = Object.freeze(Object.keys(PROVIDER_NAMES));

/** `p` if the protocol allows it as `ai_guess.provider`, else null (then the field is left out). */
export function wireProvider(p) {
  return PROVIDERS.includes(p) ? p : null;
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
  constructor() {
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

  show(guess) {
    const g = normalizeGuess(guess);
    if (!g || !g.labels.length) return;
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
    const confident = g.probs[0] >= 0.5;
    const say = (l) => (l === SECRET ? "the secret word" : `${article(l)}${l}`);
    setText(this.sentence, confident
      ? `I know, it's ${say(top[0])}!`
      : `I see… ${top.slice(0, 2).map((l) => `${say(l)}?`).join(" ")}`);
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
