"""`python -m game_server`: read flags and environment variables, then run the app from `create_app`.

Precedence: command-line flag > environment variable > built-in default (see `--help`).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import logging
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from game_server.config import Config, safe_url
from game_server.logs import LEVELS, setup_logging

log = logging.getLogger("game_server")
DEFAULTS = Config()


def _port(text: str) -> int:
    value = int(text)
    if not 0 < value < 65536:
        raise ValueError("a port is 1..65535")
    return value


def _seconds(text: str) -> float:
    value = float(text)
    if not 0 <= value < 86400:
        raise ValueError("seconds must be 0..86399")
    return value


def _flag(text: str) -> bool:
    value = text.strip().lower()
    if value not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
        raise ValueError("use 1/0, true/false, yes/no or on/off")
    return value in ("1", "true", "yes", "on")


def _choice(*allowed: str) -> Callable[[str], str]:
    def check(text: str) -> str:
        if text.lower() not in allowed:
            raise ValueError(f"choose one of {', '.join(allowed)}")
        return text.lower()

    return check


@dataclass(frozen=True)
class Option:
    flag: str
    envs: tuple[str, ...]  # first one set wins
    field: str  # Config attribute
    convert: Callable[[str], Any]
    help: str


OPTIONS = (
    Option("--host", ("DOODLEAI_HOST",), "host", str, "interface to listen on"),
    Option("--port", ("DOODLEAI_PORT",), "port", _port, "TCP port"),
    Option("--log-level", ("DOODLEAI_LOG_LEVEL",), "log_level", _choice(*LEVELS), "|".join(LEVELS)),
    Option("--log-format", ("DOODLEAI_LOG_FORMAT",), "log_format", _choice("json", "text"),
           "json (one object per line) or text"),
    Option("--redis-url", ("DOODLEAI_REDIS_URL", "REDIS_URL"), "redis_url", str,
           "Redis URL (redis://host:6379/0): store rooms in Redis and fan out across processes; "
           "unset: embedded in-memory store, single process"),
    Option("--redis-prefix", ("DOODLEAI_REDIS_PREFIX",), "redis_prefix", str, "prefix of every Redis key"),
    Option("--public-url", ("DOODLEAI_PUBLIC_URL",), "public_url", str,
           "the site's public URL, an allowed browser origin (invite links are relative, /r/<code>)"),
    Option("--model", ("DOODLEAI_MODEL",), "model_name", str,
           "the game's AI is <models-dir>/<name>.onnx with its card <name>.json; the server refuses to "
           "start (exit 2, naming the path) when it cannot load it, unless --ai says otherwise"),
    Option("--ai", ("DOODLEAI_AI",), "ai", _choice("required", "optional", "off"),
           "required: no usable model, no start; optional: run without AI verification if the model "
           "does not load; off: no AI at all (same as --no-ai)"),
    Option("--reconnect-grace", ("DOODLEAI_RECONNECT_GRACE",), "reconnect_grace", _seconds,
           "seconds a disconnected player keeps their seat"),
    Option("--room-ttl", ("DOODLEAI_ROOM_TTL",), "room_ttl", lambda t: int(_seconds(t)),
           "seconds after its last write that an abandoned room expires (with its logs and sessions)"),
    Option("--node-ttl", ("DOODLEAI_NODE_TTL",), "node_ttl", _seconds,
           "seconds without a heartbeat (sent every third of that) after which another process "
           "presumes this one dead and starts its players' reconnection grace; 0: off"),
    Option("--static-dir", ("DOODLEAI_STATIC_DIR",), "static_dir", Path, "built web client to serve at /"),
    Option("--models-dir", ("DOODLEAI_MODELS_DIR",), "models_dir", Path,
           "folder of the ONNX models and their cards, served at /models/"),
    Option("--event-loop", ("DOODLEAI_EVENT_LOOP",), "event_loop", _choice("asyncio", "uvloop"),
           "asyncio, or uvloop (pip install uvloop; not on Windows) for a cheaper event loop"),
    Option("--ws-compression", ("DOODLEAI_WS_COMPRESSION",), "ws_compression", _flag,
           "per-message deflate on websockets when the client offers it (default off: zlib on every "
           "message to every receiver costs more CPU than the bandwidth it saves on stroke batches)"),
    Option("--capture", ("DOODLEAI_CAPTURE",), "capture", _choice("on", "off"),
           "keep the drawings of players who opted in as training data (README, Privacy); off: keep "
           "nothing"),
    Option("--capture-dir", ("DOODLEAI_CAPTURE_DIR",), "capture_dir", Path,
           "where kept drawings go on the embedded store (one ndjson file per day); on Redis they go to "
           "the streams <prefix>capture:{YYYYMMDD}"),
    Option("--capture-days", ("DOODLEAI_CAPTURE_DAYS",), "capture_days", lambda t: int(_seconds(t)),
           "days a kept drawing stays before it is removed"),
    Option("--cors-origins", ("DOODLEAI_CORS_ORIGINS",), "cors_origins", str,
           "browser origins allowed to open game sockets besides the server's own and --public-url's "
           '(comma-separated); "*" allows any web page'),
)

EXAMPLES = """examples:
  python -m game_server                                  # http://127.0.0.1:8080, embedded store
  python -m game_server --port 9000 --log-format text
  python -m game_server --host 0.0.0.0 --redis-url redis://127.0.0.1:6379/0
  DOODLEAI_PORT=9000 python -m game_server --no-ai      # environment variables work too
  python -m game_server --model doodle50                 # the 50-category model
  python -m game_server export-drawings --out DIR        # kept drawings -> Quick, Draw! files
  python -m game_server delete-drawings --contributor ID # a player's deletion request

