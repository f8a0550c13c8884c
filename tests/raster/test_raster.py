"""Unit tests of doodle_raster/raster.py: the model's input contract (docs/rasterizer.md)."""

from __future__ import annotations

import random

import numpy as np
import pytest
import raster_reference
from hypothesis import given, settings
from hypothesis import strategies as st
from raster_cases import data_dir, edge_cases, load_drawings, place, to_ops

import doodle_raster as R

CASES = edge_cases()


def stroke(sid, pts, tool="pen", width=6.0):
    return {"type": "stroke", "id": sid, "tool": tool, "color": "#000000", "width": width, "points": pts}


def reference(ops, line_width=16.0):
    strokes = [(s.tool, s.width, [tuple(p) for p in s.points.tolist()]) for s in R.visible_strokes(ops)]
    return np.array(raster_reference.rasterize(strokes, line_width))


needs_data = pytest.mark.skipif(
    not (data_dir() / "strokes").is_dir(), reason="no Quick, Draw! strokes folder (set DOODLEAI_DATA_DIR)"
)


def test_empty_and_pen_free_logs_give_zeros():
    for name in ("empty", "eraser_only", "undo_all", "clear"):
        img = R.rasterize_ops(CASES[name])
        assert img.shape == (28, 28) and img.dtype == np.float32
        assert not img.any(), name
    assert not R.rasterize_google([]).any()


def test_single_dot_is_a_centred_disk():
    img = R.rasterize_ops(CASES["single_dot"]).astype(np.float64)
    # The dot lands on (14, 14), the corner shared by the four central pixels.
    assert np.array_equal(img, img[::-1, :]) and np.array_equal(img, img[:, ::-1])
    assert np.array_equal(img, img.T)
    assert img[13, 13] == img.max() > 0.5
    ys, xs = np.nonzero(img)
    assert ys.min() >= 12 and ys.max() <= 15 and xs.min() >= 12 and xs.max() <= 15
    assert img[13:15, 13:15].min() > 0.5
    r = 16 * 28 / 304 / 2
    assert abs(img.sum() - np.pi * (r + 0.0) ** 2) < 1.0  # coverage integrates to about the disk area
    # Where the dot is on the canvas and how wide the pen is do not matter.
    moved = R.rasterize_ops([stroke(7, [[3.5, 598.0]], width=40)])
    assert np.array_equal(moved, img.astype(np.float32))


def test_one_long_line():
    img = R.rasterize_ops(CASES["long_line"]).astype(np.float64)
    assert np.array_equal(img, img[::-1, :])  # centred vertically: y lands on 14.0
    assert np.array_equal(img, img[:, ::-1])  # and horizontally
    rows = np.nonzero(img.any(axis=1))[0]
    assert rows.tolist() == [13, 14]  # y = 14.0 is the boundary between rows 13 and 14
    assert np.allclose(img[13, 4:24], img[13, 4]) and img[13, 4] > 0.7  # uniform along the line
    cols = np.nonzero(img[13] > 0)[0]
    assert cols.min() == 1 and cols.max() == 26
    diag = R.rasterize_ops(CASES["diagonal"])
    assert np.allclose(diag, diag[::-1, ::-1], atol=1e-6) and diag[5, 2] == 1.0 and diag[22, 25] == 1.0


def test_drawing_at_the_canvas_border_matches_the_same_drawing_inside():
    border = R.rasterize_ops(CASES["border"])
    inner = R.rasterize_ops([stroke(1, [[200, 150], [600, 150], [600, 450], [200, 450], [200, 150]])])
    assert np.array_equal(border, inner)
    for name in ("border", "border_corner"):
        img = R.rasterize_ops(CASES[name])
        # Like Google's numpy bitmaps: ink reaches the 26x26 interior but never the outer ring.
        ring = np.concatenate([img[0], img[-1], img[:, 0], img[:, -1]])
        assert img.any() and not ring.any(), name


def test_erasing_everything_gives_zeros_and_erasing_part_removes_ink_there():
    assert not R.rasterize_ops(CASES["erased"]).any()
    whole = R.rasterize_ops(CASES["erased"][:1])
    part = R.rasterize_ops(CASES["partly_erased"])
    assert part.sum() < whole.sum() - 3
    assert np.all(part <= whole + 1e-7)  # an eraser only ever removes ink
    left = slice(0, 6)
    assert part[:, left].sum() < 0.2 * whole[:, left].sum()


