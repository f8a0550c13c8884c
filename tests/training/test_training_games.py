"""Game drawings in training: the export read back, mixed through the normal split by key_id, counted."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from game_server.drawing_export import export
from training.dataset import SOURCES, DataConfig, prepare_category, split_of
from training.sources import games, local

from .conftest import FIXTURE_CATEGORIES

HUMAN = {"human_at_s": 2.0, "ai_at_s": None, "ai_prob": None, "ai_place": None}


def key_ids() -> list[str]:
    """16-digit key_ids whose splits take turns (train, val, test, ...), so every split gets some."""
    by_split: dict[int, list[str]] = {0: [], 1: [], 2: []}
    for n in range(1_000_000_000_000_000, 1_000_000_000_000_400):
        by_split[split_of(str(n))].append(str(n))
    return [by_split[i % 3][i // 3] for i in range(3 * min(map(len, by_split.values())))]


def game_records(fixture_dir: Path) -> list[dict[str, Any]]:
    """Capture records (game_server/capture.py's shape) of the word "ant", made from the fixture's raw and
    simplified drawings of every category (their shapes do not matter here: only where they go)."""
    drawings = [r["drawing"] for kind in ("strokes_raw", "strokes") for cat in FIXTURE_CATEGORIES
                for r in local.iter_ndjson(local.find(fixture_dir, kind, cat))]
    out = []
    for key, drawing in zip(key_ids(), drawings, strict=False):
        strokes = [{"tool": "pen", "width": 6.0, "x": s[0], "y": s[1], "t": [*s[2:3], [0] * len(s[0])][0]}
                   for s in drawing]
        out.append({"key_id": key, "word": "ant", "ended_at": 1.0, "recognized": HUMAN,
                    "timestamp": "2027-01-15 08:00:00.000000 UTC", "contributor": "c" + "0" * 24,
                    "strokes": strokes})
    return out


@pytest.fixture
def exported(fixture_dir: Path, tmp_path: Path) -> Path:
    out = tmp_path / "games"
    records = game_records(fixture_dir)
    report = export(records, out)
    assert report["ant"]["kept"] >= 12, report
    return out


def test_the_export_reads_back_with_both_copies_of_each_drawing(exported: Path) -> None:
    recs = games.records([exported], "ant")
    kinds: dict[str, set[str]] = {}
    for kind, key, rec in recs:
        assert local.is_drawing(rec["drawing"]) and rec["word"] == "ant"
        kinds.setdefault(key, set()).add(kind)
    assert all(k == {"strokes", "strokes_raw"} for k in kinds.values())
    assert games.counts([exported]) == {"ant": len(kinds)}
    assert games.counts([exported], ["cat"]) == {} and games.missing([exported, exported / "raw"]) == [
        str(exported / "raw")]


def test_the_loader_mixes_game_drawings_through_the_split_by_key_id(
    fixture_dir: Path, exported: Path
) -> None:
    cfg = DataConfig(npm=False, stroke_aug=2, games=(str(exported),))
    data = prepare_category("ant", fixture_dir, cfg)
    plain = prepare_category("ant", fixture_dir, DataConfig(npm=False, stroke_aug=2))
    src = SOURCES.index("games")
    keys = {key for _, key, _ in games.records([exported], "ant")}
    split = {k: split_of(k) for k in keys}
    train = sum(1 for s in split.values() if s == 0)
    # Train: both copies, each with its augmented renderings; val/test: one image per drawing, so the
    # raw and simplified copies of a drawing can never sit on both sides of the split.
    assert int(((data["source"] == src) & (data["split"] == 0)).sum()) == 2 * train * (1 + cfg.stroke_aug)
    assert all(any(s == sp for s in split.values()) for sp in (0, 1, 2))
    for sp in (1, 2):
        assert int(((data["source"] == src) & (data["split"] == sp)).sum()) == sum(
            1 for s in split.values() if s == sp)
    # The other sources are untouched by the game drawings.
    rest = data["source"] != src
    assert np.array_equal(data["x"][rest], plain["x"]) and np.array_equal(data["split"][rest], plain["split"])


def test_the_cache_key_of_configs_without_games_is_unchanged() -> None:
    cfg = DataConfig()
    old = {k: v for k, v in asdict(cfg).items() if k != "games"}
    assert cfg.key() == hashlib.sha256(json.dumps(old, sort_keys=True).encode()).hexdigest()[:12]


def test_cli_data_source_games(
    fixture_dir: Path, exported: Path, npm_fixture: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from training import __main__ as cli

    cli.main(["data", "--source", "games", str(exported), "--categories", "ant", "--stroke-aug", "1",
              "--workers", "1", "--data-dir", str(fixture_dir)])
    out = capsys.readouterr().out
    n = games.counts([exported])["ant"]
    assert f"game drawings: {n} of 1 words" in out
    rows = {line.split()[0]: line.split()[1:] for line in out[out.index("source "):].splitlines()[2:]}
    assert int(rows["games"][-1].replace(",", "")) > n
    with pytest.raises(SystemExit):
        cli.main(["data", "--source", "games", "--categories", "ant", "--data-dir", str(fixture_dir)])
