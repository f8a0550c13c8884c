// The drawing board: pointer input (mouse, pen, touch) and rendering of the drawing log.
// Owns no socket: it reports batches through `onBatch` and takes remote ops through `applyOps`.
// Every op (local or remote) goes through the same replay + render code, in the protocol's fixed
// canvas space (CANVAS, 800x600); the element is scaled to fit its container.

import { CANVAS, LIMITS } from "./protocol.js";

export const WIDTH = CANVAS.width;
export const HEIGHT = CANVAS.height;
export const COLORS = [
  "#000000", "#5f6368", "#ffffff", "#e53935", "#fb8c00", "#fdd835",
  "#43a047", "#00acc1", "#1e88e5", "#8e24aa", "#d81b60", "#795548",
];
export const SIZES = [4, 10, 20, 36];
const FLUSH_MS = 33; // ~30 batches per second
const MIN_STEP = 1.5; // canvas units between kept points: drops jitter, keeps batches small

const MAX_OPS = LIMITS.opsPerBatch; // per batch (the protocol's `draw` schema)
const MAX_POINTS = LIMITS.pointsPerBatch; // per batch
const MAX_OP_POINTS = 250; // a longer op is cut into a stroke/points op + `points` continuations

/**
 * Splits ops into batches of at most MAX_OPS ops and MAX_POINTS points (a slow frame or a long pen
 * stroke can pile up more between flushes). The split ops replay exactly like the originals.
 */
export function toBatches(ops) {
  const pieces = [];
  for (const op of ops) {
    if (!op.points || op.points.length <= MAX_OP_POINTS) { pieces.push(op); continue; }
    for (let i = 0; i < op.points.length; i += MAX_OP_POINTS) {
      const points = op.points.slice(i, i + MAX_OP_POINTS);
      pieces.push(i === 0 ? { ...op, points } : { type: "points", id: op.id, points });
    }
  }
  const batches = [];
  let batch = [];
  let count = 0;
  for (const op of pieces) {
    const n = op.points ? op.points.length : 0;
    if (batch.length && (batch.length >= MAX_OPS || count + n > MAX_POINTS)) {
      batches.push(batch);
      batch = [];
      count = 0;
    }
    batch.push(op);
    count += n;
  }
  if (batch.length) batches.push(batch);
  return batches;
}

/** Replays ops into the visible strokes, in start order ({id, tool, color, width, points}). */
export function replay(ops, strokes = []) {
  for (const op of ops) applyOp(strokes, op);
  return strokes;
}

function applyOp(strokes, op) {
  if (op.type === "stroke") {
    strokes.push({ id: op.id, tool: op.tool, color: op.color, width: op.width, points: op.points.slice() });
  } else if (op.type === "points") {
    const last = strokes[strokes.length - 1];
    if (last && last.id === op.id) last.points.push(...op.points);
  } else if (op.type === "undo") {
    strokes.pop();
  } else if (op.type === "clear") {
    strokes.length = 0;
  }
}

/** Draws one stroke with quadratic curves through the midpoints (smooth, no corners). */
export function drawStroke(ctx, s) {
  const pts = s.points;
  if (!pts.length) return;
  ctx.save();
  ctx.globalCompositeOperation = s.tool === "eraser" ? "destination-out" : "source-over";
  ctx.strokeStyle = ctx.fillStyle = s.tool === "eraser" ? "#000" : s.color;
  ctx.lineWidth = s.width;
  ctx.lineCap = ctx.lineJoin = "round";
  if (pts.length === 1) {
    ctx.beginPath();
    ctx.arc(pts[0][0], pts[0][1], s.width / 2, 0, Math.PI * 2);
    ctx.fill();
  } else {
    ctx.beginPath();
    ctx.moveTo(pts[0][0], pts[0][1]);
    for (let i = 1; i < pts.length - 1; i++) {
      const mx = (pts[i][0] + pts[i + 1][0]) / 2;
      const my = (pts[i][1] + pts[i + 1][1]) / 2;
      ctx.quadraticCurveTo(pts[i][0], pts[i][1], mx, my);
    }
    const end = pts[pts.length - 1];
    ctx.lineTo(end[0], end[1]);
    ctx.stroke();
  }
  ctx.restore();
}

