"""The drawing relay under concurrency: batches sent all at once, out of order, duplicated, with a gap."""

from __future__ import annotations

import asyncio
import json
import random
from typing import Any

import pytest

from game_server.handlers import draw as draw_handlers
from game_server.store.base import StoreUnavailable

from .conftest import Client, Server


def stroke(sid: int) -> dict:
    return {
        "type": "stroke",
        "id": sid,
        "tool": "pen",
        "color": "#000000",
        "width": 2,
        "points": [[sid % 800, sid % 600], [(sid + 1) % 800, 0]],
    }


async def drawing_room(server: Server) -> tuple[str, Client, Client, Client]:
    ann, bob, zoe = await server.client(), await server.client(), await server.client()
    code = (await ann.ok("create_room", {"name": "Ann"}))["code"]
    await bob.ok("join_room", {"code": code, "name": "Bob"})
    await zoe.ok("join_room", {"code": code, "name": "Zoe", "spectate": True})
    await ann.ok("start_game")
    await ann.ok("choose_word", {"index": 0})
    return code, ann, bob, zoe


async def test_batches_sent_concurrently_out_of_order_are_applied_in_seq_order(server: Server) -> None:
    code, ann, bob, zoe = await drawing_room(server)
    n = 40
    order = list(range(n))
    random.Random(99).shuffle(order)
    acks = await asyncio.gather(*(ann.call("draw", {"seq": s, "ops": [stroke(s)]}) for s in order))
    assert all(a["ok"] for a in acks), [a for a in acks if not a["ok"]]
    assert sorted(a["index"] for a in acks) == list(range(n))
    assert {s: a["index"] for s, a in zip(order, acks, strict=True)} == {s: s for s in range(n)}
    room = await server.room(code)
    log = await server.ctx.store.get_strokes(code, room.turn.key)
    assert [op["id"] for op in log] == list(range(n))  # never scrambled
    assert json.loads(await server.ctx.store.read_log_meta(code, room.turn.key))["next_seq"] == n
    # Duplicates (a client retrying) are acknowledged and change nothing.
    dups = await asyncio.gather(
        *(ann.call("draw", {"seq": s, "ops": [stroke(1000 + s)]}) for s in (0, 7, 39))
    )
    assert dups == [{"ok": True, "dup": True}] * 3
    assert len(await server.ctx.store.get_strokes(code, room.turn.key)) == n
    # Every watcher received each batch once, in log order; the retried LATEST batch (39) is relayed
    # again from the stored log (its first relay may have been lost with its ack; peers skip by index).
    for watcher in (bob, zoe):
        await watcher.wait_for(lambda w=watcher: len(w.named("draw")) == n + 1)
        assert [d["index"] for d in watcher.named("draw")] == [*range(n), n - 1]
        assert [d["ops"][0]["id"] for d in watcher.named("draw")] == [*range(n), n - 1]


async def test_a_batch_after_a_gap_that_never_fills_is_refused(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(draw_handlers, "SEQ_WAIT_S", 0.3)
    code, ann, _, _ = await drawing_room(server)
    before = await server.raw(code)
    ack = await ann.call("draw", {"seq": 5, "ops": [stroke(1)]})
    assert ack["error"]["code"] == "seq_gap"
    assert await server.raw(code) == before
    # A late batch fills the gap while the next one waits: both go through, in order.
    later = asyncio.ensure_future(ann.call("draw", {"seq": 1, "ops": [stroke(2)]}))
    await asyncio.sleep(0.05)
    assert (await ann.call("draw", {"seq": 0, "ops": [stroke(1)]}))["index"] == 0
    assert (await later)["index"] == 1


async def test_a_new_turn_restarts_seq_and_stale_turn_batches_are_refused(server: Server) -> None:
    code, ann, bob, _ = await drawing_room(server)
    first_key = (await server.room(code)).turn.key
    await ann.ok("draw", {"seq": 0, "ops": [stroke(1)], "turn": first_key})
    await server.tick(80)
    await server.tick(5)
    await bob.ok("choose_word", {"index": 0})
    second_key = (await server.room(code)).turn.key
    assert second_key != first_key
    stale = await bob.call("draw", {"seq": 0, "ops": [stroke(1)], "turn": first_key})
    assert stale["error"]["code"] == "wrong_phase"
    assert (await bob.ok("draw", {"seq": 0, "ops": [stroke(1)], "turn": second_key}))["index"] == 0
    assert (await ann.call("draw", {"seq": 1, "ops": [stroke(2)]}))["error"]["code"] == "not_allowed"
    assert len(await server.ctx.store.get_strokes(code, first_key)) == 1


def replay(client: Client, key: str, resync: list[Any]) -> list[dict]:
    """What a browser shows: relays applied by `index` (skip what it holds; a gap fetches the full log)."""
    board: list[dict] = []
    for msg in client.named("draw"):
        if msg["index"] > len(board):
            board = list(resync[0])  # web_client's onDraw: a missed batch resyncs the whole log
            continue
        board.extend(msg["ops"][len(board) - msg["index"]:])
    return board


@pytest.mark.parametrize("when", ["before_write", "after_write"])
async def test_a_failed_batch_retried_with_its_seq_leaves_every_client_with_the_whole_log(
    server: Server, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    """Fault injection: the store fails on one batch (before it wrote, or after: a lost reply).

    The client retries that seq as web_client's DrawSender does. Seq and ops are one atomic write (S13),
    so the log holds every batch once, in order, and every peer ends with exactly that log.
    """
    code, ann, bob, zoe = await drawing_room(server)
    key = (await server.room(code)).turn.key
    store = server.ctx.store
    real = store.append_batch
    failures = {3: 1, 9: 1}  # seq -> failures left (9 is the last batch: no later batch reveals a gap)

    async def flaky(code_: str, key_: str, seq: int, *args: Any, **kwargs: Any) -> Any:
        if failures.get(seq):
            failures[seq] -= 1
            if when == "after_write":
                await real(code_, key_, seq, *args, **kwargs)
            raise StoreUnavailable("injected")
        return await real(code_, key_, seq, *args, **kwargs)

    monkeypatch.setattr(store, "append_batch", flaky)
    acks = []
    for seq in range(10):
        ack = await ann.call("draw", {"seq": seq, "ops": [stroke(seq)], "turn": key})
        if not ack["ok"]:
            assert ack["error"]["code"] == "unavailable"
            ack = await ann.call("draw", {"seq": seq, "ops": [stroke(seq)], "turn": key})  # the retry
        acks.append(ack)
    assert all(a["ok"] for a in acks) and not any(failures.values())
    assert [a.get("dup", False) for a in acks].count(True) == (2 if when == "after_write" else 0)
    log = await store.get_strokes(code, key)
    assert [op["id"] for op in log] == list(range(10))
    assert json.loads(await store.read_log_meta(code, key))["next_seq"] == 10
    full = (await bob.ok("get_state"))["drawing"]
    assert full["ops"] == log and full["next_seq"] == 10
    for watcher in (bob, zoe):
        await watcher.wait_for(lambda w=watcher: any(m["index"] == 9 for m in w.named("draw")))
        assert replay(watcher, key, [log]) == log
