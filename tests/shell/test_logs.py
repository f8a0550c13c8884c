"""Structured logs: JSON lines with ts, level, logger, msg and extra fields; readable text mode."""

from __future__ import annotations

import io
import json
import logging

import pytest

from game_server.logs import setup_logging


@pytest.fixture(autouse=True)
def restore_root_logger():
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    yield
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])


def test_json_lines_carry_extra_fields_and_exceptions():
    buf = io.StringIO()
    setup_logging("info", "json", stream=buf)
    log = logging.getLogger("game_server.test")
    log.debug("hidden")
    log.info("guess %s", "ok", extra={"room": "ABCD", "player": "p1", "event": "chat"})
    try:
        raise ValueError("boom")
    except ValueError:
        log.exception("failed", extra={"room": "ABCD"})
    lines = [json.loads(line) for line in buf.getvalue().splitlines()]
    assert len(lines) == 2
    first = lines[0]
    assert first["msg"] == "guess ok" and first["level"] == "info" and first["logger"] == "game_server.test"
    assert (first["room"], first["player"], first["event"]) == ("ABCD", "p1", "chat")
    assert first["ts"].endswith("Z")
    assert "ValueError: boom" in lines[1]["exc"]


def test_text_format_and_bad_settings():
    buf = io.StringIO()
    setup_logging("warning", "text", stream=buf)
    logging.getLogger("x").warning("slow", extra={"room": "R1"})
    assert "WARNING" in buf.getvalue() and "x: slow room=R1" in buf.getvalue()
    with pytest.raises(ValueError):
        setup_logging("loud", "json")
    with pytest.raises(ValueError):
        setup_logging("info", "xml")
