// "Keep the drawings": the gallery's download buttons. Per drawing a PNG and an animated replay (GIF, see
// export/replay.js); for the whole game one ZIP with both for every drawing (export/zip.js).
import { buildReplay, drawingPng } from "../export/replay.js";
import { zipStore } from "../export/zip.js";
import { h } from "./dom.js";

/** A file name from the entry: "2-cat-by-Ann" (letters, digits and dashes only). */
export function fileBase(e, index) {
  const safe = (s) => String(s).normalize("NFKD").replace(/[^\w-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40) || "x";
  return `${index + 1}-${safe(e.word)}-by-${safe(e.drawer_name)}`;
}

function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Runs `fn` with the button busy (a replay takes a moment: the model re-reads every step). */
function busy(btn, fn) {
  return async () => {
    if (btn.disabled) return;
    btn.disabled = true;
    btn.classList.add("busy");
    try { await fn(); } catch (err) { console.warn("download failed", err); } finally {
      btn.disabled = false;
      btn.classList.remove("busy");
    }
  };
}

function classifier(app) {
  const c = app.classifier;
  return c && c.status === "ready" ? (ops) => c.classify(ops, 2) : null;
}

/** The PNG and replay buttons of gallery entry `e` (drawing log `ops`, `index` in the game). */
export function keepButtons(app, e, ops, index) {
  const png = h("button.btn.tiny.ghost.dl-png", { type: "button", title: "Download this drawing (PNG)" }, "PNG");
  const gif = h("button.btn.tiny.ghost.dl-replay", { type: "button", title: "Download the replay with the AI's guesses (GIF)" }, "Replay");
  png.onclick = busy(png, async () => save(await drawingPng(ops), `${fileBase(e, index)}.png`));
  gif.onclick = busy(gif, async () => {
    const r = await buildReplay(e, ops, classifier(app));
    gif.dataset.frames = String(r.frames.length);
    save(new Blob([r.bytes], { type: "image/gif" }), `${fileBase(e, index)}-replay.gif`);
  });
  return h("span.keep", png, gif);
}

/** "Download all": one ZIP with every drawing's PNG and replay. */
export function downloadAllButton(app, entries, logs, code) {
  const btn = h("button.btn.tiny#download-all", { type: "button", title: "Every drawing of this game, PNG and replay, in one ZIP" }, "Download all");
  btn.onclick = busy(btn, async () => {
    const files = [];
    for (const [i, e] of entries.entries()) {
      const ops = logs[e.key] || [];
      const png = new Uint8Array(await (await drawingPng(ops)).arrayBuffer());
      files.push({ name: `${fileBase(e, i)}.png`, data: png });
      files.push({ name: `${fileBase(e, i)}-replay.gif`, data: (await buildReplay(e, ops, classifier(app))).bytes });
    }
    save(new Blob([zipStore(files)], { type: "application/zip" }), `doodleai-${code}.zip`);
  });
  return btn;
}
