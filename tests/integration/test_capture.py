"""Opt-in training data end to end: real Socket.IO clients play a game, the export holds exactly the
drawings of the players who consented, in Quick, Draw! raw and simplified format, with no names or chat,
and each exported drawing rasterizes to the very image the server's verifier makes of its stored log.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from metric_values import metric_value

from doodle_raster import rasterize_google, rasterize_ops_many
from game_server.core.state import TURN_END_TIME

from .conftest import Server, start_server, stop_server

ROOT = Path(__file__).resolve().parents[2]
CONTRIBUTOR = re.compile(r"c[0-9a-f]{24}")
RAW_KEYS = {"word", "countrycode", "timestamp", "recognized", "key_id", "drawing"}


def batches(x0: float) -> list[list[dict[str, Any]]]:
    """Three batches: a stroke continued, a stroke that is undone, a last stroke (a closed box)."""
    return [
        [{"type": "stroke", "id": 1, "tool": "pen", "color": "#000000", "width": 6,
          "points": [[x0, 100], [x0 + 150, 120], [x0 + 160, 380]]}],
        [{"type": "points", "id": 1, "points": [[x0 + 60, 430], [x0 + 10, 300]]},
         {"type": "stroke", "id": 2, "tool": "pen", "color": "#ff0000", "width": 9,
          "points": [[x0 + 300, 50], [x0 + 310, 550]]},
         {"type": "undo"}],
        [{"type": "stroke", "id": 3, "tool": "pen", "color": "#0000ff", "width": 4,
          "points": [[x0 + 200, 200], [x0 + 330, 210], [x0 + 340, 330], [x0 + 210, 340], [x0 + 200, 200]]}],
    ]


@pytest.fixture
async def capture_server(tmp_path: Path, store_config: dict[str, Any]) -> Any:
    srv, runner = await start_server(tmp_path, **store_config)  # the sink: tmp_path/capture or Redis
    yield srv
    await stop_server(srv, runner)


async def cli(command: str, server: Server, *args: str) -> str:
    """Run `python -m game_server COMMAND` against the server's sink (without blocking its event loop)."""
    cfg = server.ctx.config
    where = (["--redis-url", cfg.redis_url, "--redis-prefix", cfg.redis_prefix] if cfg.redis_url
             else ["--capture-dir", str(cfg.capture_dir)])
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "game_server", command, *where, *args, cwd=ROOT,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    assert proc.returncode == 0, err.decode()
    return out.decode()


def read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


