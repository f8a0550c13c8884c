"""Pure parts of the issue-14 client modules, run in Node (no browser): the voice's phrases never name a
masked label; avatar values parse as the server's schema checks them; the replay has one frame per op; the
GIF encoder's output decodes (Pillow) to exactly the indexed frames it was given, across LZW table resets;
the ZIP writer's archives open with Python's zipfile."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from PIL import Image, ImageSequence

from game_server.protocol import decode

from .conftest import CLIENT

SCRIPT = r"""
import { livePhrase, claimPhrase } from "./src/ui/voice.js";
import { parseAvatar } from "./src/ui/avatar.js";
import { replayFrames } from "./src/export/replay.js";
import { encodeGif, makePalette } from "./src/export/gif.js";
import { zipStore } from "./src/export/zip.js";
import { writeFileSync } from "node:fs";
const out = process.argv[1];
let seed = 7;
const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const pal = makePalette(["#e53935"]);
const frames = [
  { indices: Uint8Array.from({ length: 61 * 37 }, () => Math.floor(rnd() * 256)), delay: 10 },  // resets
  { indices: new Uint8Array(61 * 37).fill(3), delay: 20 },
  { indices: Uint8Array.from({ length: 61 * 37 }, (_, i) => (i % 61 < 30 ? 0 : 1)), delay: 300 },
];
const gif = encodeGif(61, 37, pal, frames);
writeFileSync(`${out}/t.gif`, gif);
writeFileSync(`${out}/t.zip`, zipStore([{ name: "a.gif", data: gif },
  { name: "b-é.txt", data: new TextEncoder().encode("hello") }]));
console.log(JSON.stringify({
  live: [livePhrase(["cat", "bicycle"], false), livePhrase(["???", "cat"], false),
    livePhrase(["???", "cat"], true),
    livePhrase(["???"], true), livePhrase([], true), livePhrase(["apple", "???"], false)],
  claim: [claimPhrase("cat"), claimPhrase(null), claimPhrase("???")],
  avatars: ["0-0-0", "11-7-2", "12-0-0", "1-8-0", "1-1-3", "01-1-1", "1-1-1\n", "", null, 5]
    .map((a) => [a, parseAvatar(a) !== null]),
  frames: replayFrames([{ type: "stroke" }, { type: "points" }, { type: "undo" }]),
  palette: pal, indices: frames.map((f) => Array.from(f.indices)),
}));
"""


def test_voice_avatars_replay_gif_and_zip(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is missing")
    out = subprocess.run([node, "--input-type=module", "-e", SCRIPT, str(tmp_path)], cwd=CLIENT,
                         capture_output=True, text=True, timeout=60, check=True).stdout
    got = json.loads(out)
    assert got["live"] == ["I see… a cat? a bicycle?", "Hmm… I think I'm getting it…", "I see… a cat?",
                           None, None, "I see… an apple?"]
    assert got["claim"] == ["Oh, I know, it's a cat!", "Oh, I know what it is!", "Oh, I know what it is!"]
    assert all("???" not in (t or "") for t in got["live"] + got["claim"])
    for value, ok in got["avatars"]:  # the client accepts exactly what the server's schema accepts
        try:
            decode("quick_play", {"name": "x", "avatar": value})
            server_ok = value is not None
        except Exception:
            server_ok = False
        assert ok == server_ok, value
    assert got["frames"] == [{"upto": 1}, {"upto": 2}, {"upto": 3}]
    gif = Image.open(tmp_path / "t.gif")
    assert gif.size == (61, 37) and gif.n_frames == 3
    pal = [tuple(c) for c in got["palette"]]
    for frame, indices in zip(ImageSequence.Iterator(gif), got["indices"], strict=True):
        assert list(frame.convert("RGB").getdata()) == [pal[i] for i in indices]
    archive = zipfile.ZipFile(io.BytesIO((tmp_path / "t.zip").read_bytes()))
    assert archive.testzip() is None and archive.namelist() == ["a.gif", "b-é.txt"]
    assert archive.read("b-é.txt") == b"hello" and archive.read("a.gif") == (tmp_path / "t.gif").read_bytes()
