"""Server settings: defaults, environment variables (DOODLEAI_*, REDIS_URL) and command-line flags."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Config:
    """Everything a server process needs to know at start-up."""

    host: str = "127.0.0.1"
    port: int = 8080
    log_level: str = "info"
    log_format: str = "json"  # "json" (structured, one object per line) or "text"
    redis_url: str | None = None  # None: embedded in-memory store, single process
    redis_prefix: str = ""  # prepended to every Redis key (tests use their own)
    public_url: str | None = None  # the site's public URL: an allowed browser origin (invites are relative)
    static_dir: Path = REPO_ROOT / "web_client" / "dist"
    models_dir: Path = REPO_ROOT / "models"
    model_name: str = "doodle"  # models/<name>.onnx + models/<name>.json: the game's AI
    # "required": refuse to start without a usable model; "optional": run without AI if it does not load
    # (tests, development); "off": never load one (the operator asked for no AI).
    ai: str = "required"
    reconnect_grace: float = 60.0  # seconds a disconnected player keeps their seat
    clock_interval: float = 0.2  # seconds between deadline polls; <= 0: no loop (tests call tick_once)
    clock_lease: float = 5.0  # seconds a claimed deadline stays with the process that claimed it
    node_ttl: float = 10.0  # seconds without a heartbeat before a process counts as dead; <= 0: no liveness
    # Socket.IO CORS: origins allowed besides the server's own and public_url's (comma-separated); "*": any
    cors_origins: str = ""
    event_loop: str = "asyncio"  # "asyncio" or "uvloop" (optional package; see docs/scaling.md)
    ws_compression: bool = False  # permessage-deflate on websockets (costs zlib per message per receiver)
    room_ttl: int = 6 * 3600  # abandoned rooms expire after this many seconds without writes
    # Opt-in training data (game_server/capture.py): "on" keeps the drawings of players who opted in,
    # "off" keeps nothing whatever they chose; in Redis streams on Redis, else ndjson files in capture_dir.
    capture: str = "on"
    capture_dir: Path = REPO_ROOT / "captured"
    capture_days: int = 180  # days a kept drawing stays (the README's privacy note says so)


def safe_url(url: str) -> str:
    """`url` without its password, fit for logs and error messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = f"{parts.username or ''}:***@{parts.hostname or ''}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))
