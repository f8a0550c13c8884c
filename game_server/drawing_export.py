"""Kept game drawings -> Quick, Draw! files, through quality gates; and deletion by contributor id.

`python -m game_server export-drawings --out DIR` reads every record of the sink (game_server/capture.py)
and writes, one file per word, Google's formats (the layout `training/sources/local.py` reads):

- `DIR/raw/<word>.ndjson`: `{word, countrycode: "", timestamp, recognized, key_id, drawing}` with
  `drawing` = `[[x…], [y…], [t…]]` per visible pen stroke, canvas units (800x600) as drawn, t in ms
  (batch receive times; see game_server/capture.py);
- `DIR/simplified/<word>.ndjson`: the same keys, `drawing` = `[[x…], [y…]]` after doodle_raster's
  normalization (pen box scaled to 0..255, rounded, deduplicated, RDP epsilon 2) — Google's simplified
  format, so both copies of one drawing share its `key_id`;
- `DIR/report.json`: per word, how many were kept and why the others were dropped.

No contributor id, name, chat, room, mode or model goes into these files. Quality gates (first that
applies; `gate` is pure and tested):

- `empty`: no visible pen point;
- `one_dot`: all ink within ONE_DOT canvas units (a tap, not a drawing);
- `eraser`: a visible eraser stroke (the format has no eraser: a pen-only copy would be another picture
  than the one the players and the AI saw);
- `scribble`: more than SCRIBBLE_INK of the 28x28 model input inked (scribbled over everything);
- `text`: the drawing looks like handwriting, by this heuristic: at least TEXT_MIN_STROKES pen strokes
  in a box at least TEXT_ASPECT times wider than high, every stroke narrow (at most TEXT_GLYPH_WIDTH of the
  box width), at least TEXT_TALL of them as tall as a letter (TEXT_GLYPH_HEIGHT of the box height; bars
  and dots are not), laid out left to right (stroke centres non-decreasing for TEXT_ORDER of consecutive
  pairs). It misses cursive, one-stroke and stacked text and may catch a row of fence posts; it is a
  gate, not a judge;
- `unrecognized`: neither a person guessed it nor the AI verifiably recognized it; with `--review` these
  go to `DIR/review/raw|simplified/<word>.ndjson` (not read by training) instead of being dropped;
- `duplicate`: the same visible pen points as a drawing already kept.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import urllib.parse
from collections.abc import Iterable
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from doodle_raster import Stroke, normalize_strokes, rasterize_google

ONE_DOT = 12.0  # canvas units (of 800): a box this small is a tap
SCRIBBLE_INK = 0.45  # share of the 28x28 pixels above 0.5: real doodles sit around 0.1-0.25
TEXT_MIN_STROKES = 3
TEXT_ASPECT = 2.0
TEXT_GLYPH_WIDTH = 0.3
TEXT_GLYPH_HEIGHT = 0.5
TEXT_TALL = 0.5
TEXT_ORDER = 0.8
GATES = ("empty", "one_dot", "eraser", "scribble", "text", "unrecognized", "duplicate")


def pen_strokes(record: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in record.get("strokes", []) if s.get("tool") == "pen" and s.get("x")]


def recognized(record: dict[str, Any]) -> bool:
    rec = record.get("recognized") or {}
    return rec.get("human_at_s") is not None or rec.get("ai_at_s") is not None


def raw_drawing(record: dict[str, Any]) -> list[list[list[float]]]:
    return [[list(s["x"]), list(s["y"]), list(s["t"])] for s in pen_strokes(record)]


def simplified_drawing(record: dict[str, Any]) -> list[list[list[int]]]:
    """doodle_raster's steps 1-3 (the rasterizer's own normalization) as Google's simplified strokes."""
    strokes = [Stroke("pen", 0.0, np.column_stack([s["x"], s["y"]]).astype(np.float64))
               for s in pen_strokes(record)]
    return [[[int(v) for v in pts[:, 0]], [int(v) for v in pts[:, 1]]]
            for _eraser, _w, pts in normalize_strokes(strokes) if len(pts)]


def looks_like_text(strokes: list[dict[str, Any]]) -> bool:
    """The `text` gate's heuristic (module docstring)."""
    if len(strokes) < TEXT_MIN_STROKES:
        return False
    boxes = [(min(s["x"]), max(s["x"]), min(s["y"]), max(s["y"])) for s in strokes]
    x0, x1 = min(b[0] for b in boxes), max(b[1] for b in boxes)
    y0, y1 = min(b[2] for b in boxes), max(b[3] for b in boxes)
    width, height = x1 - x0, max(y1 - y0, 1e-9)
    if width < TEXT_ASPECT * height:
        return False
    if any(b[1] - b[0] > TEXT_GLYPH_WIDTH * width for b in boxes):
        return False
    tall = sum(b[3] - b[2] >= TEXT_GLYPH_HEIGHT * height for b in boxes)
    centres = [(b[0] + b[1]) / 2 for b in boxes]
    forward = sum(b >= a for a, b in pairwise(centres))
    return tall >= TEXT_TALL * len(boxes) and forward >= TEXT_ORDER * (len(boxes) - 1)