/** Renders a whole log onto a canvas of any size (gallery thumbnails, exports), on white. */
export function renderOps(canvas, ops, { background = "#ffffff" } = {}) {
  const ctx = canvas.getContext("2d");
  const layer = document.createElement("canvas");
  layer.width = canvas.width;
  layer.height = canvas.height;
  const lctx = layer.getContext("2d");
  lctx.setTransform(canvas.width / WIDTH, 0, 0, canvas.height / HEIGHT, 0, 0);
  for (const s of replay(ops)) drawStroke(lctx, s);
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(layer, 0, 0);
}

export class Board {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {{onBatch?: (ops: object[]) => void, onStrokeEnd?: () => void, onChange?: () => void}} hooks
   */
  constructor(canvas, hooks = {}) {
    this.canvas = canvas;
    this.ctx = canvas.getContext("2d");
    this.hooks = hooks;
    this.log = []; // ops as the server has them (sent or received)
    this.pending = []; // local ops not yet flushed
    this.strokes = []; // visible strokes replayed from log + pending
    this.layer = document.createElement("canvas"); // every visible stroke but the last
    this.layerCount = 0;
    this.enabled = false;
    this.tool = "pen";
    this.color = COLORS[0];
    this.width = SIZES[1];
    this.active = null; // {pointerId, stroke}
    this.nextId = 1;
    this.dirty = true;
    this.flushTimer = null;
    this._bindInput();
    this._resizeObserver = new ResizeObserver(() => this.resize());
    this._resizeObserver.observe(canvas);
    this.resize();
  }

  /** Starts a new drawing from a full log (turn start, late join, reconnection). */
  load(ops) {
    this.cancelActive();
    this.log = ops.slice();
    this.pending = [];
    this.strokes = replay(this.log);
    this.nextId = 1 + this.log.reduce((m, op) => (op.type === "stroke" ? Math.max(m, op.id) : m), 0);
    this._invalidate(true);
  }

  /** Ops from the server (another player's drawing). */
  applyOps(ops) {
    for (const op of ops) {
      this.log.push(op);
      const structural = op.type === "undo" || op.type === "clear" || op.type === "stroke";
      applyOp(this.strokes, op);
      if (op.type === "stroke") this.nextId = Math.max(this.nextId, op.id + 1);
      this._invalidate(op.type !== "stroke" && structural);
    }
    this.hooks.onChange?.();
  }

  setEnabled(on) {
    this.enabled = on;
    this.canvas.classList.toggle("can-draw", on);
    if (!on) this.endStroke();
  }

  undo() { this._local({ type: "undo" }, true); }
  clear() { this._local({ type: "clear" }, true); }

  /** All ops (flushed and pending): what this screen shows. */
  allOps() { return this.pending.length ? this.log.concat(this.pending) : this.log; }

  resize() {
    const rect = this.canvas.getBoundingClientRect();
    const dpr = Math.min(window.devicePixelRatio || 1, 2);
    const w = Math.max(1, Math.round(rect.width * dpr));
    const h = Math.max(1, Math.round(rect.height * dpr));
    if (w === this.canvas.width && h === this.canvas.height) return;
    this.canvas.width = this.layer.width = w;
    this.canvas.height = this.layer.height = h;
    this._invalidate(true);
  }

  destroy() {
    this._resizeObserver.disconnect();
    clearInterval(this.flushTimer);
    cancelAnimationFrame(this._raf);
  }

  // --- local input -------------------------------------------------------------------------

