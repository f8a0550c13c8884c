"""Drawings from games: folders written by ``python -m game_server export-drawings --out DIR``.

A folder holds Google's layout, ``raw/<word>.ndjson`` and ``simplified/<word>.ndjson`` (two copies of
each kept drawing, sharing its ``key_id``), plus ``report.json``; ``review/`` (unrecognized drawings set
aside for a person) is never read. Records are grouped by their ``word`` field, not by file name, so a
word's file name encoding does not matter. Only players who opted in are in these files (README,
"Privacy"). Standard library only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from training.sources import local

FORMATS = {"strokes": "simplified", "strokes_raw": "raw"}  # dataset kind -> folder


def _files(folders: Iterable[str | Path], fmt: str) -> list[Path]:
    return [p for d in folders for p in sorted((Path(d) / fmt).glob("*.ndjson"))]


def records(
    folders: Iterable[str | Path], category: str | None = None
) -> list[tuple[str, str, dict[str, Any]]]:
    """(kind, key_id, record) of every game drawing (of ``category`` if given), simplified then raw."""
    folders = list(folders)
    out = []
    for kind, fmt in FORMATS.items():
        for path in _files(folders, fmt):
            out.extend((kind, str(r["key_id"]), r) for r in local.iter_ndjson(path)
                       if r.get("key_id") and (category is None or r.get("word") == category))
    return out


def counts(folders: Iterable[str | Path], categories: Iterable[str] | None = None) -> dict[str, int]:
    """Game drawings per word (one per key_id, whatever the formats), only ``categories`` if given."""
    keys: dict[str, set[str]] = {}
    for _kind, key, rec in records(folders):
        keys.setdefault(rec["word"], set()).add(key)
    wanted = None if categories is None else set(categories)
    return {w: len(k) for w, k in sorted(keys.items()) if wanted is None or w in wanted}


def fingerprint(folders: Iterable[str | Path]) -> str:
    """A hash of the folders' drawing files (names and bytes): prepared arrays are cached by it."""
    folders = list(folders)
    h = hashlib.sha256()
    for fmt in FORMATS.values():
        for path in _files(folders, fmt):
            h.update(f"{fmt}/{path.name}\0".encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def missing(folders: Iterable[str | Path]) -> list[str]:
    """Folders that hold no exported drawings (neither raw/ nor simplified/ files)."""
    return [str(d) for d in folders if not any(_files([d], fmt) for fmt in FORMATS.values())]