def test_undo_clear_and_batching_semantics():
    a = [[100, 100], [200, 120], [260, 240]]
    b = [[300, 300], [350, 200]]
    c = [[50, 400], [400, 420]]
    base = R.rasterize_ops([stroke(1, a), stroke(2, b)])
    batched = [stroke(1, a[:1]), {"type": "points", "id": 1, "points": a[1:2]}]
    batched += [{"type": "points", "id": 1, "points": a[2:]}, stroke(2, b)]
    assert np.array_equal(R.rasterize_ops(batched), base)
    assert np.array_equal(R.rasterize_ops([stroke(1, a), stroke(2, b), stroke(3, c), {"type": "undo"}]), base)
    # Undo of an eraser restores the ink; undo after clear has nothing left to remove.
    erased = [stroke(1, a), stroke(2, b), stroke(3, [[200, 120]], "eraser", 80.0)]
    assert not np.array_equal(R.rasterize_ops(erased), base)
    assert np.array_equal(R.rasterize_ops([*erased, {"type": "undo"}]), base)
    after_clear = [stroke(9, c), {"type": "clear"}, {"type": "undo"}, stroke(1, a), stroke(2, b)]
    assert np.array_equal(R.rasterize_ops(after_clear), base)
    # Points for an undone stroke are dropped; two undos remove two strokes.
    late = [stroke(1, a), stroke(2, b), stroke(3, c), {"type": "undo"}]
    late.append({"type": "points", "id": 3, "points": c})
    assert np.array_equal(R.rasterize_ops(late), base)
    two = [stroke(1, a), stroke(2, b), stroke(3, c), {"type": "undo"}, {"type": "undo"}]
    assert np.array_equal(R.rasterize_ops(two), R.rasterize_ops([stroke(1, a)]))
    vis = R.visible_strokes([*batched, {"type": "bogus"}])
    assert [s.tool for s in vis] == ["pen", "pen"] and vis[0].points.tolist() == a
    prefixes = R.rasterize_ops_prefixes(two, [0, 1, 5])
    assert prefixes.shape == (3, 28, 28) and not prefixes[0].any()
    assert np.array_equal(prefixes[1], prefixes[2])


def test_many_drawings_at_once_equal_one_at_a_time():
    """The batched functions (what the server's verifier uses) are bit-identical to one call each:
    every edge case mixed with random real-looking logs, in several orders and batch sizes, and a
    batch long enough to be split into several passes."""
    rng = random.Random(3)
    logs = list(CASES.values())
    for k in range(40):
        ops = [stroke(j + 1, [[rng.uniform(0, 800), rng.uniform(0, 600)] for _ in range(rng.randint(1, 30))],
                      "eraser" if rng.random() < 0.2 else "pen", rng.choice([6.0, 40.0]))
               for j in range(rng.randint(0, 6))]
        logs.append(ops[: k % 7])
    for size in (1, 2, 5, len(logs)):
        order = rng.sample(logs, len(logs))
        for i in range(0, len(order), size):
            group = order[i : i + size]
            expected = np.stack([R.rasterize_ops(o) for o in group])
            assert np.array_equal(R.rasterize_ops_many(group), expected)
    many = [CASES["dots"]] * 60  # 600 strokes: more than one pass
    assert np.array_equal(R.rasterize_ops_many(many), np.stack([R.rasterize_ops(CASES["dots"])] * 60))
    assert R.rasterize_ops_many([]).shape == (0, 28, 28)
    google = [[[[x for x, _ in s["points"]], [y for _, y in s["points"]]] for s in o if s.get("points")]
              for o in logs[:30]]
    for norm in (True, False):
        expected = np.stack([R.rasterize_google(d, normalize=norm) for d in google])
        assert np.array_equal(R.rasterize_google_many(google, normalize=norm), expected)


@pytest.mark.parametrize("name", sorted(CASES))
def test_edge_cases_match_the_literal_reference(name):
    assert np.abs(R.rasterize_ops(CASES[name]) - reference(CASES[name])).max() < 1e-6


@needs_data
def test_real_drawings_match_the_literal_reference():
    rng = random.Random(5)
    recs = load_drawings("strokes", 1, every=23) + load_drawings("strokes_raw", 1, every=41)
    for rec in recs:
        ops = to_ops(place(rec["drawing"], rng), rng, extras=True)
        for lw in (16.0, 10.0):
            assert np.abs(R.rasterize_ops(ops, lw) - reference(ops, lw)).max() < 1e-6, rec["key_id"]


