"""The app factory's HTTP side: health, metrics, the static client, invite links, model files, 404s."""

from __future__ import annotations

import asyncio
import os
from dataclasses import replace
from pathlib import Path

from game_server.app import CTX_KEY, create_app
from game_server.config import Config, safe_url
from game_server.store.memory import MemoryStore


async def test_healthz_reports_store_and_version(client):
    resp = await client.get("/healthz")
    assert resp.status == 200
    body = await resp.json()
    assert body["ok"] is True and body["store"] == "memory" and body["rooms"] == 0
    assert isinstance(body["version"], str) and body["version"]


async def test_healthz_503_when_store_is_down(make_client, config):
    store = MemoryStore()
    client = await make_client(config, store=store)
    store.available = False
    resp = await client.get("/healthz")
    assert resp.status == 503
    assert (await resp.json())["ok"] is False


async def test_metrics_counts_requests_in_prometheus_format(client):
    await client.get("/healthz")
    await client.get("/healthz")
    resp = await client.get("/metrics")
    assert resp.status == 200 and resp.content_type == "text/plain"
    text = await resp.text()
    assert "# TYPE doodleai_http_requests_total counter" in text
    assert 'doodleai_http_requests_total{route="/healthz",status="200"} 2' in text
    assert 'doodleai_http_request_seconds_count{route="/healthz"} 2' in text


async def test_index_assets_and_client_route_fallback(client):
    resp = await client.get("/")
    assert resp.status == 200 and "INDEX" in await resp.text()
    resp = await client.get("/assets/app.js")
    assert resp.status == 200 and await resp.text() == "console.log('app')"
    assert (await client.get("/ort.wasm")).content_type == "application/wasm"
    resp = await client.get("/lobby/settings")  # a client-side route: index.html
    assert resp.status == 200 and "INDEX" in await resp.text()


async def test_missing_asset_is_a_json_404(client):
    resp = await client.get("/assets/missing.js")
    assert resp.status == 404
    assert (await resp.json())["error"]["code"] == "not_found"


async def test_invite_link_serves_the_client_and_validates_the_code(client):
    resp = await client.get("/r/Ab3dE9xK2p")
    assert resp.status == 200 and "INDEX" in await resp.text()
    for bad in ("/r/a", "/r/" + "A" * 40, "/r/bad!code", "/r/%00%01xx"):
        resp = await client.get(bad)
        assert resp.status == 404, bad
        assert (await resp.json())["ok"] is False


async def test_without_a_built_client_the_page_says_how_to_build_it(make_client, config, tmp_path):
    client = await make_client(replace(config, static_dir=tmp_path / "nothing"), store=MemoryStore())
    for path in ("/", "/r/ABCD123456"):
        resp = await client.get(path)
        assert resp.status == 200 and "scripts/play.sh" in await resp.text()


async def test_model_files_only_onnx_and_json(client):
    resp = await client.get("/models/doodle.onnx")
    assert resp.status == 200 and await resp.read() == b"ONNX"
    resp = await client.get("/models/doodle.json")
    assert resp.status == 200 and (await resp.json())["labels"] == ["cat"]
    for bad in ("/models/notes.txt", "/models/missing.onnx", "/models/", "/models/.json"):
        resp = await client.get(bad)
        assert resp.status == 404, bad


async def test_path_traversal_never_leaves_the_served_directories(client, site_dirs):
    dist, models = site_dirs
    os.symlink(dist.parent / "secret.txt", models / "link.json")
    os.symlink(dist.parent / "secret.txt", dist / "link.txt")
    attempts = [
        "/models/..%2Fsecret.txt", "/models/..%2F..%2Fsecret.json", "/models/%2e%2e%2fsecret.txt",
        "/models/link.json", "/link.txt", "/..%2Fsecret.txt", "/assets/..%2F..%2Fsecret.txt",
        "/%2e%2e/secret.txt", "/assets/%2e%2e/%2e%2e/secret.txt",
    ]
    for path in attempts:
        resp = await client.get(path)
        assert "SECRET" not in await resp.text(), path
        assert resp.status in (200, 404), path  # 200 only as the index fallback


async def test_unknown_api_paths_and_methods_get_json_errors(client):
    for path in ("/api/rooms", "/healthz/extra", "/metrics/x", "/socket.io.js/x"):
        resp = await client.get(path)
        if path == "/socket.io.js/x":
            assert resp.status in (200, 404)
            continue
        assert resp.status == 404, path
        assert (await resp.json())["error"]["code"] == "not_found"
    resp = await client.post("/healthz", data="x")
    assert resp.status == 405
    assert (await resp.json())["error"]["code"] == "method_not_allowed"


async def test_socketio_endpoint_is_mounted(client):
    resp = await client.get("/socket.io/", params={"EIO": "4", "transport": "polling"})
    assert resp.status == 200
    assert (await resp.text()).startswith("0{")  # the Engine.IO "open" packet


async def test_websocket_compression_is_off_unless_the_flag_turns_it_on(make_client, config):
    for enabled in (False, True):
        client = await make_client(replace(config, ws_compression=enabled), store=MemoryStore())
        params = {"EIO": "4", "transport": "websocket"}
        ws = await client.ws_connect("/socket.io/", params=params, compress=15)
        assert (await ws.receive_str()).startswith("0{")  # the Engine.IO "open" packet
        assert bool(ws.compress) is enabled  # what the handshake negotiated
        await ws.close()


