"""The aiohttp application factory: Socket.IO server, HTTP routes, and one cleanup context per resource.

`create_app(config)` is the only way to build the server; `__main__` and the tests both use it.
HTTP routes: /healthz, /metrics, /models/<file>, /r/<code> (invite link), the built web client
at / (index.html fallback), and JSON 404s for unknown API paths. Socket.IO lives at /socket.io/.
"""

from __future__ import annotations

import asyncio
import logging
import mimetypes
import re
import time
from collections.abc import Awaitable, Callable
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import socketio
from aiohttp import hdrs, web
from multidict import CIMultiDict

from game_server import backends, handlers, protocol
from game_server.clock import Clock
from game_server.config import Config, safe_url
from game_server.context import GameLayer, ServerContext
from game_server.core.ids import normalize_code
from game_server.handlers.runtime import Runtime, load_pool
from game_server.liveness import Liveness
from game_server.metrics import Metrics
from game_server.protocol.packets import WirePacket
from game_server.store.base import RoomStore, StoreUnavailable

log = logging.getLogger("game_server.app")

CTX_KEY = web.AppKey("ctx", ServerContext)
MODEL_FILE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}\.(onnx|json)$")
API_PREFIXES = ("api", "healthz", "metrics", "models", "socket.io", "r")
HEALTH_TIMEOUT_S = 2.0
SHUTDOWN_SOCKETS_S = 2.0

# onnxruntime-web streams its .wasm files; browsers insist on the right type for that.
mimetypes.add_type("application/wasm", ".wasm")
mimetypes.add_type("text/javascript", ".mjs")

try:
    VERSION = metadata.version("doodleai")
except metadata.PackageNotFoundError:  # running from a tree that was never pip-installed
    VERSION = "0.0.0+local"


class StartupError(RuntimeError):
    """A resource the server needs is not there at start-up (e.g. Redis unreachable)."""


def error_response(status: int, code: str, message: str) -> web.Response:
    """The HTTP twin of a Socket.IO error ack: {ok: false, error: {code, message}}."""
    return web.json_response({"ok": False, "error": {"code": code, "message": message}}, status=status)


# -- middleware ----------------------------------------------------------------------------------
@web.middleware
async def _errors_and_metrics(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Turn aiohttp's HTML errors into JSON, never leak a traceback, count requests per route."""
    started = time.perf_counter()
    status = 500
    try:
        response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as exc:
        status = exc.status
        if exc.status < 400 or exc.content_type == "application/json":
            raise
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status, "http_error")
        return error_response(exc.status, code, exc.reason)
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("http handler failed", extra={"path": request.path, "method": request.method})
        return error_response(500, "internal", "internal server error")
    finally:
        info = request.match_info.route.resource
        route = info.canonical if info is not None else "unmatched"
        metrics: Metrics = request.app[CTX_KEY].metrics
        metrics.inc("http_requests_total", route=route, status=status)
        metrics.observe("http_request_seconds", time.perf_counter() - started, route=route)


