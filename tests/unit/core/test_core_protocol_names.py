"""docs/protocol.md, game_server/protocol.py and web_client/src/protocol.js name the same events."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

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


def js_list(name: str) -> set[str]:
    source = (ROOT / "web_client" / "src" / "protocol.js").read_text(encoding="utf-8")
    match = re.search(rf"export const {name} = Object\.freeze\(\[(.*?)\]\)", source, flags=re.S)
    assert match, f"{name} not found in protocol.js"
    return set(re.findall(r'"([a-z_]+)"', match.group(1)))


def test_doc_and_python_agree() -> None:
    assert doc_client_events() == set(protocol.CLIENT_EVENTS)
    assert doc_server_events() == set(protocol.SERVER_EVENTS)
    assert doc_error_codes() | {"protocol_mismatch"} == set(protocol.ERROR_CODES)
    assert f"Protocol version: **{protocol.PROTOCOL_VERSION}**" in DOC


@pytest.mark.skipif(not (ROOT / "web_client" / "src" / "protocol.js").exists(), reason="no web client yet")
def test_javascript_and_python_agree() -> None:
    assert js_list("CLIENT_EVENTS") == set(protocol.CLIENT_EVENTS)
    assert js_list("SERVER_EVENTS") == set(protocol.SERVER_EVENTS)
    source = (ROOT / "web_client" / "src" / "protocol.js").read_text(encoding="utf-8")
    assert f"PROTOCOL_VERSION = {protocol.PROTOCOL_VERSION};" in source
