"""The core stays pure: it imports only a few standard modules and itself (no clock, I/O, shell or store)."""

from __future__ import annotations

import ast
from pathlib import Path

import game_server.core

ALLOWED = {"__future__", "dataclasses", "typing", "collections.abc", "random", "re", "math", "unicodedata"}


def test_core_imports_nothing_impure() -> None:
    core_dir = Path(game_server.core.__file__).parent
    offenders = []
    for path in sorted(core_dir.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                if name not in ALLOWED and not name.startswith("game_server.core"):
                    offenders.append(f"{path.name}: {name}")
    assert offenders == []
    assert len(list(core_dir.glob("*.py"))) >= 10  # the scan saw the package
