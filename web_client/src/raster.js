// The model's input contract in JavaScript: a drawing -> Float32Array(784), row-major 28x28, ink 1.
// The exact twin of doodle_raster/raster.py (same steps, same float64 operation order, floor(v + 0.5)
// rounding, same RDP); tests/raster/test_parity.py holds the two together. Depends only on the
// protocol's constants: an ES module for the browser (classifier worker) and for Node
// (tools/raster-cli.mjs). Spec: docs/rasterizer.md.
import { CANVAS } from "./protocol.js";

export const SIDE = 28;
export const BOX = 256;
export const PADDING = 16;
export const LINE_WIDTH = 16;
export const RDP_EPSILON = 2.0;
export const CANVAS_WIDTH = CANVAS.width;
export const CANVAS_HEIGHT = CANVAS.height;

const NPIX = SIDE * SIDE;

/**
 * Replay a drawing log into its visible strokes, in start order: [{tool, width, points: [[x, y]...]}].
 * `stroke` starts a stroke; `points` extends the most recently started visible stroke with that id
 * (points for an undone, cleared or unknown stroke are dropped); `undo` removes the most recently
 * started visible stroke; `clear` removes all; unknown op types are ignored.
 */
export function visibleStrokes(ops) {
  const live = [];
  for (const op of ops) {
    const kind = op.type;
    if (kind === "stroke") {
      const tool = op.tool === "eraser" ? "eraser" : "pen";
      live.push({ id: op.id, tool, width: Number(op.width) || 0, chunks: [op.points || []] });
    } else if (kind === "points") {
      for (let k = live.length - 1; k >= 0; k--) {
        if (live[k].id === op.id) {
          live[k].chunks.push(op.points || []);
          break;
        }
      }
    } else if (kind === "undo") {
      live.pop();
    } else if (kind === "clear") {
      live.length = 0;
    }
  }
  return live.map((s) => {
    const points = [];
    for (const chunk of s.chunks) for (const p of chunk) points.push([Number(p[0]), Number(p[1])]);
    return { tool: s.tool, width: s.width, points };
  });
}

/** Rasterize a game drawing log (canvas space 800x600) into the model input: Float32Array(784). */
export function rasterizeOps(ops, lineWidth = LINE_WIDTH) {
  return rasterizeStrokes(visibleStrokes(ops), lineWidth);
}

/**
 * Rasterize a drawing in Google's simplified or raw format ([[xs], [ys](, [ts])] per stroke; all pen).
 * normalize=true: the full pipeline (what a game drawing gets); false: simplified strokes drawn as
 * they are (steps 4-7), as Google drew its numpy bitmaps.
 */
export function rasterizeGoogle(drawing, lineWidth = LINE_WIDTH, normalize = true) {
  const strokes = drawing.map((s) => ({
    tool: "pen",
    width: 0,
    points: s[0].map((x, i) => [Number(x), Number(s[1][i])]),
  }));
  if (normalize) return rasterizeStrokes(strokes, lineWidth);
  return renderBox(strokes.map((s) => ({ eraser: false, width: 0, points: s.points })), lineWidth);
}

/** Rasterize visible strokes ({tool, width, points}) given in any coordinate space. */
export function rasterizeStrokes(strokes, lineWidth = LINE_WIDTH) {
  return renderBox(normalizeStrokes(strokes), lineWidth);
}

/**
 * Steps 1-3: pen box, scale to 255, floor(v + 0.5), drop consecutive duplicates, RDP (epsilon 2).
 * Returns [{eraser, width (box units; 0 for pen), points}], empty when there is no pen point.
 */
export function normalizeStrokes(strokes) {
  const drawn = strokes.filter((s) => s.points.length > 0);
  let lox = Infinity, loy = Infinity, hix = -Infinity, hiy = -Infinity;
  let anyPen = false;
  for (const s of drawn) {
    if (s.tool === "eraser") continue;
    anyPen = true;
    for (const [x, y] of s.points) {
      if (x < lox) lox = x;
      if (x > hix) hix = x;
      if (y < loy) loy = y;
      if (y > hiy) hiy = y;
    }
  }
  if (!anyPen) return [];
  const extent = Math.max(hix - lox, hiy - loy);
  const scale = extent > 0 ? 255.0 / extent : 1.0;
  const out = [];
  for (const s of drawn) {
    const q = [];
    for (const [x, y] of s.points) {
      const qx = Math.floor((x - lox) * scale + 0.5);
      const qy = Math.floor((y - loy) * scale + 0.5);
      const last = q[q.length - 1];
      if (last === undefined || last[0] !== qx || last[1] !== qy) q.push([qx, qy]);
    }
    const points = q.length > 2 ? rdpKeep(q, RDP_EPSILON).map((i) => q[i]) : q;
    const eraser = s.tool === "eraser";
    out.push({ eraser, width: eraser ? s.width * scale : 0, points });
  }
  return out;
}