async def test_a_game_exports_exactly_the_consenting_drawers_turns(
    capture_server: Server, tmp_path: Path
) -> None:
    server = capture_server
    ann, bob, cy, zoe = [await server.client() for _ in range(4)]
    settings = {"rounds": 1, "hints": 0}
    made = await ann.ok("create_room", {"name": "Ann", "consent": True, "settings": settings})
    code = made["code"]
    joined_bob = await bob.ok("join_room", {"code": code, "name": "Bob", "consent": True})
    joined_cy = await cy.ok("join_room", {"code": code, "name": "Cy"})
    joined_zoe = await zoe.ok("join_room", {"code": code, "name": "Zoe", "spectate": True, "consent": True})
    assert CONTRIBUTOR.fullmatch(made["contributor"]) and CONTRIBUTOR.fullmatch(joined_bob["contributor"])
    assert made["contributor"] != joined_bob["contributor"]
    assert joined_cy["contributor"] is None and joined_zoe["contributor"] is None  # spectators never share
    state = await ann.wait_for(lambda: next((s for s in ann.named("state") if len(s["players"]) == 3
                                             and len(s["spectators"]) == 1), None))
    assert {p["name"]: p["shares"] for p in state["players"]} == {"Ann": True, "Bob": True, "Cy": False}
    assert made["contributor"] not in json.dumps(state)  # the id is only ever sent to its owner

    by_id = {c.player_id: c for c in (ann, bob, cy)}
    chats = {"Ann": "my secret chat line from ann", "Bob": "bob says hello", "Cy": "cy is chatting"}
    await ann.ok("start_game")
    logs: dict[str, tuple[str, str]] = {}  # drawer name -> (word, log key)
    for turn in range(3):
        room = await server.room(code)
        drawer = by_id[room.turn.drawer_id]
        name = room.player(drawer.player_id).name
        word = (await drawer.ok("choose_word", {"index": 0}))["word"]
        for seq, ops in enumerate(batches(50.0 + 20 * turn)):
            await drawer.ok("draw", {"seq": seq, "ops": ops})
            server.clock.t += 0.25  # the next batch reaches the server 250 ms later
        for other in (c for c in (ann, bob, cy) if c is not drawer):
            await other.ok("chat", {"text": chats[room.player(other.player_id).name]})
            assert (await other.ok("chat", {"text": word}))["result"] == "correct"
        await zoe.wait_event("turn_ended", lambda d, w=word: d["word"] == w)
        logs[name] = (word, room.turn.key)
        await server.tick(TURN_END_TIME)
    await zoe.wait_event("game_ended")
    capture = server.ctx.capture
    assert capture is not None
    await capture.queue.join()  # the writer has handled every queued drawing
    assert metric_value(server.ctx.metrics, "captured_drawings_total", result="captured") == 2
    assert metric_value(server.ctx.metrics, "captured_drawings_total", result="dropped") == 0

    out = tmp_path / "export"
    await cli("export-drawings", server, "--out", str(out))
    raw = {r["word"]: r for p in (out / "raw").glob("*.ndjson") for r in read(p)}
    simplified = {r["word"]: r for p in (out / "simplified").glob("*.ndjson") for r in read(p)}
    assert set(raw) == set(simplified) == {logs["Ann"][0], logs["Bob"][0]}  # not Cy's turn
    for drawer_name in ("Ann", "Bob"):
        word, log_key = logs[drawer_name]
        r, s = raw[word], simplified[word]
        assert set(r) == set(s) == RAW_KEYS and r["key_id"] == s["key_id"]
        assert r["countrycode"] == "" and r["recognized"] is True and r["timestamp"].endswith(" UTC")
        assert len(r["drawing"]) == 2  # the undone stroke is gone
        for xs, ys, ts in r["drawing"]:
            assert len(xs) == len(ys) == len(ts) > 0 and ts == sorted(ts)
        assert r["drawing"][0][2] == [0, 0, 0, 250, 250] and r["drawing"][1][2] == [500] * 5
        for stroke in s["drawing"]:
            assert len(stroke) == 2
            assert all(isinstance(v, int) and 0 <= v <= 255 for v in stroke[0] + stroke[1])
        # The model input the server's verifier makes of its own stored log, pixel for pixel.
        verified = rasterize_ops_many([await server.ctx.store.get_strokes(code, log_key)])[0]
        assert np.array_equal(rasterize_google(r["drawing"]), verified)
        assert np.array_equal(rasterize_google(s["drawing"], normalize=False), verified)
    exported = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.ndjson"))
    for secret in ("Ann", "Bob", "Cy", "Zoe", code, made["contributor"], joined_bob["contributor"],
                   *chats.values()):
        assert secret not in exported
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert {w: row["kept"] for w, row in report.items()} == {logs["Ann"][0]: 1, logs["Bob"][0]: 1}

    # A deletion request removes Bob's drawings from the sink, and only his.
    said = await cli("delete-drawings", server, "--contributor", joined_bob["contributor"])
    assert "removed 1 drawing" in said
    left = [r async for r in capture.sink.records()]
    assert [r["contributor"] for r in left] == [made["contributor"]]


async def test_consent_is_revocable_and_spectators_cannot_share(capture_server: Server) -> None:
    server = capture_server
    ann, bob, zoe = [await server.client() for _ in range(3)]
    code = (await ann.ok("create_room", {"name": "Ann", "settings": {"rounds": 1, "hints": 0}}))["code"]
    await bob.ok("join_room", {"code": code, "name": "Bob"})
    await zoe.ok("join_room", {"code": code, "name": "Zoe", "spectate": True})
    given = (await ann.ok("set_consent", {"consent": True}))["contributor"]
    assert CONTRIBUTOR.fullmatch(given)
    assert (await ann.ok("set_consent", {"consent": True}))["contributor"] == given  # one id per person
    assert (await server.room(code)).player(ann.player_id).contributor == given
    assert (await ann.ok("set_consent", {"consent": False}))["contributor"] is None
    refused = await zoe.call("set_consent", {"consent": True})
    assert refused["error"]["code"] == "not_allowed"
    # Ann revoked before drawing: her turn is not kept.
    await ann.ok("start_game")
    room = await server.room(code)
    drawer = ann if room.turn.drawer_id == ann.player_id else bob
    other = bob if drawer is ann else ann
    await drawer.ok("choose_word", {"index": 0})
    await drawer.ok("draw", {"seq": 0, "ops": batches(100.0)[0]})
    await other.ok("chat", {"text": (await server.room(code)).turn.word})
    await other.wait_event("turn_ended")
    assert server.ctx.capture is not None
    await server.ctx.capture.queue.join()
    assert metric_value(server.ctx.metrics, "captured_drawings_total", result="captured") == 0


