// onnxruntime-web (WASM backend, 1 thread) latency of the browser model, batch 1, run in Node.
// Usage: node bench/bench_inference_wasm.mjs [models/doodle.web.onnx]   (needs web_client's node_modules)
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(path.join(root, "web_client", "package.json"));
const ort = require("onnxruntime-web");
ort.env.wasm.numThreads = 1;

const modelPath = process.argv[2] || path.join(root, "models", "doodle.web.onnx");
const session = await ort.InferenceSession.create(readFileSync(modelPath), { executionProviders: ["wasm"] });
const data = new Float32Array(784).map(() => (Math.random() < 0.15 ? 1 : 0));
const feeds = { input: new ort.Tensor("float32", data, [1, 1, 28, 28]) };
for (let i = 0; i < 20; i++) await session.run(feeds);
const times = [];
const end = performance.now() + 3000;
while (performance.now() < end || times.length < 50) {
  const t = performance.now();
  await session.run(feeds);
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
console.log(`${path.basename(modelPath)} onnxruntime-web ${ort.env.versions?.web ?? ""} WASM 1 thread, batch 1: ` +
  `median ${q(0.5).toFixed(3)} ms, p90 ${q(0.9).toFixed(3)} ms (${times.length} runs)`);
