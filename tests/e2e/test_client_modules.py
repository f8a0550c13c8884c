"""Pure parts of the web client, run in Node (no browser): batching of drawing ops within the protocol's
limits without changing what they draw, the AI panel's reading of relayed guesses, and what the client
sends (`draw` batches through its DrawSender, `ai_guess` payloads) validated against the generated JSON
Schema (web_client/src/protocol.gen.js)."""

from __future__ import annotations

import json
import shutil
import subprocess

import jsonschema
import pytest

from game_server.claims import PROVIDERS
from game_server.protocol.mirror import mirror

from .conftest import CLIENT

SCRIPT = r"""
import { toBatches, replay } from "./src/canvas.js";
import {
  guessPayload, normalizeGuess, SECRET, PROVIDERS, providerName, wireProvider,
} from "./src/ui/aipanel.js";
import { DrawSender, tooLarge } from "./src/net.js";
const pts = (n, o) => Array.from({ length: n }, (_, i) => [(i * 7) % 800, (i + o) % 600]);
const ops = [
  { type: "stroke", id: 1, tool: "pen", color: "#000000", width: 4, points: pts(1203, 0) },
  { type: "points", id: 1, points: pts(301, 7) },
  { type: "undo" },
  ...Array.from({ length: 150 }, (_, i) =>
    ({ type: "stroke", id: i + 2, tool: "eraser", color: "#000000", width: 9, points: pts(3, i) })),
  { type: "clear" },
  { type: "stroke", id: 999, tool: "pen", color: "#e53935", width: 20, points: pts(1, 3) },
];
const batches = toBatches(ops);
const sent = [];  // what the client's DrawSender emits, through a stand-in for Net
const sender = new DrawSender({
  request: async (event, payload) => { sent.push([event, payload]); return { ok: true }; },
});
batches.forEach((b) => sender.send(b));
const relayed = normalizeGuess({ player_id: "p1", turn: "g1-r1-t1", stroke_count: 5,
  guesses: [{ label: "cat", prob: 0.2 }, { label: null, prob: 0.7 }] });
console.log(JSON.stringify({
  batches: batches.length,
  maxOps: Math.max(...batches.map((b) => b.length)),
  maxPoints: Math.max(...batches.map((b) => b.reduce((s, o) => s + (o.points ? o.points.length : 0), 0))),
  sameDrawing: JSON.stringify(replay(ops)) === JSON.stringify(replay(batches.flat())),
  sameInk: JSON.stringify(replay(ops.slice(0, 2))) ===
    JSON.stringify(replay(toBatches(ops.slice(0, 2)).flat())),
  relayed, secret: SECRET,
  withProvider: normalizeGuess({ player_id: "p1", turn: "g1-r1-t1", stroke_count: 2,
    guesses: [{ label: "cat", prob: 0.4 }], provider: "webgl" }).provider,
  providers: PROVIDERS, names: PROVIDERS.map(providerName),
  wire: ["webgl", "wasm", "webgpu", "cpu", "", null, undefined].map((p) => wireProvider(p)),
  sent,
  guesses: [
    guessPayload("g1-r1-t1", { labels: ["cat", "dog"], probs: [0.7, 0.2], strokes: 3 }, "wasm"),
    guessPayload("g1-r1-t1", { labels: Array.from({ length: 12 }, (_, i) => `l${i}`),
      probs: Array(12).fill(0.05), strokes: 1 }, "cpu"),
  ],
  tooLarge: [tooLarge("chat", { text: "x".repeat(300000) }), tooLarge("draw", { seq: 0, ops: batches[0] })],
}));
"""


def test_batches_and_relayed_guesses() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is missing")
    out = subprocess.run([node, "--input-type=module", "-e", SCRIPT], cwd=CLIENT, capture_output=True,
                         text=True, timeout=60, check=True).stdout
    r = json.loads(out)
    assert r["maxOps"] <= 64 and r["maxPoints"] <= 500 and r["batches"] >= 4
    assert r["sameDrawing"] and r["sameInk"]
    # Sorted by probability; the hidden word (null label) is shown as the secret placeholder.
    expected = {"labels": [r["secret"], "cat"], "probs": [0.7, 0.2], "strokes": 5, "provider": None}
    assert r["relayed"] == expected
    # The relayed execution provider reaches the panel; the client only ever sends the protocol's values.
    assert r["withProvider"] == "webgl"
    assert sorted(r["providers"]) == sorted(PROVIDERS)
    assert dict(zip(r["providers"], r["names"], strict=True)) == {"webgl": "WebGL", "wasm": "WASM",
                                                                 "webgpu": "WebGPU"}
    assert r["wire"] == ["webgl", "wasm", "webgpu", None, None, None, None]
    # What the client sends validates against the generated schema (web_client/src/protocol.gen.js).
    schemas = mirror()["client_events"]
    assert [event for event, _ in r["sent"]] == ["draw"] * r["batches"]
    for _, payload in r["sent"]:
        jsonschema.validate(payload, schemas["draw"])
    for payload in r["guesses"]:
        jsonschema.validate(payload, schemas["ai_guess"])
    assert r["guesses"][0]["provider"] == "wasm" and "provider" not in r["guesses"][1]
    with pytest.raises(jsonschema.ValidationError):  # the schema does refuse: a point off the canvas
        jsonschema.validate({"seq": 0, "ops": [{"type": "points", "id": 1, "points": [[801, 0]]}]},
                            schemas["draw"])
    assert r["tooLarge"] == [True, False]  # refused locally instead of getting the connection closed