def _no_ws_compression(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> Awaitable[web.StreamResponse]:
    """Drop a client's permessage-deflate offer, so the server never negotiates it.

    aiohttp's WebSocketResponse (which engine.io uses) accepts the offer by default, and then zlib runs
    on every message to every receiver: the most expensive part of relaying a stroke batch. Off by
    default, as in the Node.js Socket.IO server; `--ws-compression` keeps the client's offer.
    """
    if hdrs.SEC_WEBSOCKET_EXTENSIONS in request.headers and request.path.startswith("/socket.io/"):
        headers = CIMultiDict(request.headers)
        del headers[hdrs.SEC_WEBSOCKET_EXTENSIONS]
        request = request.clone(headers=headers)
    return handler(request)


# -- routes --------------------------------------------------------------------------------------
async def _store_ok(store: RoomStore) -> bool:
    """True when the store answers its `ping` in time."""
    try:
        async with asyncio.timeout(HEALTH_TIMEOUT_S):
            await store.ping()
    except (StoreUnavailable, TimeoutError, OSError):
        return False
    return True


async def healthz(request: web.Request) -> web.Response:
    ctx = request.app[CTX_KEY]
    ok = await _store_ok(ctx.store)
    body: dict[str, Any] = {
        "ok": ok,
        "store": ctx.store.backend,
        "version": VERSION,
        "uptime_s": round(time.time() - ctx.started_at, 3),
        "clock": bool(ctx.clock and ctx.clock.running),
        "node": ctx.node_id,
        "ai": "on" if ctx.verifier is not None else "off",
        "verifier": ctx.verifier.info() if ctx.verifier is not None else None,
    }
    if ctx.verifier is None:
        body["ai_off_reason"] = ctx.ai_off_reason or "no verifier"
    rooms = ctx.store.count_rooms() if ok else None
    if rooms is not None:
        body["rooms"] = rooms
    return web.json_response(body, status=200 if ok else 503)


async def metrics_route(request: web.Request) -> web.Response:
    body, content_type = request.app[CTX_KEY].metrics.render(request.headers.get("Accept", ""))
    headers = {"Content-Type": content_type, "X-Content-Type-Options": "nosniff"}
    return web.Response(body=body, headers=headers)


def _inside(base: Path, name: str) -> Path | None:
    """`base/name` if it is an existing file that really lies under `base` (no traversal, no symlink out)."""
    try:
        root = base.resolve()
        path = (root / name).resolve()
    except (OSError, ValueError):
        return None
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


async def model_file(request: web.Request) -> web.StreamResponse:
    name = request.match_info["name"]
    if not MODEL_FILE_RE.match(name) or ".." in name:
        return error_response(404, "not_found", "only .onnx and .json model files are served")
    path = _inside(request.app[CTX_KEY].config.models_dir, name)
    if path is None:
        return error_response(404, "not_found", f"no model file {name}")
    return web.FileResponse(path, headers={"Cache-Control": "no-cache"})


NO_CLIENT_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>DoodleAI</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
<h1>DoodleAI server is running</h1>
<p>The web client has not been built yet, so there is nothing to play here.</p>
<p>Build it and start the server with <code>scripts/play.sh</code>
(or <code>cd web_client &amp;&amp; npm ci &amp;&amp; npm run build</code>), then reload this page.</p>
</body></html>
"""


def _index(request: web.Request) -> web.StreamResponse:
    index = _inside(request.app[CTX_KEY].config.static_dir, "index.html")
    if index is None:
        return web.Response(
            text=NO_CLIENT_PAGE, content_type="text/html", headers={"Cache-Control": "no-cache"}
        )
    return web.FileResponse(index, headers={"Cache-Control": "no-cache"})


async def index(request: web.Request) -> web.StreamResponse:
    return _index(request)


async def invite(request: web.Request) -> web.StreamResponse:
    code = request.match_info["code"]
    if len(code) > 64 or normalize_code(code) is None:
        return error_response(404, "bad_room_code", "an invite link is /r/<room code>")
    return _index(request)


async def static_or_index(request: web.Request) -> web.StreamResponse:
    """A file of the built client; an unknown path without an extension gets index.html (client routes)."""
    tail = request.match_info["path"]
    if tail.split("/", 1)[0] in API_PREFIXES:
        return error_response(404, "not_found", f"no such endpoint: /{tail}")
    path = _inside(request.app[CTX_KEY].config.static_dir, tail)
    if path is not None:
        return web.FileResponse(path)
    if "." in tail.rsplit("/", 1)[-1]:  # looks like a file: a missing asset, not a client route
        return error_response(404, "not_found", f"no such file: /{tail}")
    return _index(request)


# -- resources -----------------------------------------------------------------------------------
def _store_context(owns_store: bool) -> Callable[[web.Application], Any]:
    async def store_ctx(app: web.Application):  # type: ignore[no-untyped-def]
        ctx = app[CTX_KEY]
        if not await _store_ok(ctx.store):
            where = safe_url(ctx.config.redis_url) if ctx.config.redis_url else "memory"
            raise StartupError(f"room store unavailable at start-up: cannot reach {where}")
        log.info("store ready", extra={"store": ctx.store.backend})
        yield
        if owns_store:
            await ctx.store.close()

    return store_ctx


async def _verifier_context(app: web.Application):  # type: ignore[no-untyped-def]
    """The AI verifier (onnxruntime on models/<name>.onnx, its thread pool).

    Without a usable model, `config.ai` decides: "required" (the CLI default) refuses to start, naming
    the path; "optional" runs without AI verification; "off" never loads a model. Without a verifier
    `ai_guess` answers verdict "unavailable" and /healthz says `"ai": "off"` with the reason."""
    ctx = app[CTX_KEY]
    if ctx.verifier is None and ctx.config.ai == "off":
        ctx.ai_off_reason = "turned off (--no-ai)"
        log.warning("AI verification off: started with --no-ai", extra={"event": "verifier_disabled"})
    elif ctx.verifier is None:
        from game_server.verify import ModelUnavailable, Verifier  # onnxruntime loads only at start-up

        try:
            ctx.verifier = Verifier.from_config(ctx.config, metrics=ctx.metrics)  # ~0.1 s
        except ModelUnavailable as exc:
            if ctx.config.ai == "required":
                path = Path(ctx.config.models_dir) / f"{ctx.config.model_name}.onnx"
                why = str(exc) if str(path) in str(exc) else f"AI model {path}: {exc}"
                raise StartupError(
                    f"{why} -- check --model/--models-dir, or start with --no-ai to run without the AI"
                ) from None
            ctx.ai_off_reason = str(exc)
            log.warning("AI verification disabled: %s", exc, extra={"event": "verifier_disabled"})
        else:
            log.info("AI verification ready", extra=ctx.verifier.info())
    yield
    if ctx.verifier is not None:
        ctx.verifier.close()
        ctx.verifier = None


async def _capture_context(app: web.Application):  # type: ignore[no-untyped-def]
    """Opt-in training data: the capture queue's writer runs while the app does (game_server/capture.py)."""
    ctx = app[CTX_KEY]
    if ctx.config.capture == "on":
        from game_server.capture import Capture, make_sink, model_version

        ctx.capture = Capture(make_sink(ctx.config), ctx.store, ctx.metrics, model=model_version(ctx.config))
        ctx.capture.start()
    yield
    if ctx.capture is not None:
        await ctx.capture.stop()
        ctx.capture = None


async def _clock_context(app: web.Application):  # type: ignore[no-untyped-def]
    clock = app[CTX_KEY].clock
    assert clock is not None  # create_app made it
    clock.start()
    yield
    await clock.stop()


async def _liveness_context(app: web.Application):  # type: ignore[no-untyped-def]
    liveness = app[CTX_KEY].liveness
    if liveness is not None:
        liveness.start()
    yield
    if liveness is not None:
        await liveness.stop()


async def _close_sockets(app: web.Application) -> None:
    """Disconnect Socket.IO clients first, so open WebSockets do not hold up shutdown.

    Bounded: a client that never answers the close handshake must not keep the process alive.
    """
    sio = app[CTX_KEY].sio
    log.info("shutting down: closing Socket.IO connections", extra={"connections": len(sio.eio.sockets)})
    try:
        async with asyncio.timeout(SHUTDOWN_SOCKETS_S):
            for sock in list(sio.eio.sockets.values()):
                # Queue the "close" packet and run the disconnect handlers without waiting for a
                # polling client to fetch it (engineio's disconnect() would wait for that)...
                await sock.close(wait=False)
                # ...then end the socket's queue (None is engineio's own end marker), so a WebSocket
                # writer sends "close" and closes the socket now instead of at the ping timeout.
                sock.queue.put_nowait(None)
            await sio.shutdown()
    except TimeoutError:
        log.warning("some Socket.IO clients did not close in time; stopping anyway")


async def _close_fanout(app: web.Application) -> None:
    """Stop the Redis fan-out's listener and watchdog and close its connections (no-op in memory mode)."""
    closer = getattr(app[CTX_KEY].sio.manager, "aclose", None)
    if closer is not None:
        await closer()


def _origin(url: str) -> str:
    parts = urlsplit(url.strip())
    if not (parts.scheme and parts.netloc):
        return url.strip()
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def cors_policy(config: Config) -> str | Callable[[str | None, dict[str, Any]], bool]:
    """Which browser origins may open game sockets: "*" only when the operator asks for it; otherwise
    the server's own origin (the Host the request came to, as nginx forwards it), --public-url's, and
    the --cors-origins list. Clients that send no Origin (scripts, tests) are not browsers: engineio
    lets them through."""
    listed = [o.strip() for o in config.cors_origins.split(",") if o.strip()]
    if "*" in listed:
        return "*"
    allowed = {_origin(o) for o in listed}
    if config.public_url:
        allowed.add(_origin(config.public_url))

    def check(origin: str | None, environ: dict[str, Any]) -> bool:
        if not origin:
            return False  # engineio asks for its CORS headers even when no Origin was sent
        if _origin(origin) in allowed:
            return True
        # engineio's own same-origin rule: wsgi.url_scheme is X-Forwarded-Proto (or http).
        scheme = environ.get("wsgi.url_scheme", "http").split(",")[0].strip()
        hosts = {environ.get("HTTP_HOST", ""), environ.get("HTTP_X_FORWARDED_HOST", "").split(",")[0].strip()}
        return any(h and _origin(origin) == f"{scheme}://{h.lower()}" for h in hosts)

    return check


def create_app(
    config: Config,
    *,
    store: RoomStore | None = None,
    now: Callable[[], float] | None = None,
    game: GameLayer = handlers.GAME,
) -> web.Application:
    """Build the whole server for `config`: every service is made here and passed in. `store` and `now`
    let tests share or fake them; `game` is the game layer (the shell's own tests pass a fake one)."""
    sio = socketio.AsyncServer(
        async_mode="aiohttp",
        client_manager=backends.make_client_manager(config),
        cors_allowed_origins=cors_policy(config),
        ping_interval=20,
        ping_timeout=20,
        max_http_buffer_size=protocol.MAX_MESSAGE_BYTES,  # handlers enforce the real limits per event
        serializer=WirePacket,  # unreadable JSON becomes an event the edge refuses, not a traceback;
        # JSON only (WirePacket.uses_binary_events is off): no scan of every payload value for bytes
        logger=False,
        engineio_logger=False,
    )
    middlewares = [_errors_and_metrics]
    if not config.ws_compression:
        middlewares.append(web.middleware(_no_ws_compression))
    app = web.Application(middlewares=middlewares, client_max_size=256 * 1024)
    sio.attach(app)  # before the catch-all static route, which would otherwise swallow /socket.io/

    ctx = ServerContext(
        config=config,
        sio=sio,
        store=store if store is not None else backends.make_store(config),
        metrics=Metrics(),
        runtime=Runtime(pool=load_pool(config)),
        **({"now": now} if now is not None else {}),
    )
    ctx.clock = Clock(ctx, game.on_deadline, interval=config.clock_interval, lease=config.clock_lease)
    ctx.liveness = Liveness(ctx, game) if config.node_ttl > 0 else None
    app[CTX_KEY] = ctx

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics_route)
    app.router.add_get("/models/{name}", model_file)
    app.router.add_get("/r/{code}", invite)
    app.router.add_get("/", index)
    app.router.add_get("/{path:.+}", static_or_index)

    app.cleanup_ctx.append(_store_context(owns_store=store is None))
    app.cleanup_ctx.append(_capture_context)
    app.cleanup_ctx.append(_verifier_context)
    app.cleanup_ctx.append(_clock_context)
    app.cleanup_ctx.append(_liveness_context)
    app.on_shutdown.append(_close_sockets)
    app.on_cleanup.append(_close_fanout)
    game.register(ctx)
    return app
