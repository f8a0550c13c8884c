#!/usr/bin/env node
// Rasterize drawings with src/raster.js, one per line, for the Python parity test and the bench.
// stdin: JSON lines, each {"ops": [...]} (a game drawing log) or {"google": [[[xs], [ys]], ...]},
// optionally with "lineWidth" (default 16) and, for "google", "normalize" (default true).
// stdout: one JSON array of 784 numbers (row-major 28x28, float32 values) per input line.
// `--bench N`: instead, rasterize every input N times and print {"count", "median_ms", "p99_ms"}.
import { createInterface } from "node:readline";
import { rasterizeGoogle, rasterizeOps } from "../src/raster.js";

function rasterize(item) {
  const lw = item.lineWidth ?? 16;
  if (item.ops) return rasterizeOps(item.ops, lw);
  return rasterizeGoogle(item.google, lw, item.normalize ?? true);
}

const benchAt = process.argv.indexOf("--bench");
const repeats = benchAt >= 0 ? Number(process.argv[benchAt + 1] || 20) : 0;
const items = [];
const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
const chunks = [];
for await (const line of rl) {
  if (!line.trim()) continue;
  const item = JSON.parse(line);
  if (repeats) items.push(item);
  else {
    chunks.push(JSON.stringify(Array.from(rasterize(item))));
    if (chunks.length >= 256) process.stdout.write(chunks.splice(0).join("\n") + "\n");
  }
}
if (chunks.length) process.stdout.write(chunks.join("\n") + "\n");
if (repeats) {
  for (const item of items.slice(0, 50)) rasterize(item); // warm up the JIT
  const times = [];
  for (const item of items) {
    const t0 = process.hrtime.bigint();
    for (let r = 0; r < repeats; r++) rasterize(item);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6 / repeats);
  }
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  process.stdout.write(JSON.stringify({ count: times.length, median_ms: at(0.5), p99_ms: at(0.99) }) + "\n");
}
