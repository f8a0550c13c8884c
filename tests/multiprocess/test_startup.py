"""`python -m game_server --redis-url ...` with no Redis there: a clear error naming the URL, exit != 0."""

from __future__ import annotations

import subprocess
import sys

import pytest
from redis_server import free_port

from .conftest import ROOT

pytestmark = [pytest.mark.multiprocess]


def test_unreachable_redis_at_startup_names_the_url_and_exits_nonzero() -> None:
    redis_port, port = free_port(), free_port()
    url = f"redis://user:s3cret@127.0.0.1:{redis_port}/0"
    done = subprocess.run(
        [sys.executable, "-m", "game_server", "--port", str(port), "--redis-url", url,
         "--log-format", "text"],
        cwd=ROOT, capture_output=True, text=True, timeout=30,
    )
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert f"127.0.0.1:{redis_port}" in output, output
    assert "s3cret" not in output, "the password leaked into the log"
    assert "Traceback" not in output, output
