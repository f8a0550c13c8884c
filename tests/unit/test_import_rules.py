"""Dependency rules that keep the packages apart (ARCHITECTURE.md, package docstrings).

- No module of the game server imports ``training`` (the server ships without it) or torch.
- ``doodle_raster`` imports nothing but numpy, the standard library and itself.
Checked on the source (every import statement, including ones inside functions), so a lazy import
cannot slip through.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import doodle_raster
import game_server


def imported_modules(package_dir: Path) -> dict[str, set[str]]:
    """{file relative to the package's parent: absolute names of the modules it imports}."""
    found: dict[str, set[str]] = {}
    for path in sorted(package_dir.rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                # A relative import stays inside the package; record it as the package itself.
                names.add(package_dir.name if node.level else node.module or "")
        found[str(path.relative_to(package_dir.parent))] = names
    return found


def top(name: str) -> str:
    return name.split(".", 1)[0]


def test_the_server_never_imports_training_or_torch() -> None:
    found = imported_modules(Path(game_server.__file__).parent)
    offenders = sorted(
        f"{path}: {name}" for path, names in found.items() for name in names
        if top(name) in {"training", "torch"}
    )
    assert offenders == []
    assert len(found) >= 20  # the scan saw the whole server, subpackages included
    assert any("doodle_raster" in names for names in found.values())  # ... and the rasterizer import


def test_the_rasterizer_imports_only_numpy_and_the_standard_library() -> None:
    found = imported_modules(Path(doodle_raster.__file__).parent)
    allowed = set(sys.stdlib_module_names) | {"numpy", "doodle_raster"}
    offenders = sorted(
        f"{path}: {name}" for path, names in found.items() for name in names if top(name) not in allowed
    )
    assert offenders == []
    assert any("numpy" in names for names in found.values())  # the scan saw the code


def test_rule_checker_catches_a_forbidden_import(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "late.py").write_text("def f():\n    from training.model import X\n    return X\n")
    found = imported_modules(pkg)
    assert found["pkg/sub/late.py"] == {"training.model"}


def test_the_game_layer_is_injected_not_imported_late() -> None:
    """clock and liveness get the game layer's callbacks from app.create_app (context.GameLayer); no module
    of the server imports the handlers inside a function (the old way round a cycle that did not exist)."""
    package = Path(game_server.__file__).parent
    late = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)):
            for node in ast.walk(fn):
                module = node.module or "" if isinstance(node, ast.ImportFrom) else ""
                if module.startswith("game_server.handlers"):
                    late.append(f"{path.name}: {fn.name}")
    assert late == []
    found = imported_modules(package)
    for shell in ("game_server/clock.py", "game_server/liveness.py"):
        assert not any(name.startswith("game_server.handlers") for name in found[shell])
