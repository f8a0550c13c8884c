"""The export's quality gates and Quick, Draw! files (game_server/drawing_export.py)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from game_server.drawing_export import export, file_name, gate, looks_like_text, simplified_drawing

HUMAN = {"human_at_s": 3.0, "ai_at_s": None, "ai_prob": None, "ai_place": None}
NOBODY = {"human_at_s": None, "ai_at_s": None, "ai_prob": None, "ai_place": None}


def pen(points: list[tuple[float, float]], tool: str = "pen") -> dict[str, Any]:
    return {"tool": tool, "width": 5.0, "x": [p[0] for p in points], "y": [p[1] for p in points],
            "t": [10 * i for i in range(len(points))]}


def rec(strokes: list[dict[str, Any]], recognized: dict[str, Any] = HUMAN, key: str = "1",
        word: str = "house") -> dict[str, Any]:
    return {"key_id": key, "word": word, "timestamp": "2027-01-15 08:00:00.000000 UTC", "ended_at": 1.0,
            "recognized": recognized, "contributor": "c" + "0" * 24, "strokes": strokes}


HOUSE = [pen([(100, 300), (300, 300), (300, 500), (100, 500), (100, 300)]),
         pen([(90, 310), (200, 150), (310, 310)])]


def circle(cx: float, cy: float, r: float, n: int = 24) -> list[tuple[float, float]]:
    turns = [2 * math.pi * i / n for i in range(n + 1)]
    return [(cx + r * math.cos(a), cy + r * math.sin(a)) for a in turns]


def scribble() -> list[dict[str, Any]]:
    zigzag = [(0 if i % 2 else 400, 5 * i) for i in range(81)]  # 80 strokes across a 400x400 box
    return [pen(zigzag), pen([(5 * i, 0 if i % 2 else 400) for i in range(81)])]


def handwriting() -> list[dict[str, Any]]:
    """"CAT" written in a row: narrow, letter-high strokes left to right."""
    return [pen([(130, 100), (100, 100), (100, 160), (130, 160)]),  # C
            pen([(150, 160), (165, 100), (180, 160)]), pen([(155, 135), (175, 135)]),  # A
            pen([(200, 100), (240, 100)]), pen([(220, 100), (220, 160)])]  # T


@pytest.mark.parametrize(("strokes", "verdict"), [
    ([], "empty"),
    ([pen([(10, 10)], tool="eraser")], "empty"),
    ([pen([(100, 100), (104, 103)]), pen([(102, 101)])], "one_dot"),
    ([*HOUSE, pen([(150, 350), (160, 360)], tool="eraser")], "eraser"),
    (scribble(), "scribble"),
    (handwriting(), "text"),
    (HOUSE, "keep"),
    ([pen(circle(300, 300, 150)), pen(circle(250, 260, 20)), pen(circle(350, 260, 20))], "keep"),
])
def test_gates(strokes: list[dict[str, Any]], verdict: str) -> None:
    assert gate(rec(strokes), set()) == verdict


def test_unrecognized_is_dropped_unless_flagged_for_review_and_duplicates_once() -> None:
    assert gate(rec(HOUSE, NOBODY), set()) == "unrecognized"
    assert gate(rec(HOUSE, NOBODY), set(), review=True) == "review"
    ai_only = {**NOBODY, "ai_at_s": 7.5, "ai_prob": 0.8}
    seen: set[str] = set()
    assert gate(rec(HOUSE, ai_only), seen) == "keep"
    assert gate(rec(HOUSE, key="2"), seen) == "duplicate"


def test_text_heuristic_needs_a_row_of_glyphs() -> None:
    assert looks_like_text(handwriting())
    assert not looks_like_text(handwriting()[:2])  # too few strokes
    assert not looks_like_text(list(reversed(handwriting())))  # not laid out left to right
    assert not looks_like_text(HOUSE * 2)  # not a wide row


def test_export_writes_raw_and_simplified_files_per_word_and_a_report(tmp_path: Path) -> None:
    records = [rec(HOUSE, key="1"), rec(HOUSE, key="2"), rec([], key="3"),
               rec([pen(circle(300, 300, 150))], key="4", word="the eiffel tower"),
               rec([pen(circle(300, 300, 100))], NOBODY, key="5", word="a/b")]
    report = export(records, tmp_path, review=True)
    assert report["house"] == {"kept": 1, "review": 0, "dropped": {"duplicate": 1, "empty": 1}}
    assert report["the eiffel tower"]["kept"] == 1 and report["a/b"]["review"] == 1
    raw = [json.loads(line) for line in (tmp_path / "raw" / "house.ndjson").read_text().splitlines()]
    simple = [json.loads(ln) for ln in (tmp_path / "simplified" / "house.ndjson").read_text().splitlines()]
    assert [r["key_id"] for r in raw] == [r["key_id"] for r in simple] == ["1"]
    assert raw[0]["drawing"][0] == [[100, 300, 300, 100, 100], [300, 300, 500, 500, 300], [0, 10, 20, 30, 40]]
    assert simple[0]["drawing"] == simplified_drawing(records[0])
    assert "contributor" not in raw[0] and raw[0]["countrycode"] == "" and raw[0]["recognized"] is True
    assert (tmp_path / "raw" / "the eiffel tower.ndjson").is_file()
    assert (tmp_path / "review" / "raw" / file_name("a/b")).is_file() and "/" not in file_name("a/b")
    assert json.loads((tmp_path / "report.json").read_text()) == report
    assert file_name("..") == "%2E..ndjson"