async def test_create_app_registers_the_game_handlers_with_the_context(fake_handlers, config):
    store = MemoryStore()
    app = create_app(config, store=store, now=lambda: 1234.0, game=fake_handlers.layer)
    ctx = app[CTX_KEY]
    assert fake_handlers.registered == [ctx]
    assert ctx.store is store and ctx.now() == 1234.0 and ctx.sio is not None
    assert ctx.clock is not None and ctx.metrics is not None


async def test_clock_loop_runs_inside_the_app_and_stops_with_it(make_client, fake_handlers, config):
    store = MemoryStore()
    client = await make_client(replace(config, clock_interval=0.01), store=store, now=lambda: 100.0)
    await store.set_deadline("ROOM1", 99.0)
    for _ in range(200):
        if fake_handlers.fired:
            break
        await asyncio.sleep(0.01)
    assert fake_handlers.fired == ["ROOM1"]
    clock = client.app[CTX_KEY].clock
    assert clock.running
    await client.close()
    assert not clock.running


async def test_app_owns_and_closes_the_store_it_built(make_client, config, monkeypatch):
    closed = []
    monkeypatch.setattr(MemoryStore, "close", lambda self: _record(closed))
    client = await make_client(config)
    assert (await client.get("/healthz")).status == 200
    await client.close()
    assert closed == [True]


async def _record(sink: list) -> None:
    sink.append(True)


def test_safe_url_hides_passwords():
    assert safe_url("redis://:pw@host:6379/0") == "redis://:***@host:6379/0"
    assert safe_url("redis://user:pw@host/0") == "redis://user:***@host/0"
    assert safe_url("redis://host:6379/0") == "redis://host:6379/0"


def test_default_static_dir_is_the_built_client():
    assert Config().static_dir == Path(__file__).resolve().parents[2] / "web_client" / "dist"


async def test_hostile_paths_never_cause_a_server_error(client):
    paths = [
        "/%00", "/assets/%00.js", "/models/%00.onnx", "/r/%00", "/r/" + "%ff" * 20, "/%ff%fe",
        "/" + "a/" * 1500, "/models/" + "a" * 300 + ".json", "/r/ABCD123456/extra", "/./index.html",
        "/assets/", "/x//etc/passwd", "/\\..\\secret.txt", "/models/CON.json",
    ]
    for path in paths:
        resp = await client.get(path)
        assert resp.status < 500, (path, resp.status)
        assert "SECRET" not in await resp.text()
    metrics = await (await client.get("/metrics")).text()
    assert 'status="500"' not in metrics


async def test_healthz_says_when_ai_verification_is_off(make_client, config):
    body = await (await (await make_client(config)).get("/healthz")).json()
    assert body["ai"] == "off" and body["verifier"] is None
    assert "doodle.onnx" in body["ai_off_reason"]  # the decoy model file that failed to load
    body = await (await (await make_client(replace(config, ai="off"))).get("/healthz")).json()
    assert body["ai"] == "off" and "--no-ai" in body["ai_off_reason"]


async def test_unusable_model_refuses_to_start_unless_ai_is_optional_or_off(config, tmp_path):
    from aiohttp.test_utils import TestServer

    from game_server.app import StartupError

    required = replace(config, ai="required", model_name="mistyped")
    server = TestServer(create_app(required, store=MemoryStore()))
    try:
        await server.start_server()
        raise AssertionError("the server started without its model")
    except StartupError as exc:
        assert str(config.models_dir / "mistyped.onnx") in str(exc) and "--no-ai" in str(exc)
    finally:
        await server.close()


async def _polling_handshake(client, origin: str, **headers: str):
    return await client.get(
        "/socket.io/", params={"EIO": "4", "transport": "polling"}, headers={"Origin": origin, **headers}
    )


async def test_socketio_accepts_only_its_own_origin_by_default(client):
    own = f"http://{client.host}:{client.port}"
    resp = await _polling_handshake(client, own)
    assert resp.status == 200 and resp.headers["Access-Control-Allow-Origin"] == own
    resp = await _polling_handshake(client, "https://evil.example")
    assert resp.status == 400 and "Access-Control-Allow-Origin" not in resp.headers
    # Behind nginx: the Host it forwards and X-Forwarded-Proto make the public origin "own".
    resp = await _polling_handshake(
        client, "https://doodle.example", Host="doodle.example", **{"X-Forwarded-Proto": "https"}
    )
    assert resp.status == 200
    # Clients that send no Origin are not browsers; CORS does not concern them.
    assert (await client.get("/socket.io/", params={"EIO": "4", "transport": "polling"})).status == 200


async def test_socketio_origins_from_public_url_list_and_star(make_client, config):
    listed = replace(config, public_url="https://play.example/", cors_origins="https://a.example, http://b:81")
    client = await make_client(listed)
    for origin in ("https://play.example", "https://a.example", "http://b:81"):
        assert (await _polling_handshake(client, origin)).status == 200, origin
    assert (await _polling_handshake(client, "https://evil.example")).status == 400
    anyone = await make_client(replace(config, cors_origins="*"))
    resp = await _polling_handshake(anyone, "https://evil.example")
    assert resp.status == 200
