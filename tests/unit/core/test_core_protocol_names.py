"""docs/protocol.md and game_server/protocol name the same events, error codes and version (fields:
tests/unit/test_protocol_mirror.py; the JavaScript side: its generated mirror)."""

from __future__ import annotations

import re
from pathlib import Path

from game_server import protocol

ROOT = Path(__file__).resolve().parents[3]
DOC = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")


def doc_client_events() -> set[str]:
    return set(re.findall(r"^### `([a-z_]+)`", DOC, flags=re.M))


def doc_server_events() -> set[str]:
    section = DOC.split("## Server → client events", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.M))


def doc_error_codes() -> set[str]:
    section = DOC.split("## Acknowledgements and errors", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.M))


def test_doc_and_python_agree() -> None:
    assert doc_client_events() == set(protocol.CLIENT_EVENTS)
    assert doc_server_events() == set(protocol.SERVER_EVENTS)
    assert doc_error_codes() | {"protocol_mismatch"} == set(protocol.ERROR_CODES)
    assert f"Protocol version: **{protocol.PROTOCOL_VERSION}**" in DOC
