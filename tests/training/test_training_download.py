"""The Google bucket downloader against a local aiohttp server serving files in Google's layout."""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
import pytest
from aiohttp import web

from training.sources import google, local

from .conftest import FIXTURE_CATEGORIES

pytestmark = pytest.mark.training

SHARED_KIND = {"numpy_bitmap": "bitmap", "simplified": "strokes", "raw": "strokes_raw"}


def bucket_file(fixture_dir: Path, fmt: str, name: str) -> Path:
    path = local.find(fixture_dir, SHARED_KIND[fmt], name)
    assert path is not None
    return path


@pytest.fixture
async def bucket(fixture_dir: Path):
    """Serves /full/<format>/<Google name>.<ext> with Range support; /flaky/... drops the first answer."""
    log: list[tuple[str, str | None, int]] = []
    dropped: set[str] = set()

    async def serve(request: web.Request) -> web.StreamResponse:
        fmt, fname = request.match_info["fmt"], request.match_info["fname"]
        name = fname.rsplit(".", 1)[0]
        if fmt not in google.EXT or name not in FIXTURE_CATEGORIES:
            raise web.HTTPNotFound()
        path = bucket_file(fixture_dir, fmt, name)
        flaky = request.path.startswith("/flaky/")
        rng = request.headers.get("Range")
        if flaky and request.path not in dropped:
            dropped.add(request.path)  # promise the whole file, send a third of it, hang up
            data = path.read_bytes()
            resp = web.StreamResponse(headers={"Content-Length": str(len(data))})
            await resp.prepare(request)
            await resp.write(data[: len(data) // 3])
            log.append((request.raw_path, rng, 200))
            request.transport.close()
            return resp
        resp = web.FileResponse(path)
        log.append((request.raw_path, rng, 206 if rng else 200))
        return resp

    app = web.Application()
    app.router.add_get("/full/{fmt}/{fname}", serve)
    app.router.add_get("/flaky/{fmt}/{fname}", serve)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}", log
    await runner.cleanup()


async def test_download_all_formats(bucket, fixture_dir: Path, tmp_path: Path):
    base, log = bucket
    counts = await asyncio.to_thread(google.download, FIXTURE_CATEGORIES, tmp_path,
                                     ["numpy_bitmap", "simplified", "raw"], f"{base}/full", False)
    assert counts["The Eiffel Tower"] == {"numpy_bitmap": 8, "simplified": 6, "raw": 4}
    assert any(p == "/full/numpy_bitmap/The%20Eiffel%20Tower.npy" for p, _, _ in log)  # Google's names
    for fmt in ("numpy_bitmap", "simplified", "raw"):
        for cat in FIXTURE_CATEGORIES:
            got = google.path_for(tmp_path, fmt, cat)
            assert got.read_bytes() == bucket_file(fixture_dir, fmt, cat).read_bytes()
    # The downloaded folder is readable by the local loaders.
    assert local.load_bitmaps(local.find(tmp_path, "bitmap", "ant")).shape == (8, 28, 28)
    assert len(list(local.iter_ndjson(local.find(tmp_path, "strokes_raw", "ant")))) == 4
    # A second call fetches nothing.
    n = len(log)
    await asyncio.to_thread(google.download, ["ant"], tmp_path, ["numpy_bitmap"], f"{base}/full", False)
    assert len(log) == n


async def test_resume_from_part_file(bucket, fixture_dir: Path, tmp_path: Path):
    base, log = bucket
    src = bucket_file(fixture_dir, "numpy_bitmap", "ant").read_bytes()
    dest = google.path_for(tmp_path, "numpy_bitmap", "ant")
    dest.parent.mkdir(parents=True)
    dest.with_name(dest.name + ".part").write_bytes(src[:1000])
    url = google.url_for(f"{base}/full", "numpy_bitmap", "ant")
    await asyncio.to_thread(google.fetch, url, dest, 2, False)
    assert dest.read_bytes() == src
    assert log == [("/full/numpy_bitmap/ant.npy", "bytes=1000-", 206)]
    assert not dest.with_name(dest.name + ".part").exists()


async def test_dropped_connection_is_resumed(bucket, fixture_dir: Path, tmp_path: Path):
    base, log = bucket
    src = bucket_file(fixture_dir, "simplified", "smiley face").read_bytes()
    dest = google.path_for(tmp_path, "simplified", "smiley face")
    await asyncio.to_thread(google.fetch, google.url_for(f"{base}/flaky", "simplified", "smiley face"),
                            dest, 3, False)
    assert dest.read_bytes() == src
    assert [status for _, _, status in log] == [200, 206]
    assert log[1][1] == f"bytes={len(src) // 3}-"


async def test_missing_file_and_bad_format(bucket, tmp_path: Path):
    base, _ = bucket
    with pytest.raises(Exception, match="404"):
        await asyncio.to_thread(google.download, ["zigzag"], tmp_path, ["simplified"], f"{base}/full", False)
    bad = tmp_path / "x.npy"
    np.save(bad, np.zeros((2, 5), np.float64))
    with pytest.raises(ValueError):
        google.check(bad, "numpy_bitmap")