/healthz answers 200 when the store answers (503 otherwise) and says whether the AI is on;
/metrics is Prometheus text for one process (keep it off the public side: docs/scaling.md)."""


def _shown(value: object) -> str:
    """A default as --help shows it: empty and unset values in words, not as blanks."""
    if value is None:
        return "unset"
    if value == "":
        return "empty"
    return str(value)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m game_server",
        description="DoodleAI game server (aiohttp + Socket.IO): serves the web client, the game's\n"
        "Socket.IO events, /healthz and /metrics. Each flag can also be set by the environment\n"
        "variable shown; a flag wins over the environment, which wins over the default.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    for opt in OPTIONS:
        default = getattr(DEFAULTS, opt.field)
        env = " or ".join(f"${e}" for e in opt.envs)
        parser.add_argument(opt.flag, dest=opt.field, metavar=opt.flag[2:].upper().replace("-", "_"),
                            help=f"{opt.help} (env {env}; default: {_shown(default)})")
    parser.add_argument("--no-ai", dest="ai", action="store_const", const="off",
                        help="run without the AI player and its verification, even without a model "
                        "(same as --ai off; default: not given, the AI runs)")
    return parser


def parse_config(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> Config:
    """The Config for these flags and environment (exits with status 2 and a message on bad values)."""
    parser = build_parser()
    return _config(parser, parser.parse_args(argv), environ)


def parse_command(
    name: str, argv: Sequence[str], environ: Mapping[str, str] | None = None
) -> tuple[Config, argparse.Namespace]:
    """A maintenance command's flags (game_server/drawing_export.py) plus the server's (where the sink is)."""
    from game_server.drawing_export import add_arguments

    parser = build_parser()
    parser.prog = f"python -m game_server {name}"
    parser.epilog = None
    add_arguments(name, parser)
    args = parser.parse_args(argv)
    return _config(parser, args, environ), args


def _config(parser: argparse.ArgumentParser, args: argparse.Namespace,
            environ: Mapping[str, str] | None) -> Config:
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for opt in OPTIONS:
        raw, source = getattr(args, opt.field), opt.flag
        if raw is None:
            source = next((e for e in opt.envs if environ.get(e)), "")
            raw = environ.get(source) if source else None
        if raw is None:
            continue
        try:
            values[opt.field] = opt.convert(raw)
        except ValueError as exc:
            parser.error(f"{source}={raw!r}: {exc}")
    return replace(DEFAULTS, **values)


def browser_url(config: Config) -> str:
    """Where a person on this machine opens the game (a wildcard listen address becomes 127.0.0.1)."""
    host = "127.0.0.1" if config.host in ("0.0.0.0", "", "::") else config.host
    host = f"[{host}]" if ":" in host else host
    return f"http://{host}:{config.port}"


def print_browser_url(argv: Sequence[str]) -> None:
    """For scripts/play.sh: print `browser_url` for these flags and environment; nothing if they are bad
    (the server itself reports that when it starts)."""
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            config = parse_config(argv)
    except SystemExit:
        return
    print(browser_url(config))


def main(argv: Sequence[str] | None = None) -> int:
    from game_server.drawing_export import COMMANDS, run_command

    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in COMMANDS:  # export-drawings | delete-drawings (opt-in training data)
        setup_logging("warning", "text")
        command_config, args = parse_command(argv[0], argv[1:])
        return run_command(argv[0], command_config, args)
    config = parse_config(argv)
    setup_logging(config.log_level, config.log_format)
    from aiohttp import web

    from game_server.app import StartupError, create_app

    store = safe_url(config.redis_url) if config.redis_url else "memory"
    url = f"http://{config.host}:{config.port}"
    try:
        loop = _event_loop(config.event_loop)
        app = create_app(config)
        web.run_app(
            app,
            loop=loop,
            host=config.host,
            port=config.port,
            print=lambda _msg: _announce(log, url, store, browser_url(config)),
            access_log=None,
            shutdown_timeout=2,  # per phase (wait, then cancel): a stuck client delays exit <= ~4 s
            handle_signals=True,
        )
    except (StartupError, RuntimeError) as exc:
        log.error(str(exc), extra={"store": store})
        return 2
    except OSError as exc:  # e.g. the port is taken
        log.error(f"cannot listen on {url}: {exc.strerror or exc}")
        return 2
    log.info("stopped")
    return 0


def _event_loop(name: str) -> asyncio.AbstractEventLoop:
    """A new event loop of the chosen kind (uvloop is optional: a clear error if it is missing)."""
    if name == "uvloop":
        try:
            import uvloop
        except ImportError:
            raise RuntimeError("--event-loop uvloop needs the uvloop package (pip install uvloop)") from None
        return uvloop.new_event_loop()
    return asyncio.new_event_loop()


def _announce(log: logging.Logger, url: str, store: str, open_url: str) -> None:
    """Log the address, and tell a person at a terminal where to point the browser."""
    log.info("listening", extra={"url": url, "store": store})
    if sys.stderr.isatty():
        print(f"DoodleAI is running: open {open_url} and play (Ctrl+C stops it)", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())

