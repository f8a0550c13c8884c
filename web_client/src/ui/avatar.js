// Generated avatars: a colour, a face and a shape, picked on the landing page and kept in localStorage,
// sent at join as "COLOR-FACE-SHAPE" (docs/protocol.md; the counts come from the protocol mirror, the
// server checks the value). Drawn as inline SVG (no images, no markup strings). A player without one
// (null) gets the old avatar: their initial on a colour derived from their id.
import { PROTOCOL } from "../protocol.js";

const NS = "http://www.w3.org/2000/svg";
const KEY = "doodleai.avatar";
const COUNTS = PROTOCOL.avatar; // {colors, faces, shapes}
// One hue per colour index (12 steps around the wheel, readable with white features).
const hue = (i) => Math.round((i * 360) / COUNTS.colors);
export const SHAPES = ["circle", "square", "blob"];
export const FACES = ["smile", "grin", "wink", "wow", "cool", "tongue", "sleepy", "cat"];
// SVG paths on a 24x24 face (eyes and mouth), stroked; "dot" entries are filled eyes.
const FACE_PARTS = {
  smile: { eyes: "dots", mouth: "M8 14.5q4 3.5 8 0" },
  grin: { eyes: "dots", mouth: "M7.5 13.5h9q-1 5-4.5 5t-4.5-5z" },
  wink: { eyes: "wink", mouth: "M8 14.5q4 3.5 8 0" },
  wow: { eyes: "dots", mouth: "M12 13.5a2 2.2 0 110 4.4 2 2.2 0 110-4.4z" },
  cool: { eyes: "shades", mouth: "M9 15.5q3 2 6 0" },
  tongue: { eyes: "dots", mouth: "M8 14h8 M10.5 14v2.5a1.5 1.5 0 003 0V14" },
  sleepy: { eyes: "closed", mouth: "M10 16h4" },
  cat: { eyes: "dots", mouth: "M9 14.5q1.5 1.5 3 0q1.5 1.5 3 0 M5 12h3 M16 12h3" },
};

/** "C-F-S" -> {color, face, shape}, or null when it is not a valid avatar. */
export function parseAvatar(code) {
  const m = /^(\d{1,2})-(\d)-(\d)$/.exec(typeof code === "string" ? code : "");
  if (!m) return null;
  const [color, face, shape] = m.slice(1).map(Number);
  if (color >= COUNTS.colors || face >= COUNTS.faces || shape >= COUNTS.shapes || m[1] !== String(color)) return null;
  return { color, face, shape };
}

export function formatAvatar({ color, face, shape }) {
  return `${color}-${face}-${shape}`;
}

/** A random avatar (a first visit). */
export function randomAvatar(rnd = Math.random) {
  const pick = (n) => Math.floor(rnd() * n) % n;
  return formatAvatar({ color: pick(COUNTS.colors), face: pick(COUNTS.faces), shape: pick(COUNTS.shapes) });
}

/** The avatar kept in this browser (a random one is made and kept on the first visit). */
export function savedAvatar() {
  let code = null;
  try { code = localStorage.getItem(KEY); } catch { /* private mode */ }
  if (parseAvatar(code)) return code;
  code = randomAvatar();
  saveAvatar(code);
  return code;
}

export function saveAvatar(code) {
  try { localStorage.setItem(KEY, code); } catch { /* private mode */ }
}

function svg(tag, attrs) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

function faceSvg(face) {
  const parts = FACE_PARTS[FACES[face]] || FACE_PARTS.smile;
  const root = svg("svg", { viewBox: "0 0 24 24", width: "100%", height: "100%", "aria-hidden": "true",
    fill: "none", stroke: "#fff", "stroke-width": 1.8, "stroke-linecap": "round", "stroke-linejoin": "round" });
  const eyes = {
    dots: [svg("circle", { cx: 8.5, cy: 10, r: 1.3, fill: "#fff", stroke: "none" }),
      svg("circle", { cx: 15.5, cy: 10, r: 1.3, fill: "#fff", stroke: "none" })],
    wink: [svg("circle", { cx: 8.5, cy: 10, r: 1.3, fill: "#fff", stroke: "none" }), svg("path", { d: "M14 10.2h3" })],
    shades: [svg("path", { d: "M6 9h12v1.5q-1 2.5-3 2.5t-3-2q-1 2-3 2t-3-2.5z", fill: "#fff" })],
    closed: [svg("path", { d: "M7 10.5q1.5 1 3 0 M14 10.5q1.5 1 3 0" })],
  }[parts.eyes];
  root.append(...eyes, svg("path", { d: parts.mouth }));
  return root;
}

/**
 * A player's avatar element: `code` ("C-F-S") as picked, else the initial of `name` on a colour from `id`.
 * `extra`: more classes (".big").
 */
export function avatarEl(id, name, code = null, extra = "") {
  const el = document.createElement("span");
  el.className = `avatar${extra.replace(/\./g, " ")}`;
  el.setAttribute("aria-hidden", "true");
  const a = parseAvatar(code);
  if (a) {
    el.classList.add(`shape-${SHAPES[a.shape]}`);
    el.dataset.avatar = formatAvatar(a);
    el.style.background = `hsl(${hue(a.color)} 70% 52%)`;
    el.append(faceSvg(a.face));
    return el;
  }
  let hash = 0;
  for (const ch of String(id)) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  el.style.background = `hsl(${hash % 360} 70% 55%)`;
  el.textContent = (Array.from(String(name).trim())[0] || "?").toUpperCase();
  return el;
}

/** The avatar of room member `id` as the room view knows it (one who left: derived from the id). */
export function memberAvatar(room, id, name, extra = "") {
  const p = room.player(id);
  return avatarEl(id, name, p ? p.avatar : null, extra);
}