async def test_a_client_keeps_its_contributor_id_across_rooms(capture_server: Server) -> None:
    ann = await capture_server.client()
    first = await ann.ok("create_room", {"name": "Ann", "consent": True})
    await ann.ok("leave_room")
    again = await ann.ok("create_room", {"name": "Ann", "consent": True, "contributor": first["contributor"]})
    assert again["contributor"] == first["contributor"]
    bad = await ann.call("set_consent", {"consent": True, "contributor": "Ann"})
    assert bad["error"]["code"] == "bad_request"


async def test_an_exported_drawing_is_the_image_the_verifier_checked_during_the_turn(
    tmp_path: Path, store_config: dict[str, Any]
) -> None:
    """The drawer's AI claims the word mid-turn; the image the server's verifier rasterized for that claim
    (recorded as it ran, on the shipped model) is the image of the exported drawing, raw and simplified."""
    models = ROOT / "models"
    server, runner = await start_server(tmp_path, models_dir=models, **store_config)
    try:
        verifier = server.ctx.verifier
        assert verifier is not None, "the shipped model must load"
        seen: list[np.ndarray] = []
        rasterize_all = verifier._rasterize_all

        def recording(ops_list: list[Any]) -> list[Any]:
            images = rasterize_all(ops_list)
            seen.extend(im.copy() for im in images if isinstance(im, np.ndarray))
            return images

        verifier._rasterize_all = recording  # type: ignore[method-assign]
        ann, bob = await server.client(), await server.client()
        code = (await ann.ok("create_room", {"name": "Ann", "consent": True,
                                             "settings": {"rounds": 1, "hints": 0}}))["code"]
        await bob.ok("join_room", {"code": code, "name": "Bob", "consent": True})
        await ann.ok("start_game")
        room = await server.room(code)
        drawer, guesser = (ann, bob) if room.turn.drawer_id == ann.player_id else (bob, ann)
        word = (await drawer.ok("choose_word", {"index": 0}))["word"]
        for seq, ops in enumerate(batches(80.0)):
            await drawer.ok("draw", {"seq": seq, "ops": ops})
            server.clock.t += 0.25
        key = (await server.room(code)).turn.key
        count = len(await server.ctx.store.get_strokes(code, key))
        server.clock.t += 30  # past the room's AI level's earliest claim
        ack = await drawer.ok("ai_guess", {"turn": key, "stroke_count": count,
                                           "guesses": [{"label": word, "prob": 0.9}]})
        assert ack["verdict"] in ("verified", "rejected"), ack  # either way the verifier saw the drawing
        assert len(seen) == 1
        assert (await guesser.ok("chat", {"text": word}))["result"] == "correct"
        await guesser.wait_event("turn_ended")
        assert server.ctx.capture is not None
        await server.ctx.capture.queue.join()
        out = tmp_path / "export"
        await cli("export-drawings", server, "--out", str(out))
        raw = [r for p in (out / "raw").glob("*.ndjson") for r in read(p)]
        simplified = [r for p in (out / "simplified").glob("*.ndjson") for r in read(p)]
        assert [r["word"] for r in raw] == [r["word"] for r in simplified] == [word]
        verified = seen[0]
        assert verified.max() > 0.5  # a real drawing, not an empty image
        assert np.array_equal(rasterize_google(raw[0]["drawing"]), verified)
        assert np.array_equal(rasterize_google(simplified[0]["drawing"], normalize=False), verified)
    finally:
        await stop_server(server, runner)
