"""scripts/: PyTorch's CPU build (install_torch), the packages test.sh installs, shell syntax.

install_torch runs for real against a stand-in python that records its pip calls, and a local HTTP
server standing in for PyTorch's CPU index: nothing is installed, no other host is contacted.
"""

from __future__ import annotations

import http.server
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "scripts"


@pytest.mark.parametrize("name", ["_env.sh", "_torch.sh", "play.sh", "test.sh"])
def test_scripts_parse(name: str):
    assert subprocess.run(["bash", "-n", str(SCRIPTS / name)], capture_output=True).returncode == 0


def test_torch_version_matches_the_pyproject_pin():
    pin = re.search(r'"torch==([\d.]+)"', (ROOT / "pyproject.toml").read_text()).group(1)
    assert f'TORCH_VERSION="{pin}"' in (SCRIPTS / "_torch.sh").read_text()


def test_test_sh_installs_chromium_and_nginx_from_debian():
    text = (SCRIPTS / "test.sh").read_text()
    assert "need+=(chromium)" in text and "need+=(nginx)" in text
    assert 'apt-get install -y -qq "${need[@]}"' in text


@pytest.fixture
def cpu_index() -> Iterator[str]:
    """A local HTTP server with a /torch/ page, standing in for PyTorch's CPU wheel index."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200 if self.path == "/whl/cpu/torch/" else 404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/whl/cpu"
    server.shutdown()


def run_install_torch(tmp_path: Path, index: str | None, torch_installed: str = "") -> tuple[str, list[str]]:
    """Source _torch.sh with a stand-in $VPY and run install_torch; (stdout, recorded pip argv)."""
    calls = tmp_path / "pip-calls"
    fake = tmp_path / "python"
    # The stand-in answers the "is torch X installed" probe from $FAKE_TORCH and records pip installs;
    # everything else (the index probe) is the real interpreter.
    fake.write_text(
        "#!/bin/bash\n"
        'if [ "$1 $2 $3" = "-m pip install" ]; then shift 3; echo "$*" >> "$CALLS"; exit 0; fi\n'
        'if [ "$1" = "-c" ] && [[ "$2" == *torch.__version__* ]]; then\n'
        '  [ -n "$FAKE_TORCH" ] && [ "$FAKE_TORCH" = "$TORCH_VERSION" ]; exit $?; fi\n'
        f'exec {sys.executable} "$@"\n'
    )
    fake.chmod(0o755)
    env = {"PATH": "/usr/bin:/bin", "VPY": str(fake), "CALLS": str(calls), "FAKE_TORCH": torch_installed}
    if index is not None:
        env["DOODLEAI_TORCH_INDEX"] = index
    script = f'set -euo pipefail; source "{SCRIPTS / "_torch.sh"}"; export TORCH_VERSION; install_torch'
    out = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout, calls.read_text().splitlines() if calls.exists() else []


def test_install_torch_adds_the_cpu_index_when_it_answers(tmp_path: Path, cpu_index: str):
    out, calls = run_install_torch(tmp_path, cpu_index)
    assert calls == [f"-q torch==2.13.0 --extra-index-url {cpu_index}"]
    assert "CPU build" in out


def test_install_torch_falls_back_to_the_configured_index(tmp_path: Path, cpu_index: str):
    gone = cpu_index.replace("/whl/cpu", "/nothing")  # answers 404: the index is not there
    out, calls = run_install_torch(tmp_path, gone)
    assert calls == ["-q torch==2.13.0"]
    assert f"{gone} not reachable" in out
    (tmp_path / "empty").mkdir()
    out, calls = run_install_torch(tmp_path / "empty", "")
    assert calls == ["-q torch==2.13.0"] and "DOODLEAI_TORCH_INDEX is empty" in out


def test_install_torch_keeps_a_matching_torch(tmp_path: Path, cpu_index: str):
    out, calls = run_install_torch(tmp_path, cpu_index, torch_installed="2.13.0")
    assert calls == [] and out == ""
