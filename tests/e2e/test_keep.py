"""Issue 14: keep the drawings. After a game, the gallery downloads a drawing as a PNG equal to the board the
drawer saw, an animated replay (GIF) with at least one frame per stroke batch the drawer sent, and every
drawing of the game (PNG + replay) as one ZIP."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import expect

from .helpers import canvas_rgba, draw_stroke, host_and_guest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TRIANGLE = [(300, 450), (400, 200), (500, 450), (300, 450)]
SQUIGGLE = [(150, 100), (250, 160), (200, 260), (320, 300)]


def _grow(mask: np.ndarray, r: int) -> np.ndarray:
    """`mask` dilated by a (2r+1)-square."""
    padded = np.pad(mask, r)
    h, w = mask.shape
    out = np.zeros_like(mask)
    for dy in range(2 * r + 1):
        for dx in range(2 * r + 1):
            out |= padded[dy:dy + h, dx:dx + w]
    return out


def _download(page: Any, selector: str) -> bytes:
    with page.expect_download(timeout=60_000) as info:
        page.locator(selector).click()
    return open(info.value.path(), "rb").read()


def test_the_gallery_keeps_png_replay_and_all_in_one_zip(chromium: Any, server_url: str) -> None:
    errors: list[str] = []
    ann, bob = host_and_guest(chromium, server_url, errors, words="triangle")
    ann.evaluate("() => window.__doodleai.updateSettings({draw_time: 240})")  # room for a loaded machine
    expect(bob.locator("#set-draw_time")).to_have_value("240")
    ann.wait_for_function("() => window.__doodleai.classifier.status === 'ready'", timeout=60_000)
    ann.click("#start")
    ann.locator("#choices button").first.click()
    expect(ann.locator("#word-text")).to_have_text("triangle")
    draw_stroke(ann, TRIANGLE, step_px=60)
    draw_stroke(ann, SQUIGGLE, step_px=60)
    batches = ann.evaluate("() => window.__doodleai.drawSender.seq")  # `draw` batches Ann sent
    assert ann.evaluate("() => window.__doodleai.room.isDrawer")  # still Ann's turn
    bw, bh, board = canvas_rgba(ann)
    bob.fill("#chat-input", "triangle")
    bob.press("#chat-input", "Enter")
    bob.locator("#choices button").first.click(timeout=20_000)  # Bob's turn
    draw_stroke(bob, TRIANGLE, step_px=60)
    ann.fill("#chat-input", "triangle")
    ann.press("#chat-input", "Enter")
    expect(ann.locator("#gallery .gallery-item")).to_have_count(2, timeout=20_000)
    first = "#gallery .gallery-item >> nth=0"
    expect(ann.locator(first)).to_contain_text("by Ann")

    # The PNG: 800x600, and its ink is the ink of Ann's board (scaled to the board's pixels).
    png = Image.open(io.BytesIO(_download(ann, f"{first} >> .dl-png"))).convert("RGB")
    assert png.size == (800, 600)
    ink_png = np.asarray(png.resize((bw, bh), Image.Resampling.BILINEAR)).min(axis=2) < 128
    ink_board = np.frombuffer(board, dtype=np.uint8).reshape(bh, bw, 4)[:, :, 3] > 127
    # Up to the resampling of thin anti-aliased lines: every ink pixel of one lies within 2 px of the other's.
    near_png, near_board = _grow(ink_png, 2), _grow(ink_board, 2)
    missing = (ink_board & ~near_png).sum() / ink_board.sum()
    extra = (ink_png & ~near_board).sum() / ink_png.sum()
    assert ink_board.sum() > 500 and missing < 0.01 and extra < 0.01, (missing, extra)

    # The replay: a GIF with one frame per op of the log, so at least one per batch Ann sent.
    gif = Image.open(io.BytesIO(_download(ann, f"{first} >> .dl-replay")))
    frames = int(ann.locator(f"{first} >> .dl-replay").get_attribute("data-frames"))
    assert gif.format == "GIF" and gif.n_frames == frames >= batches >= 1, (gif.n_frames, frames, batches)

    # Everything in one archive: a PNG and a replay per drawing, all readable.
    archive = zipfile.ZipFile(io.BytesIO(_download(ann, "#download-all")))
    assert archive.testzip() is None
    names = archive.namelist()
    assert sorted(n.rsplit(".", 1)[1] for n in names) == ["gif", "gif", "png", "png"], names
    for name in names:
        assert Image.open(io.BytesIO(archive.read(name))).size[0] > 0
    ann.context.close()
    bob.context.close()
    assert not errors, errors
