"""Where data lives: the cache (outside git) and the shared Quick, Draw! folder. Standard library only."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def cache_dir() -> Path:
    """``$DOODLEAI_CACHE`` or ``~/.cache/doodleai``: downloads, prepared arrays, run outputs."""
    return Path(os.environ.get("DOODLEAI_CACHE") or Path.home() / ".cache" / "doodleai")


def default_data_dir() -> Path:
    """``$QUICKDRAW_DIR`` or the shared copy beside the repository (``../shared/quickdraw``)."""
    env = os.environ.get("QUICKDRAW_DIR")
    if env:
        return Path(env)
    for cand in (REPO_ROOT.parent / "shared" / "quickdraw", REPO_ROOT / "shared" / "quickdraw"):
        if cand.is_dir():
            return cand
    return REPO_ROOT.parent / "shared" / "quickdraw"
