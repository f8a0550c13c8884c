// The gallery's keepsakes: a drawing as a PNG (the 800x600 board on white, as renderOps draws it) and as an
// animated GIF replay, one frame per op of the drawing's log (so at least one per stroke batch the drawer
// sent), captioned with the AI's guesses at that point (the local model, re-run on the log's prefix) and,
// on the last frame, the server's verdict.
import { HEIGHT, WIDTH, COLORS, renderOps } from "../canvas.js";
import { encodeGif, indexFrame, makePalette, quantizer } from "./gif.js";

const SCALE = 1 / 2; // replay frames are half the board: 400x300 plus the caption band
const CAPTION_H = 44;
const FRAME_DELAY = 12; // hundredths of a second per op
const LAST_DELAY = 300;
const MAX_CLASSIFY = 60; // model runs per replay (captions carry over between them)

/** The replay's frames: after op 1, after op 2, … (the prefix length each frame shows). Pure. */
export function replayFrames(ops) {
  return ops.map((_, i) => ({ upto: i + 1 }));
}

/** "The AI: cat? bicycle?" from a classification ({labels}), or a waiting line. */
export function guessCaption(res) {
  const labels = res && Array.isArray(res.labels) ? res.labels.slice(0, 2) : [];
  return labels.length ? `The AI: ${labels.map((l) => `${l}?`).join(" ")}` : "The AI is watching…";
}

/** The last frame's line: the server-verified recognition of gallery entry `e` (core/history.py). */
export function verdictCaption(e) {
  return e.ai ? `The AI got "${e.word}" at ${e.ai.at_s.toFixed(1)} s` : `"${e.word}": the AI did not get it`;
}

/** The drawing of `ops` as a PNG Blob, 800x600 on white (as the board shows it). */
export function drawingPng(ops) {
  const canvas = document.createElement("canvas");
  canvas.width = WIDTH;
  canvas.height = HEIGHT;
  renderOps(canvas, ops);
  return new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
}

/**
 * The animated replay of gallery entry `e` with drawing log `ops`: {bytes (GIF), frames: [{upto, caption}]}.
 * `classify(ops)` -> Promise<{labels}> runs the model (null: no captions from the model).
 */
export async function buildReplay(e, ops, classify = null) {
  const w = Math.round(WIDTH * SCALE);
  const hDraw = Math.round(HEIGHT * SCALE);
  const frame = document.createElement("canvas");
  frame.width = w;
  frame.height = hDraw + CAPTION_H;
  const art = document.createElement("canvas");
  art.width = w;
  art.height = hDraw;
  const ctx = frame.getContext("2d", { willReadFrequently: true });
  const palette = makePalette(COLORS);
  const quantize = quantizer(palette);
  const frames = replayFrames(ops);
  const every = Math.max(1, Math.ceil(frames.length / MAX_CLASSIFY));
  let caption = guessCaption(null);
  const out = [];
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i];
    const last = i === frames.length - 1;
    if (classify && (i % every === 0 || last)) {
      try { caption = guessCaption(await classify(ops.slice(0, f.upto))); } catch { /* keep the last line */ }
    }
    f.caption = last ? `${caption} · ${verdictCaption(e)}` : caption;
    renderOps(art, ops.slice(0, f.upto));
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, frame.width, frame.height);
    ctx.drawImage(art, 0, 0);
    ctx.fillStyle = "#000000";
    ctx.fillRect(0, hDraw, w, 1);
    ctx.font = "bold 15px sans-serif";
    ctx.textBaseline = "middle";
    ctx.fillText(f.caption, 8, hDraw + CAPTION_H / 2, w - 16);
    const rgba = ctx.getImageData(0, 0, frame.width, frame.height).data;
    out.push({ indices: indexFrame(rgba, quantize), delay: last ? LAST_DELAY : FRAME_DELAY });
  }
  if (!out.length) { // an empty drawing: one frame with the verdict
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, frame.width, frame.height);
    const rgba = ctx.getImageData(0, 0, frame.width, frame.height).data;
    out.push({ indices: indexFrame(rgba, quantize), delay: LAST_DELAY });
  }
  return { bytes: encodeGif(frame.width, frame.height, palette, out), frames };
}
