// Builds the static client into web_client/dist: bundled app + classifier worker (esbuild),
// index.html, style.css, and the onnxruntime-web files the browser loads at run time (no CDN).
// The worker loads both runtimes at warm-up, times them and keeps the faster (classifier.worker.js).
import { build } from "esbuild";
import { cpSync, mkdirSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const ortDist = join(root, "node_modules", "onnxruntime-web", "dist");
const ORT_FILES = [
  "ort.webgl.min.js",
  "ort.wasm.min.js",
  "ort-wasm-simd-threaded.mjs",
  "ort-wasm-simd-threaded.wasm",
];

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, "ort"), { recursive: true });

const common = { bundle: true, minify: true, sourcemap: true, target: ["es2020"], logLevel: "warning" };
await build({ ...common, entryPoints: [join(root, "src", "main.js")], outfile: join(dist, "app.js"), format: "esm" });
await build({
  ...common,
  entryPoints: [join(root, "src", "classifier.worker.js")],
  outfile: join(dist, "classifier.worker.js"),
  format: "iife",
});
await build({ ...common, entryPoints: [join(root, "src", "style.css")], outfile: join(dist, "style.css") });
cpSync(join(root, "index.html"), join(dist, "index.html"));
for (const name of ORT_FILES) cpSync(join(ortDist, name), join(dist, "ort", name));

const kb = (p) => `${Math.round(statSync(join(dist, p)).size / 1024)} KB`;
console.log(`built ${dist}: app.js ${kb("app.js")}, classifier.worker.js ${kb("classifier.worker.js")}, ` +
  `ort.webgl.min.js ${kb("ort/ort.webgl.min.js")}, wasm ${kb("ort/ort-wasm-simd-threaded.wasm")}`);
