// The AI's voice, as in Quick, Draw!: the Web Speech API (`speechSynthesis`) says the AI's live guesses
// ("I see… a cat? a bicycle?", at most every LIVE_GAP_MS and only when they changed) and its verified
// claim ("Oh, I know, it's a cat!"). Muted by the sound toggle (ui/notify.js; on by default).
//
// Secrecy rule (docs/protocol.md, "The AI's voice"): a listener who does not know the word yet (a guesser
// before they guessed, before the reveal) never hears a label that could be it. Their client holds no word:
// the server masks the word's entry in relayed `ai_guess` messages (label null, shown "???"), so the voice
// says only the other, named labels; a masked top guess becomes "Hmm… I think I'm getting it…", and the
// verified claim "Oh, I know what it is!". Only a listener who knows the word (the drawer, a player who
// guessed it, everyone after the reveal) hears it named.

export const LIVE_GAP_MS = 2500; // live phrases: at most one per 2.5 s (a new guess arrives every ~100 ms)
const SAID = 2; // labels per live phrase
const SECRET = "???"; // as ui/aipanel.js: the masked word

function named(label) {
  return typeof label === "string" && label !== "" && label !== SECRET;
}

function article(word) {
  if (/s$/.test(word) && !/ss$/.test(word)) return "";
  return /^[aeiou]/i.test(word) ? "an " : "a ";
}

/**
 * The live phrase for guesses `labels` (best first, the word masked as "???" for a listener who does not
 * know it), or null when there is nothing to say. `knows`: whether the listener knows the word.
 */
export function livePhrase(labels, knows) {
  const list = (labels || []).slice(0, SAID);
  if (!list.length) return null;
  if (!knows && !named(list[0])) return "Hmm… I think I'm getting it…";
  const said = list.filter(named);
  if (!said.length) return null;
  return `I see… ${said.map((l) => `${article(l)}${l}?`).join(" ")}`;
}

/** The verified claim's phrase: the word only for a listener who knows it (`word` null otherwise). */
export function claimPhrase(word) {
  return named(word) ? `Oh, I know, it's ${article(word)}${word}!` : "Oh, I know what it is!";
}

export class AiVoice {
  /** @param {() => boolean} enabled whether to speak now (the sound toggle, the mode) */
  constructor(enabled, now = () => performance.now()) {
    this.enabled = enabled;
    this.now = now;
    this.newTurn();
  }

  newTurn() {
    this.lastAt = -Infinity;
    this.lastText = null;
    this.claimed = false;
    this.synth()?.cancel?.();
  }

  synth() {
    return typeof globalThis.speechSynthesis === "object" && globalThis.speechSynthesis
      && typeof globalThis.SpeechSynthesisUtterance === "function" ? globalThis.speechSynthesis : null;
  }

  /** A live guess ({labels} as the panel shows them): spoken unless too soon, unchanged or after the claim. */
  live(labels, knows) {
    if (this.claimed) return;
    const text = livePhrase(labels, knows);
    const t = this.now();
    if (!text || text === this.lastText || t - this.lastAt < LIVE_GAP_MS) return;
    if (this.say(text, false)) {
      this.lastAt = t;
      this.lastText = text;
    }
  }

  /** The server verified the AI's claim: said once per turn, cutting a live phrase short. */
  claim(word) {
    if (this.claimed) return;
    this.claimed = true;
    this.say(claimPhrase(word), true);
  }

  /** Stops whatever is being said (the sound was muted). */
  hush() {
    this.synth()?.cancel?.();
  }

  say(text, urgent) {
    const synth = this.synth();
    if (!synth || !this.enabled()) return false;
    try {
      if (urgent) synth.cancel();
      const u = new globalThis.SpeechSynthesisUtterance(text);
      u.rate = 1.05;
      u.pitch = 1.2;
      synth.speak(u);
      return true;
    } catch {
      return false; // no voices: fine, the panel says it in writing
    }
  }
}