def fingerprint(record: dict[str, Any]) -> str:
    points = [[s["x"], s["y"]] for s in pen_strokes(record)]
    return hashlib.sha256(json.dumps(points, separators=(",", ":")).encode()).hexdigest()


def gate(record: dict[str, Any], seen: set[str], review: bool = False) -> str:
    """"keep", "review" or the name of the first gate that drops the record; adds kept ones to `seen`."""
    pens = pen_strokes(record)
    if not pens:
        return "empty"
    xs = [x for s in pens for x in s["x"]]
    ys = [y for s in pens for y in s["y"]]
    if max(max(xs) - min(xs), max(ys) - min(ys)) < ONE_DOT:
        return "one_dot"
    if any(s.get("tool") == "eraser" and s.get("x") for s in record.get("strokes", [])):
        return "eraser"
    if float((rasterize_google(raw_drawing(record)) > 0.5).mean()) > SCRIBBLE_INK:
        return "scribble"
    if looks_like_text(pens):
        return "text"
    if not recognized(record):
        return "review" if review else "unrecognized"
    key = fingerprint(record)
    if key in seen:
        return "duplicate"
    seen.add(key)
    return "keep"


def google_record(record: dict[str, Any], drawing: list[Any]) -> dict[str, Any]:
    """Quick, Draw!'s record: the country is never recorded, so `countrycode` is ""."""
    return {"word": record["word"], "countrycode": "", "timestamp": record["timestamp"],
            "recognized": recognized(record), "key_id": record["key_id"], "drawing": drawing}


def file_name(word: str) -> str:
    """`<word>.ndjson`, the word percent-encoded where it would not be a safe file name."""
    safe = urllib.parse.quote(word, safe=" '-_()")
    return f"{'%2E' + safe[1:] if safe.startswith('.') else safe}.ndjson"


def export(records: Iterable[dict[str, Any]], out: Path, review: bool = False) -> dict[str, dict[str, Any]]:
    """Write the kept drawings under `out` (module docstring); returns the per-word report."""
    out = Path(out)
    report: dict[str, dict[str, Any]] = {}
    files: dict[tuple[str, str], list[str]] = {}
    seen: set[str] = set()
    for record in sorted(records, key=lambda r: (r.get("ended_at", 0), r.get("key_id", ""))):
        word = record.get("word")
        if not isinstance(word, str) or not word:
            continue
        row = report.setdefault(word, {"kept": 0, "review": 0, "dropped": {}})
        verdict = gate(record, seen, review)
        if verdict not in ("keep", "review"):
            row["dropped"][verdict] = row["dropped"].get(verdict, 0) + 1
            continue
        row["kept" if verdict == "keep" else "review"] += 1
        base = "" if verdict == "keep" else "review/"
        for fmt, drawing in (("raw", raw_drawing(record)), ("simplified", simplified_drawing(record))):
            line = json.dumps(google_record(record, drawing), separators=(",", ":"), ensure_ascii=False)
            files.setdefault((f"{base}{fmt}", word), []).append(line)
    for (folder, word), lines in files.items():
        path = out / folder / file_name(word)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(report, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return report


def report_table(report: dict[str, dict[str, Any]]) -> str:
    lines = [f"{'word':24s} kept review " + " ".join(f"{g:>12s}" for g in GATES)]
    for word, row in sorted(report.items()):
        drops = " ".join(f"{row['dropped'].get(g, 0):12d}" for g in GATES)
        lines.append(f"{word[:24]:24s} {row['kept']:4d} {row['review']:6d} {drops}")
    kept = sum(r["kept"] for r in report.values())
    dropped = sum(sum(r["dropped"].values()) for r in report.values())
    lines.append(f"{len(report)} words: {kept} drawings kept, {dropped} dropped")
    return "\n".join(lines)


# -- the commands (python -m game_server export-drawings | delete-drawings) ------------------------------
COMMANDS = ("export-drawings", "delete-drawings")


def add_arguments(name: str, parser: argparse.ArgumentParser) -> None:
    if name == "export-drawings":
        parser.add_argument("--out", type=Path, required=True,
                            help="folder for raw/, simplified/ and report.json")
        parser.add_argument("--review", action="store_true",
                            help="write unrecognized drawings to <out>/review/ instead of dropping them")
    else:
        parser.add_argument("--contributor", required=True,
                            help="the contributor id the player saw (remove all their kept drawings)")


async def _run(name: str, config: Any, args: argparse.Namespace) -> int:
    from game_server.capture import make_sink

    sink = make_sink(config)
    try:
        if name == "delete-drawings":
            removed = await sink.delete(args.contributor)
            print(f"removed {removed} drawing(s) of contributor {args.contributor}")
            return 0
        records = [r async for r in sink.records()]
    finally:
        await sink.close()
    report = export(records, args.out, args.review)
    print(report_table(report))
    print(f"written to {args.out}")
    return 0


def run_command(name: str, config: Any, args: argparse.Namespace) -> int:
    return asyncio.run(_run(name, config, args))
