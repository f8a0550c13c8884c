"""Download Quick, Draw! files from Google's public bucket: resumable (HTTP Range), with progress bars.

URLs: ``<base>/numpy_bitmap/<name>.npy``, ``<base>/simplified/<name>.ndjson``, ``<base>/raw/<name>.ndjson``
with Google's category name (spaces kept, URL-encoded). Files land in ``<out>/<format>/<name>.<ext>``,
the layout ``sources.local.find`` reads. A partial download stays as ``.part`` and continues from its
size on the next call (or the next retry after a dropped connection). Standard library + tqdm.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from pathlib import Path

import numpy as np

BASE_URL = "https://storage.googleapis.com/quickdraw_dataset/full"
EXT = {"numpy_bitmap": ".npy", "simplified": ".ndjson", "raw": ".ndjson"}
CHUNK = 1 << 20


def url_for(base_url: str, fmt: str, category: str) -> str:
    return f"{base_url.rstrip('/')}/{fmt}/{urllib.parse.quote(category)}{EXT[fmt]}"


def path_for(out_dir: Path, fmt: str, category: str) -> Path:
    return Path(out_dir) / fmt / f"{category}{EXT[fmt]}"


def fetch(url: str, dest: Path, retries: int = 5, progress: bool = True, timeout: float = 60.0) -> Path:
    """Download ``url`` to ``dest`` unless present, resuming from ``dest.part``; return ``dest``."""
    from tqdm import tqdm

    if dest.exists():
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    for attempt in range(retries + 1):
        have = part.stat().st_size if part.exists() else 0
        req = urllib.request.Request(url, headers={"Range": f"bytes={have}-"} if have else {})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                if have and resp.status != 206:  # server ignored the range: start over
                    have = 0
                length = resp.headers.get("Content-Length")
                total = have + int(length) if length is not None else None
                with open(part, "ab" if have else "wb") as fh, tqdm(
                    total=total, initial=have, unit="B", unit_scale=True, desc=dest.name,
                    disable=not progress, leave=False,
                ) as bar:
                    while chunk := resp.read(CHUNK):
                        fh.write(chunk)
                        bar.update(len(chunk))
                if total is not None and part.stat().st_size < total:
                    got = part.stat().st_size
                    raise ConnectionError(f"{url}: connection closed at {got} of {total} bytes")
            part.replace(dest)
            return dest
        except urllib.error.HTTPError as e:
            if e.code == 416 and have:  # nothing left to fetch: the part file is complete
                part.replace(dest)
                return dest
            if e.code < 500 or attempt == retries:
                raise
        except (ConnectionError, TimeoutError, urllib.error.URLError, OSError):
            if attempt == retries:
                raise
        time.sleep(min(0.2 * 2**attempt, 5.0))
    raise RuntimeError("unreachable")


def check(path: Path, fmt: str) -> int:
    """Validate a downloaded file's format; return its number of drawings."""
    if fmt == "numpy_bitmap":
        arr = np.load(path, mmap_mode="r", allow_pickle=False)
        if arr.dtype != np.uint8 or arr.ndim != 2 or arr.shape[1] != 784:
            raise ValueError(f"{path}: not a numpy_bitmap file ({arr.dtype} {arr.shape})")
        return int(arr.shape[0])
    n = 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rec = json.loads(line)
                if "drawing" not in rec:
                    raise ValueError(f"{path}: line {n + 1} has no 'drawing'")
                n += 1
    return n


def download(categories: Iterable[str], out_dir: Path,
             formats: Iterable[str] = ("numpy_bitmap", "simplified"), base_url: str = BASE_URL,
             progress: bool = True) -> dict[str, dict[str, int]]:
    """Fetch every (format, category) file, check it, and return drawing counts."""
    from tqdm import tqdm

    counts: dict[str, dict[str, int]] = {}
    jobs = [(f, c) for c in categories for f in formats]
    for fmt, cat in tqdm(jobs, desc="download", unit="file", disable=not progress):
        if fmt not in EXT:
            raise ValueError(f"unknown format {fmt!r} (one of {sorted(EXT)})")
        dest = fetch(url_for(base_url, fmt, cat), path_for(out_dir, fmt, cat), progress=progress)
        counts.setdefault(cat, {})[fmt] = check(dest, fmt)
    return counts
