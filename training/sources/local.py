"""Google's Quick, Draw! file formats on disk: numpy_bitmap ``.npy`` and simplified/raw ``.ndjson``.

Files are found by category under a data folder laid out like the shared copy
(``bitmap/<slug>.npy``, ``strokes/<slug>.ndjson``, ``strokes_raw/<slug>.ndjson``) or like Google's
bucket downloads (``<name>.npy``, ``full_numpy_bitmap_<name>.npy``, ``<name>.ndjson``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from training.categories import slug

Drawing = list[list[list[float]]]


def load_bitmaps(path: Path) -> np.ndarray:
    """Google numpy_bitmap file -> uint8 (N, 28, 28), ink 255. Refuses pickles."""
    arr = np.load(path, allow_pickle=False)
    if arr.dtype != np.uint8 or arr.ndim != 2 or arr.shape[1] != 784:
        raise ValueError(f"{path}: expected uint8 (N, 784), got {arr.dtype} {arr.shape}")
    return arr.reshape(-1, 28, 28)


def iter_ndjson(path: Path) -> Iterator[dict[str, Any]]:
    """Records of a simplified or raw ``.ndjson`` file; malformed lines are skipped."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            if is_drawing(rec.get("drawing")):
                yield rec


def is_drawing(d: Any) -> bool:
    """A list of strokes, each [xs, ys] or [xs, ys, ts] of equal, non-zero lengths."""
    if not isinstance(d, list) or not d:
        return False
    for s in d:
        if not isinstance(s, list) or len(s) not in (2, 3):
            return False
        n = len(s[0]) if isinstance(s[0], list) else -1
        if n <= 0 or any(not isinstance(c, list) or len(c) != n for c in s):
            return False
    return True


def find(data_dir: Path, kind: str, category: str) -> Path | None:
    """The file of ``kind`` (bitmap | strokes | strokes_raw) for ``category`` or None."""
    s = slug(category)
    if kind == "bitmap":
        cands = [data_dir / "bitmap" / f"{s}.npy", data_dir / "numpy_bitmap" / f"{category}.npy",
                 data_dir / f"full_numpy_bitmap_{s}.npy", data_dir / f"{category}.npy"]
    elif kind == "strokes":
        cands = [data_dir / "strokes" / f"{s}.ndjson", data_dir / "simplified" / f"{category}.ndjson",
                 data_dir / f"full_simplified_{s}.ndjson"]
    elif kind == "strokes_raw":
        cands = [data_dir / "strokes_raw" / f"{s}.ndjson", data_dir / "raw" / f"{category}.ndjson",
                 data_dir / f"full_raw_{s}.ndjson"]
    else:
        raise ValueError(f"unknown kind {kind!r}")
    return next((p for p in cands if p.is_file()), None)
