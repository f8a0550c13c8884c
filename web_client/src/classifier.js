// The drawer's AI on the main thread: a facade over classifier.worker.js (rasterize + onnxruntime-web
// off the UI thread). The model is loaded once per page and kept across turns and games.
// Pacing: after every stroke, and at most every ~100 ms while drawing; never two at once (a request
// that arrives while one is in flight is skipped, but the newest drawing is classified when it ends).

const MIN_INTERVAL_MS = 100;

export class Classifier {
  /**
   * @param {{providers?: string[], base?: string, slow?: object}} opts providers: e.g. ["wasm"] forces
   *   WASM (no measuring); slow: {webgl: 1000} adds 1 s to WebGL's warm-up timing (a test hook)
   */
  constructor(opts = {}) {
    this.opts = opts;
    this.provider = null;
    this.labels = [];
    this.error = null;
    this.progress = 0; // 0..1 while loading (model download, then set-up and warm-up)
    this.fallbackReason = null;
    this.timings = null;
    this.renderer = null;
    this.lastMs = null; // the last classification's time in the worker (ms)
    this.worker = null;
    this.ready = null;
    this.inFlight = false;
    this.wanted = null; // ops waiting for the current run to end
    this.lastRunAt = 0;
    this.lastCount = -1;
    this.nextId = 1;
    this.waiters = new Map();
    this.listeners = new Set();
    this.timer = null;
  }

  /** Starts the worker and loads the model (idempotent). Resolves to {provider, labels} or throws. */
  init() {
    if (this.ready) return this.ready;
    const base = this.opts.base || location.origin;
    this.ready = new Promise((resolve, reject) => {
      try {
        this.worker = new Worker(`${base}/classifier.worker.js`);
      } catch (err) {
        reject(err);
        return;
      }
      this.worker.onmessage = (e) => this._onMessage(e.data, resolve, reject);
      this.worker.onerror = (e) => reject(new Error(e.message || "worker failed"));
      this.worker.postMessage({
        type: "init",
        modelUrl: `${base}/models/doodle.web.onnx`,
        cardUrl: `${base}/models/doodle.json`,
        ortBase: `${base}/ort/`,
        providers: this.opts.providers,
        slow: this.opts.slow, // test hook: {webgl: ms} makes WebGL lose the timing at warm-up
      });
    }).catch((err) => {
      this.error = String((err && err.message) || err);
      this._notify({ type: "error", message: this.error });
      throw err;
    });
    return this.ready;
  }

  /** "idle" (not started), "loading", "ready" or "error": what the AI panel and the others are told. */
  get status() {
    if (this.provider) return "ready";
    if (this.error) return "error";
    return this.ready ? "loading" : "idle";
  }

  _onMessage(msg, resolve, reject) {
    if (msg.type === "progress") {
      this.progress = msg.fraction;
      this._notify({ type: "progress", stage: msg.stage, fraction: msg.fraction });
    } else if (msg.type === "ready") {
      this.progress = 1;
      this.timings = msg.timings; // {wasm: ms, webgl: ms} measured at warm-up (null when forced)
      this.renderer = msg.renderer; // WebGL's renderer string ("SwiftShader…" = software), or null
      this.lastMs = msg.timings ? msg.timings[msg.provider] : null;
      this.provider = msg.provider;
      this.labels = msg.labels;
      this.fallbackReason = msg.fallbackReason;
      resolve({ provider: msg.provider, labels: msg.labels });
      this._notify({ type: "ready", provider: msg.provider });
    } else if (msg.type === "error" && !this.provider) {
      reject(new Error(msg.message));
    } else {
      const waiter = this.waiters.get(msg.id ?? "bench");
      if (waiter) {
        this.waiters.delete(msg.id ?? "bench");
        if (msg.type === "error") waiter.reject(new Error(msg.message));
        else waiter.resolve(msg);
      }
    }
  }

  /** Subscribe to results ({type: "result", labels, probs, strokes, ms, provider}) and status. */
  subscribe(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  _notify(msg) {
    for (const fn of this.listeners) fn(msg);
  }

  /** One classification (no pacing). */
  async classify(ops, topK = 5) {
    await this.init();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiters.set(id, { resolve, reject });
      this.worker.postMessage({ type: "classify", id, ops, topK });
    });
  }

  /** Paced request: `final` (a stroke just ended) always gets classified, maybe after the run in flight. */
  request(ops, { final = false } = {}) {
    if (!ops.length || !this.provider) return;
    if (!final && ops.length === this.lastCount) return;
    if (this.inFlight) {
      if (final || !this.wanted) this.wanted = ops;
      return;
    }
    const wait = this.lastRunAt + MIN_INTERVAL_MS - performance.now();
    if (!final && wait > 0) {
      if (!this.timer) this.timer = setTimeout(() => { this.timer = null; this.request(this._latest()); }, wait);
      this._pendingOps = ops;
      return;
    }
    this._run(ops);
  }

  _latest() { return this._pendingOps || []; }

  async _run(ops) {
    this.inFlight = true;
    this.lastRunAt = performance.now();
    this.lastCount = ops.length;
    const snapshot = ops.slice();
    try {
      const res = await this.classify(snapshot);
      this.lastMs = res.ms;
      this._notify({ ...res, type: "result", provider: this.provider });
    } catch (err) {
      this._notify({ type: "error", message: String((err && err.message) || err) });
    } finally {
      this.inFlight = false;
      const next = this.wanted;
      this.wanted = null;
      if (next && next.length !== this.lastCount) this._run(next);
    }
  }

  /** Forget pacing state between turns (a new drawing starts from zero ops). */
  resetTurn() {
    this.lastCount = -1;
    this.wanted = null;
    this._pendingOps = null;
    clearTimeout(this.timer);
    this.timer = null;
  }

  /** Benchmark: n classifications of `ops` inside the worker; resolves to [{ms, rasterMs}] per run. */
  async bench(ops, n = 100) {
    await this.init();
    return new Promise((resolve, reject) => {
      this.waiters.set("bench", { resolve: (m) => resolve(m.times), reject });
      this.worker.postMessage({ type: "bench", ops, n });
    });
  }
}
