"""The protocol's three faces agree field by field: the Python schemas, docs/protocol.md, and the generated
JavaScript mirror (web_client/src/protocol.gen.js), which must not be stale."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import msgspec
import pytest

from game_server import protocol
from game_server.protocol import server
from game_server.protocol.mirror import TARGET, mirror, render
from game_server.protocol.server import SERVER_SCHEMAS

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")


def top_level_fields(braced: str) -> dict[str, bool]:
    """`{a: int, b?: [x, y], c}` -> {"a": True, "b": False, "c": True} (name -> required)."""
    inner, depth, parts, cur = braced.strip()[1:-1], 0, [], ""
    for ch in inner:
        depth += (ch in "[{(") - (ch in "]})")
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    out = {}
    for part in (p.strip() for p in parts if p.strip()):
        name = re.match(r"[a-z_]+\??", part)
        if name and name.group(0) not in ("ok",):
            out[name.group(0).rstrip("?")] = not name.group(0).endswith("?")
    return out


def schema_fields(struct: type) -> dict[str, bool]:
    info = msgspec.inspect.type_info(struct)
    return {f.name: f.required for f in info.fields}  # type: ignore[attr-defined]


def test_the_generated_mirror_is_fresh() -> None:
    assert TARGET.read_text(encoding="utf-8") == render(), "run: python -m game_server.protocol --write"


def test_doc_client_events_match_the_schemas_field_by_field() -> None:
    documented = dict(re.findall(r"^### `([a-z_]+)` `(\{.*?\})`", DOC, flags=re.M))
    assert set(documented) == set(protocol.CLIENT_EVENTS)
    for name, braced in documented.items():
        assert top_level_fields(braced) == schema_fields(protocol.CLIENT_SCHEMAS[name]), name


def test_doc_server_events_match_the_schemas_field_by_field() -> None:
    section = DOC.split("## Server → client events", 1)[1].split("\n## ", 1)[0]
    rows = dict(re.findall(r"^\| `([a-z_]+)` \| (.*?) \|", section, flags=re.M))
    assert set(rows) == set(SERVER_SCHEMAS) == set(protocol.SERVER_EVENTS)
    view = DOC.split("## Room view", 1)[1].split("```", 2)[1]
    view_fields = set(re.findall(r'^  "([a-z_]+)":', view, flags=re.M))
    assert view_fields == set(schema_fields(SERVER_SCHEMAS["state"]))
    # Nested: every key the example shows (code, not comments) is a field of the view's parts, and back.
    code_only = "\n".join(line.split("//", 1)[0] for line in view.splitlines())
    shown = set(re.findall(r'"([a-z_]+)":', code_only))
    parts = (server.State, server.SettingsView, server.PlayerView, server.SpectatorView, server.TurnView,
             server.Rival)
    assert shown == set().union(*(schema_fields(p) for p in parts))
    for struct, pattern in [(server.SketchView, r'(\{"place"[^}]*\})'),  # shown in comments
                            (server.RankingRow, r'"ranking".*?\[(\{[^}]*\})\]')]:
        found = re.search(pattern, view)
        assert found and set(re.findall(r'"([a-z_]+)"', found.group(1))) == set(schema_fields(struct))
    for name, cell in rows.items():
        if name == "state":
            continue
        first = re.search(r"`(\{.*?\})`", cell)
        assert first, name
        groups = [first.group(1), *re.findall(r"plus `(\{.*?\})`", cell)]  # mode extras: "plus `{...}`"
        documented = set().union(*(top_level_fields(g) for g in groups))
        # Mode-specific extras are documented in words ("race mode adds `player_id`"): all must appear.
        fields = set(schema_fields(SERVER_SCHEMAS[name]))
        assert documented <= fields, (name, documented - fields)
        assert all(f"`{f}`" in cell or f in documented for f in fields), (name, fields - documented)


def test_javascript_reads_the_mirror() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is missing")
    script = ('import * as p from "./src/protocol.js"; console.log(JSON.stringify({c: p.CLIENT_EVENTS, '
              's: p.SERVER_EVENTS, v: p.PROTOCOL_VERSION, canvas: p.CANVAS, limits: p.LIMITS, '
              't: p.CLAIM_THRESHOLD, codes: Object.keys(p.ERROR_TEXT)}));')
    out = subprocess.run([node, "--input-type=module", "-e", script], cwd=ROOT / "web_client",
                         capture_output=True, text=True, timeout=60, check=True).stdout
    js = json.loads(out)
    data = mirror()
    assert js["c"] == list(protocol.CLIENT_EVENTS) and js["s"] == list(protocol.SERVER_EVENTS)
    assert js["v"] == protocol.PROTOCOL_VERSION and js["canvas"] == data["canvas"]
    assert js["limits"] == data["limits"] and js["t"] == data["claimThreshold"]
    assert set(protocol.ERROR_CODES) <= set(js["codes"])  # a friendly text for every code
    # The client listens to every server event the protocol lists (main.js wires them to the screens).
    main = (ROOT / "web_client" / "src" / "main.js").read_text(encoding="utf-8")
    assert {e for e in protocol.SERVER_EVENTS if f'net.on("{e}"' not in main} == set()
    # No hand-copied canvas size, batch limits or claim threshold left in the client's sources.
    for path in (ROOT / "web_client" / "src").rglob("*.js"):
        if path.name == "protocol.gen.js":
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"=\s*(800|600|64|500|0\.5);", text), path
