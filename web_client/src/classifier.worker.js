// Web Worker: rasterizes a drawing log (raster.js, the twin of doodle_raster/raster.py) and runs the
// doodle model with onnxruntime-web, off the page's main thread. At init it loads both the WASM and
// the WebGL build, times each on the same input after its warm-up run, and keeps the faster one
// (`fastest`); a build that fails to load or run is out. `providers` forces a list (first that works).
// Messages in:  {type:"init", modelUrl, cardUrl, ortBase, providers?, slow?}, {type:"classify", id, ops, topK?},
//               {type:"bench", ops, n}
// Messages out: {type:"progress", stage, fraction},
//               {type:"ready", provider, labels, fallbackReason, timings, renderer} | {type:"error", message},
//               {type:"result", id, labels, probs, strokes, ms, rasterMs},
//               {type:"bench", provider, times: [{ms, rasterMs}]}
import { rasterizeOps } from "./raster.js";

const state = { session: null, provider: null, labels: [], inputName: "", shape: [1, 1, 28, 28] };
let modelBytes = null;

const runtimes = {}; // provider -> that build's `ort` (both may be loaded to be timed against each other)

function loadRuntime(ortBase, provider) {
  if (runtimes[provider]) return runtimes[provider];
  // Classic-worker importScripts: each build defines the global `ort` (the second replaces the first
  // global, so each build's object is kept here).
  importScripts(ortBase + (provider === "webgl" ? "ort.webgl.min.js" : "ort.wasm.min.js"));
  const ort = self.ort;
  runtimes[provider] = ort;
  if (provider === "wasm") {
    ort.env.wasm.wasmPaths = ortBase;
    ort.env.wasm.numThreads = 1; // threads need cross-origin isolation; one is plenty for 28x28
    ort.env.wasm.proxy = false;
  }
  ort.env.logLevel = "error";
  return ort;
}

async function createSession(ortBase, provider) {
  const ort = loadRuntime(ortBase, provider);
  const session = await ort.InferenceSession.create(modelBytes.slice(), { executionProviders: [provider] });
  const inputName = session.inputNames[0];
  const zeros = new ort.Tensor("float32", new Float32Array(784), state.shape);
  const out = await session.run({ [inputName]: zeros }); // warm-up: surfaces unsupported ops now
  const data = out[session.outputNames[0]].data;
  if (!data || data.length !== state.labels.length || !Number.isFinite(data[0])) {
    throw new Error(`model output has ${data && data.length} values for ${state.labels.length} labels`);
  }
  return { ort, session, inputName };
}

function looksLikeProbs(v) {
  let sum = 0;
  for (const x of v) { if (!(x >= 0 && x <= 1)) return false; sum += x; }
  return Math.abs(sum - 1) < 1e-3;
}

