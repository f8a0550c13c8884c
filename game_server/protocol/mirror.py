"""The protocol's generated mirror for the web client: JSON Schema per event plus the shared constants.

`python -m game_server.protocol --write` writes web_client/src/protocol.gen.js; `--check` exits 1 when
the file is stale (a test does the same). The client reads event names, limits, the canvas size and the
claim threshold from it, and its tests validate what it sends against these schemas.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

import msgspec

from game_server.claims import CLAIM_THRESHOLD
from game_server.core.ai import AI_LEVELS
from game_server.core.text import CHAT_MAX, NAME_MAX
from game_server.protocol import (
    ERROR_CODES,
    MAX_MESSAGE_BYTES,
    PHASES,
    PROTOCOL_VERSION,
)
from game_server.protocol import client as c
from game_server.protocol.server import SERVER_SCHEMAS

TARGET = Path(__file__).resolve().parents[2] / "web_client" / "src" / "protocol.gen.js"


def _clean(node: Any) -> Any:
    """Docstring descriptions with their indentation removed: msgspec versions differ (0.23 dedents,
    0.22 does not), and the generated file must not depend on which one is installed."""
    if isinstance(node, dict):
        return {k: inspect.cleandoc(v) if k == "description" and isinstance(v, str) else _clean(v)
                for k, v in node.items()}
    if isinstance(node, list):
        return [_clean(v) for v in node]
    return node


def _schema(t: Any) -> Any:
    return _clean(msgspec.json.schema(t))


def mirror() -> dict[str, Any]:
    """Everything the client mirrors, as plain JSON data."""
    return {
        "version": PROTOCOL_VERSION,
        "client_events": {name: _schema(t) for name, t in c.CLIENT_SCHEMAS.items()},
        "server_events": {name: _schema(t) for name, t in SERVER_SCHEMAS.items()},
        "error_codes": list(ERROR_CODES),
        "phases": list(PHASES),
        "canvas": {"width": c.CANVAS_WIDTH, "height": c.CANVAS_HEIGHT},
        "limits": {
            "name": NAME_MAX, "chat": CHAT_MAX, "opsPerBatch": c.MAX_OPS_PER_BATCH,
            "pointsPerBatch": c.MAX_POINTS_PER_BATCH, "strokeWidth": [c.MIN_WIDTH, c.MAX_WIDTH],
            "guesses": c.MAX_GUESSES, "messageBytes": MAX_MESSAGE_BYTES,
        },
        "providers": list(c.PROVIDERS),
        "avatar": {"colors": c.AVATAR_COLORS, "faces": c.AVATAR_FACES, "shapes": c.AVATAR_SHAPES},
        "claimThreshold": CLAIM_THRESHOLD,
        "aiLevels": {name: {"threshold": lv.threshold, "delay": lv.delay} for name, lv in AI_LEVELS.items()},
    }


def render() -> str:
    body = json.dumps(mirror(), indent=1)
    return ("// GENERATED from game_server/protocol/ by `python -m game_server.protocol --write`.\n"
            "// Do not edit: a test fails when this file is stale.\n"
            "// The wire contract as data: JSON Schema per event, error codes, limits, canvas size.\n"
            f"export const PROTOCOL = {body};\n")