@needs_data
def test_normalization_is_idempotent_on_its_output_and_google_rendering_is_close():
    recs = load_drawings("strokes", 2, every=7)
    for rec in recs:
        strokes = [R.Stroke("pen", 0.0, np.array([s[0], s[1]], float).T) for s in rec["drawing"]]
        once = R.normalize_strokes(strokes)
        # Pen points of the output are integers in 0..255 and feeding them back changes nothing,
        # as long as the box still spans 0..255 (RDP may drop an extreme point; then it rescales).
        pts = np.concatenate([q for _e, _w, q in once])
        assert pts.min() >= 0 and pts.max() <= 255 and np.array_equal(pts, np.round(pts))
        if pts.min(axis=0).tolist() == [0, 0] and pts.max() == 255:
            twice = R.normalize_strokes([R.Stroke("pen", 0.0, q) for _e, _w, q in once])
            assert all(np.array_equal(a[2], b[2]) for a, b in zip(once, twice, strict=True))
        # Google's simplified strokes were simplified from denser strokes, so a second RDP pass can
        # drop a few nearly collinear points: the full pipeline stays within a hair of drawing them
        # as they are (Google's own way).
        full = R.rasterize_google(rec["drawing"])
        as_is = R.rasterize_google(rec["drawing"], normalize=False)
        assert np.abs(full - as_is).mean() < 0.03


@needs_data
def test_same_drawing_anywhere_at_any_size_gives_the_same_raster():
    rng = random.Random(11)
    for rec in load_drawings("strokes", 1, every=9):
        expected = R.rasterize_google(rec["drawing"])
        xs = [x for s in rec["drawing"] for x in s[0]]
        ys = [y for s in rec["drawing"] for y in s[1]]
        # A box of exactly 0..255 (most simplified drawings) maps back to the same integers; other
        # boxes rescale and a value that lands on .5 may round either way after the placement.
        exact = min(xs) == min(ys) == 0 and max(max(xs), max(ys)) == 255
        for _ in range(3):
            diff = np.abs(R.rasterize_ops(to_ops(place(rec["drawing"], rng), rng)) - expected)
            assert diff.max() < 1e-6 if exact else diff.mean() < 0.01, rec["key_id"]
    # Raw drawings (float coordinates): rounding in step 2 may move a point by one unit at most.
    for rec in load_drawings("strokes_raw", 1, every=9):
        expected = R.rasterize_google(rec["drawing"])
        ops = to_ops(place(rec["drawing"], rng), rng)
        assert np.abs(R.rasterize_ops(ops) - expected).mean() < 0.01, rec["key_id"]


pen_or_eraser = st.sampled_from(["pen", "eraser"])
point = st.tuples(st.floats(-50, 850, allow_nan=False), st.floats(-50, 650, allow_nan=False))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.tuples(pen_or_eraser, st.floats(0, 300), st.lists(point, min_size=1, max_size=12)),
            st.sampled_from(["undo", "clear"]),
        ),
        max_size=8,
    ),
    st.floats(4.0, 24.0),
)
def test_output_is_float32_28x28_in_unit_range_for_any_log(items, line_width):
    ops = []
    for n, item in enumerate(items):
        if isinstance(item, str):
            ops.append({"type": item})
        else:
            ops.append(stroke(n, [list(p) for p in item[2]], item[0], item[1]))
    img = R.rasterize_ops(ops, line_width)
    assert img.shape == (28, 28) and img.dtype == np.float32
    assert img.min() >= 0.0 and img.max() <= 1.0
    assert np.abs(img - reference(ops, line_width)).max() < 1e-6


def test_render_box_draws_box_strokes_and_ignores_eraser_only_input():
    eraser = (True, 40.0, np.array([[10.0, 10.0], [200.0, 200.0]]))
    assert not R.render_box([]).any() and not R.render_box([eraser]).any()
    pen = (False, 0.0, np.array([[0.0, 0.0], [255.0, 255.0]]))
    diag = R.render_box([pen])
    assert np.array_equal(diag, R.rasterize_google([[[0, 255], [0, 255]]], normalize=False))
    assert np.array_equal(diag, R.rasterize_ops([stroke(1, [[10, 10], [500, 500]])]))
    assert R.render_box([pen, eraser]).sum() < diag.sum()
