// Connection banner, toasts, and sounds: blips and the AI's voice (on by default; muting is remembered).
import { h } from "./dom.js";

const STATUS_TEXT = {
  connecting: "Connecting to the server…",
  reconnecting: "Connection lost — reconnecting…",
  offline: "Disconnected.",
  outdated: "This page is out of date — please reload.",
};

export function updateBanner(status) {
  const el = document.getElementById("banner");
  const text = STATUS_TEXT[status];
  el.hidden = !text;
  el.dataset.status = status;
  el.textContent = text || "";
}

export function toast(text, kind = "info", ms = 3500) {
  const box = document.getElementById("toasts");
  const el = h(`div.toast.toast-${kind}`, { role: "status" }, text);
  box.append(el);
  setTimeout(() => el.classList.add("leaving"), ms);
  setTimeout(() => el.remove(), ms + 400);
  return el;
}

const SOUND_KEY = "doodleai.sound";
let audio = null;

export function soundOn() {
  try { return localStorage.getItem(SOUND_KEY) !== "off"; } catch { return true; }
}

export function setSound(on) {
  try { localStorage.setItem(SOUND_KEY, on ? "on" : "off"); } catch { /* private mode */ }
}

/** A short synthesized blip (no audio files): "good", "close", "tick", "start", "end". */
export function play(kind) {
  if (!soundOn()) return;
  try {
    audio = audio || new AudioContext();
    const notes = { good: [660, 880], close: [440], tick: [1000], start: [523, 659, 784], end: [784, 523] }[kind] || [600];
    notes.forEach((f, i) => {
      const o = audio.createOscillator();
      const g = audio.createGain();
      const t = audio.currentTime + i * 0.09;
      o.frequency.value = f;
      o.type = "triangle";
      g.gain.setValueAtTime(0.0001, t);
      g.gain.exponentialRampToValueAtTime(kind === "tick" ? 0.05 : 0.15, t + 0.01);
      g.gain.exponentialRampToValueAtTime(0.0001, t + 0.16);
      o.connect(g).connect(audio.destination);
      o.start(t);
      o.stop(t + 0.2);
    });
  } catch { /* no audio: fine */ }
}