/** Indices kept by Ramer-Douglas-Peucker; same distance formula and tie rule as raster.py. */
function rdpKeep(q, eps) {
  const n = q.length;
  const keep = new Uint8Array(n);
  keep[0] = 1;
  keep[n - 1] = 1;
  const stack = [[0, n - 1]];
  while (stack.length) {
    const [a, b] = stack.pop();
    if (b - a < 2) continue;
    const ax = q[a][0], ay = q[a][1];
    const dx = q[b][0] - ax;
    const dy = q[b][1] - ay;
    const seg = Math.sqrt(dx * dx + dy * dy);
    let best = -1.0;
    let idx = -1;
    for (let i = a + 1; i < b; i++) {
      let d;
      if (seg === 0) {
        const ex = q[i][0] - ax;
        const ey = q[i][1] - ay;
        d = Math.sqrt(ex * ex + ey * ey);
      } else {
        d = Math.abs(dx * (ay - q[i][1]) - (ax - q[i][0]) * dy) / seg;
      }
      if (d > best) {
        best = d;
        idx = i;
      }
    }
    if (best > eps) {
      keep[idx] = 1;
      stack.push([a, idx], [idx, b]);
    }
  }
  const out = [];
  for (let i = 0; i < n; i++) if (keep[i]) out.push(i);
  return out;
}

/**
 * Steps 4-7: centre strokes given in the 256 box ({eraser, width, points}) and draw them at 28x28:
 * anti-aliased capsules, cov = clamp(r + 0.5 - d, 0, 1), pen "over", eraser v * (1 - cov).
 */
export function renderBox(norm, lineWidth = LINE_WIDTH) {
  const out = new Float32Array(NPIX);
  norm = norm.filter((s) => s.points.length > 0);
  let maxx = -Infinity, maxy = -Infinity;
  for (const s of norm) {
    if (s.eraser) continue;
    for (const [x, y] of s.points) {
      if (x > maxx) maxx = x;
      if (y > maxy) maxy = y;
    }
  }
  if (maxx === -Infinity) return out;
  const ox = (BOX - maxx) / 2.0;
  const oy = (BOX - maxy) / 2.0;
  const pad = (2.0 * PADDING + lineWidth) / 2.0;
  const s = SIDE / (BOX + 2.0 * PADDING + lineWidth);
  const penR = (lineWidth * s) / 2.0;
  const v = new Float64Array(NPIX);
  const d2 = new Float64Array(NPIX);
  for (const st of norm) {
    const r = st.eraser ? (st.width * s) / 2.0 : penR;
    const x = st.points.map((p) => (p[0] + ox + pad) * s);
    const y = st.points.map((p) => (p[1] + oy + pad) * s);
    d2.fill(Infinity);
    const nseg = x.length > 1 ? x.length - 1 : 1;
    for (let k = 0; k < nseg; k++) {
      const kb = x.length > 1 ? k + 1 : k;
      const ax = x[k], ay = y[k];
      const dx = x[kb] - ax;
      const dy = y[kb] - ay;
      let len2 = dx * dx + dy * dy;
      if (len2 === 0) len2 = 1.0; // zero-length segment: the dot product is 0 too, so t = 0 (a disk)
      // Only pixels within r + 0.5 (+1 px margin) of the segment's box can get coverage.
      const reach = r + 1.5;
      const j0 = Math.max(0, Math.floor(Math.min(ax, ax + dx) - reach));
      const j1 = Math.min(SIDE - 1, Math.ceil(Math.max(ax, ax + dx) + reach));
      const i0 = Math.max(0, Math.floor(Math.min(ay, ay + dy) - reach));
      const i1 = Math.min(SIDE - 1, Math.ceil(Math.max(ay, ay + dy) + reach));
      for (let i = i0; i <= i1; i++) {
        for (let j = j0; j <= j1; j++) {
          let wx = j + 0.5 - ax;
          let wy = i + 0.5 - ay;
          let t = (wx * dx + wy * dy) / len2;
          t = Math.min(Math.max(t, 0.0), 1.0);
          wx -= t * dx;
          wy -= t * dy;
          const dd = wx * wx + wy * wy;
          const p = i * SIDE + j;
          if (dd < d2[p]) d2[p] = dd;
        }
      }
    }
    const r5 = r + 0.5;
    for (let p = 0; p < NPIX; p++) {
      let c = r5 - Math.sqrt(d2[p]);
      c = Math.min(Math.max(c, 0.0), 1.0);
      v[p] = st.eraser ? v[p] * (1.0 - c) : c + v[p] * (1.0 - c);
    }
  }
  out.set(v);
  return out;
}