function softmax(v) {
  let m = -Infinity;
  for (const x of v) m = Math.max(m, x);
  const e = Array.from(v, (x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

/** Loading progress for the AI panel: `fraction` of the whole load (model bytes ~80%, then set-up). */
function progress(stage, fraction) {
  self.postMessage({ type: "progress", stage, fraction: Math.max(0, Math.min(1, fraction)) });
}

/** The model's bytes, reporting download progress (the HTTP cache serves it again after a reload). */
async function fetchModel(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`model: HTTP ${r.status}`);
  const total = Number(r.headers.get("content-length")) || 0;
  if (!r.body || !total) return new Uint8Array(await r.arrayBuffer());
  const out = new Uint8Array(total);
  const reader = r.body.getReader();
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (loaded + value.length > total) throw new Error("model: longer than its content-length");
    out.set(value, loaded);
    loaded += value.length;
    progress("download", 0.8 * (loaded / total));
  }
  return loaded === total ? out : out.slice(0, loaded);
}

async function init(msg) {
  progress("download", 0);
  const [card, bytes] = await Promise.all([
    fetch(msg.cardUrl).then((r) => { if (!r.ok) throw new Error(`model card: HTTP ${r.status}`); return r.json(); }),
    fetchModel(msg.modelUrl),
  ]);
  progress("warm-up", 0.85);
  modelBytes = bytes;
  state.labels = card.labels;
  const inShape = card.input_shape || (card.input && card.input.shape);
  if (Array.isArray(inShape) && inShape.length) state.shape = inShape.map((d) => (typeof d === "number" && d > 0 ? d : 1));
  if (msg.providers) return firstWorking(msg, msg.providers); // forced (?ai=wasm): no measuring
  return fastest(msg);
}

/** The first of `providers` whose session loads and runs (the forced path, and the last resort). */
async function firstWorking(msg, providers) {
  const errors = [];
  for (const provider of providers) {
    try {
      Object.assign(state, await createSession(msg.ortBase, provider), { provider });
      progress("ready", 1);
      return { type: "ready", provider, labels: state.labels, fallbackReason: errors.join("; ") || null,
        timings: null, renderer: null };
    } catch (err) {
      errors.push(`${provider}: ${(err && err.message) || err}`);
    }
  }
  throw new Error(`no execution provider works (${errors.join("; ")})`);
}

/** The GPU behind WebGL as the browser names it ("SwiftShader" = software), or null when unknown. */
function webglRenderer() {
  try {
    const gl = new OffscreenCanvas(1, 1).getContext("webgl");
    if (!gl) return null;
    const ext = gl.getExtension("WEBGL_debug_renderer_info");
    return String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  } catch {
    return null;
  }
}

// A fixed doodle (a house) for the timing runs: both providers classify the same input.
const PROBE_OPS = [
  { type: "stroke", id: 1, tool: "pen", color: "#000000", width: 8,
    points: [[250, 300], [250, 500], [550, 500], [550, 300], [250, 300]] },
  { type: "stroke", id: 2, tool: "pen", color: "#000000", width: 8, points: [[230, 310], [400, 160], [570, 310]] },
];
const PROBE_RUNS = 5;

async function medianMs(setup, runs) {
  const input = rasterizeOps(PROBE_OPS);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await setup.session.run({ [setup.inputName]: new setup.ort.Tensor("float32", input, state.shape) });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/**
 * Loads WebGL and WASM, times each on the same input (after its warm-up run) and keeps the faster:
 * WebGL on a real GPU, WASM where WebGL runs in software (SwiftShader was measured 25x slower than WASM).
 * `msg.slow` ({webgl: ms} / {wasm: ms}) is a test hook that adds to a provider's measured time, so a
 * test can make either one lose. A provider that fails to load is simply out of the race.
 */
async function fastest(msg) {
  const renderer = webglRenderer();
  const timings = {};
  const setups = {};
  const errors = [];
  const order = ["wasm", "webgl"];
  for (const [i, provider] of order.entries()) {
    try {
      const setup = await createSession(msg.ortBase, provider);
      timings[provider] = (await medianMs(setup, PROBE_RUNS)) + ((msg.slow && msg.slow[provider]) || 0);
      setups[provider] = setup;
    } catch (err) {
      errors.push(`${provider}: ${(err && err.message) || err}`);
    }
    progress("measure", 0.85 + (0.15 * (i + 1)) / order.length);
  }
  const ranked = Object.keys(setups).sort((a, b) => timings[a] - timings[b]);
  if (!ranked.length) throw new Error(`no execution provider works (${errors.join("; ")})`);
  const provider = ranked[0];
  for (const other of ranked.slice(1)) setups[other].session.release?.().catch?.(() => {});
  Object.assign(state, setups[provider], { provider });
  const rounded = Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v * 10) / 10]));
  return { type: "ready", provider, labels: state.labels, fallbackReason: errors.join("; ") || null,
    timings: rounded, renderer };
}

async function classify(ops, topK = 5) {
  const t0 = performance.now();
  const input = rasterizeOps(ops);
  const t1 = performance.now();
  const { ort, session, inputName } = state;
  const out = await session.run({ [inputName]: new ort.Tensor("float32", input, state.shape) });
  const raw = out[session.outputNames[0]].data;
  const probs = looksLikeProbs(raw) ? Array.from(raw) : softmax(raw); // the card says softmax; be safe
  const order = probs.map((p, i) => i).sort((a, b) => probs[b] - probs[a]).slice(0, topK);
  return {
    labels: order.map((i) => state.labels[i]),
    probs: order.map((i) => Math.round(probs[i] * 1e4) / 1e4),
    strokes: ops.length,
    ms: performance.now() - t0,
    rasterMs: t1 - t0,
  };
}

self.onmessage = async (e) => {
  const msg = e.data;
  try {
    if (msg.type === "init") {
      self.postMessage(await init(msg));
    } else if (msg.type === "classify") {
      self.postMessage({ type: "result", id: msg.id, ...(await classify(msg.ops, msg.topK)) });
    } else if (msg.type === "bench") {
      const times = [];
      for (let i = 0; i < msg.n; i++) {
        const r = await classify(msg.ops);
        times.push({ ms: r.ms, rasterMs: r.rasterMs });
      }
      self.postMessage({ type: "bench", provider: state.provider, times });
    }
  } catch (err) {
    self.postMessage({ type: "error", id: msg.id, message: String((err && err.message) || err) });
  }
};