  _bindInput() {
    const c = this.canvas;
    c.style.touchAction = "none";
    c.addEventListener("pointerdown", (e) => {
      if (!this.enabled || this.active || (e.pointerType === "mouse" && e.button !== 0)) return;
      e.preventDefault();
      c.setPointerCapture?.(e.pointerId);
      const p = this._toCanvas(e);
      const op = { type: "stroke", id: this.nextId++, tool: this.tool, color: this.color, width: this.width, points: [p] };
      this.active = { pointerId: e.pointerId, id: op.id, last: p };
      this._local(op, false);
      this._startFlushing();
    });
    c.addEventListener("pointermove", (e) => {
      if (!this.active || e.pointerId !== this.active.pointerId) return;
      e.preventDefault();
      const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
      const pts = [];
      for (const ev of events.length ? events : [e]) {
        const p = this._toCanvas(ev);
        const last = pts.length ? pts[pts.length - 1] : this.active.last;
        if (Math.hypot(p[0] - last[0], p[1] - last[1]) >= MIN_STEP) pts.push(p);
      }
      if (!pts.length) return;
      this.active.last = pts[pts.length - 1];
      this._local({ type: "points", id: this.active.id, points: pts }, false);
    });
    const end = (e) => { if (this.active && e.pointerId === this.active.pointerId) this.endStroke(); };
    c.addEventListener("pointerup", end);
    c.addEventListener("pointercancel", end);
    c.addEventListener("lostpointercapture", end);
    c.addEventListener("contextmenu", (e) => { if (this.enabled) e.preventDefault(); });
  }

  endStroke() {
    if (!this.active) return;
    this.active = null;
    this.flush();
    this.hooks.onStrokeEnd?.();
  }

  cancelActive() { this.active = null; }

  _toCanvas(e) {
    const rect = this.canvas.getBoundingClientRect();
    const x = ((e.clientX - rect.left) / rect.width) * WIDTH;
    const y = ((e.clientY - rect.top) / rect.height) * HEIGHT;
    const clamp = (v, hi) => Math.round(Math.min(hi, Math.max(0, v)) * 10) / 10;
    return [clamp(x, WIDTH), clamp(y, HEIGHT)];
  }

  _local(op, flushNow) {
    if (!this.enabled) return;
    if (op.type === "undo" || op.type === "clear") this.endStroke();
    // Merge consecutive points of one stroke inside a batch: fewer, larger ops on the wire.
    const prev = this.pending[this.pending.length - 1];
    if (op.type === "points" && prev && prev.id === op.id && (prev.type === "points" || prev.type === "stroke")) {
      prev.points.push(...op.points);
      const last = this.strokes[this.strokes.length - 1];
      if (last && last.id === op.id) last.points.push(...op.points);
      this._invalidate(false);
    } else {
      this.pending.push(op.type === "stroke" ? { ...op, points: op.points.slice() } : op);
      applyOp(this.strokes, op);
      this._invalidate(op.type === "undo" || op.type === "clear");
    }
    if (flushNow) this.flush();
    this.hooks.onChange?.();
  }

  _startFlushing() {
    if (this.flushTimer) return;
    this.flushTimer = setInterval(() => {
      this.flush();
      if (!this.active) { clearInterval(this.flushTimer); this.flushTimer = null; }
    }, FLUSH_MS);
  }

  /** Sends the pending ops (as batches within the protocol's limits); they become part of the log. */
  flush() {
    if (!this.pending.length) return;
    const ops = this.pending;
    this.pending = [];
    for (const batch of toBatches(ops)) {
      this.log.push(...batch);
      this.hooks.onBatch?.(batch);
    }
  }

  // --- rendering -------------------------------------------------------------------------------

  _invalidate(full) {
    if (full) this.layerCount = -1;
    if (this._raf) return;
    this._raf = requestAnimationFrame(() => { this._raf = 0; this._render(); });
  }

  _render() {
    const { canvas, ctx, layer, strokes } = this;
    const k = canvas.width / WIDTH;
    const lctx = layer.getContext("2d");
    const committed = Math.max(0, strokes.length - 1);
    if (this.layerCount < 0 || this.layerCount > committed) {
      lctx.setTransform(1, 0, 0, 1, 0, 0);
      lctx.clearRect(0, 0, layer.width, layer.height);
      this.layerCount = 0;
    }
    lctx.setTransform(k, 0, 0, canvas.height / HEIGHT, 0, 0);
    for (; this.layerCount < committed; this.layerCount++) drawStroke(lctx, strokes[this.layerCount]);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(layer, 0, 0);
    ctx.setTransform(k, 0, 0, canvas.height / HEIGHT, 0, 0);
    if (strokes.length) drawStroke(ctx, strokes[strokes.length - 1]);
  }
}
