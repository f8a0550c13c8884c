"""The capture shell: the sinks (ndjson files, Redis streams) and the bounded queue through an outage."""

from __future__ import annotations

import asyncio
import json
import random
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from metric_values import metric_value

from game_server.capture import Capture, FileSink, RedisSink, SinkUnavailable, build_record, day_of, op_times
from game_server.core import Player, Room, Settings, Turn
from game_server.core.capture import CaptureJob
from game_server.metrics import Metrics
from game_server.store.base import StoreUnavailable

DAY = 1_800_000_000.0  # 2027-01-15 UTC
OPS = [{"type": "stroke", "id": 1, "tool": "pen", "color": "#000000", "width": 5,
        "points": [[10, 10], [200, 150]]},
       {"type": "points", "id": 1, "points": [[300, 40]]}]


def record(contributor: str, key_id: str, ended_at: float = DAY) -> dict[str, Any]:
    job = CaptureJob("ROOM", "g1-r1-t1", key_id, contributor, "cat", "classic", ended_at - 30, ended_at,
                     4.0, None, None, None)
    return build_record(job, OPS, [0.0, 250.0], "doodle@abc")


def test_a_record_keeps_strokes_times_and_recognition_but_no_room_or_names() -> None:
    rec = record("c" + "1" * 24, "1234567890123456")
    assert rec["strokes"] == [{"tool": "pen", "width": 5.0, "x": [10, 200, 300], "y": [10, 150, 40],
                               "t": [0, 0, 250]}]
    assert rec["timing"] == "batch" and rec["recognized"]["human_at_s"] == 4.0
    assert rec["timestamp"] == "2027-01-15 08:00:00.000000 UTC" and rec["drawing_s"] == 30.0
    assert "ROOM" not in json.dumps(rec) and "g1-r1-t1" not in json.dumps(rec)


def test_batch_times_cover_a_log_only_from_its_first_op() -> None:
    assert op_times([(0, 5.0), (2, 9.0)], 4) == [5.0, 5.0, 9.0, 9.0]
    assert op_times([(2, 9.0)], 4) is None  # the player opted in mid-drawing: no honest times
    assert op_times(None, 3) is None


async def sink_roundtrip(sink: Any) -> None:
    ann, bob = "c" + "a" * 24, "c" + "b" * 24
    for rec in (record(ann, "1"), record(bob, "2"), record(ann, "3", DAY + 86400)):
        await sink.write(rec)
    got = [r async for r in sink.records()]
    assert [(r["contributor"], r["key_id"]) for r in got] == [(ann, "1"), (bob, "2"), (ann, "3")]
    assert await sink.delete(ann) == 2
    assert [r["key_id"] async for r in sink.records()] == ["2"]
    assert await sink.delete(ann) == 0


async def test_file_sink_appends_one_file_per_day_deletes_and_prunes(tmp_path: Path) -> None:
    sink = FileSink(tmp_path / "cap", days=10)
    await sink_roundtrip(sink)
    assert sorted(p.name for p in (tmp_path / "cap").iterdir()) == [
        f"capture-{day_of(DAY)}.ndjson", f"capture-{day_of(DAY + 86400)}.ndjson"]
    assert sink.prune(DAY + 10.5 * 86400) == 0  # the first day's last hours are not 10 days old yet
    assert sink.prune(DAY + 11.5 * 86400) == 1  # now they are
    assert [r async for r in sink.records()] == []  # (the second day's only record was deleted above)


async def test_redis_sink_writes_a_stream_per_day(redis_url: str, redis_prefix: str) -> None:
    sink = RedisSink(redis_url, redis_prefix, days=10)
    try:
        await sink_roundtrip(sink)
        keys = await sink._keys()
        assert keys == [f"{redis_prefix}capture:{{{day}}}" for day in (day_of(DAY), day_of(DAY + 86400))]
        ttl = await sink._redis.ttl(keys[0])
        assert ttl > 0  # each day's stream expires (README "Privacy": how long)
    finally:
        await sink.close()


class FlakySink:
    """A sink that is down until `up` is set (FakeStore borrows its outage for the store's reads)."""

    def __init__(self) -> None:
        self.up = asyncio.Event()
        self.failed = asyncio.Event()
        self.written: list[dict[str, Any]] = []

    def check(self, error: type[Exception]) -> None:
        if not self.up.is_set():
            self.failed.set()
            raise error("down")

    async def write(self, rec: dict[str, Any]) -> None:
        self.check(SinkUnavailable)
        self.written.append(rec)

    async def close(self) -> None:
        return None


class FakeStore:
    def __init__(self, outage: FlakySink | None) -> None:
        self.outage = outage

    async def get_strokes(self, code: str, key: str, start: int = 0, end: int | None = None) -> list[Any]:
        if self.outage is not None:
            self.outage.check(StoreUnavailable)
        return OPS


def race_prompt_end(players: int) -> tuple[Room, Room]:
    """A race prompt of `players` sharing players ending: one finished drawing each."""
    members = tuple(Player(f"p{i}", f"P{i}", contributor=f"c{i:024x}") for i in range(players))
    turn = Turn(key="g1-r1-t1", drawer_id="", word="cat", started_at=DAY - 20)
    before = Room("ROOMCODE00", phase="drawing", settings=Settings(mode="race"), players=members, turn=turn)
    entries = tuple({"key": f"g1-r1-t1:{p.id}", "log": f"g1-r1-t1:{p.id}", "round": 1, "drawer_id": p.id,
                     "drawer_name": p.name, "word": "cat", "ai": None} for p in members)
    return before, replace(before, phase="turn_end", history=entries)


@pytest.mark.parametrize("down", ["sink", "store"])
async def test_an_outage_loses_only_what_overflows_the_bounded_queue(down: str) -> None:
    flaky = FlakySink()
    metrics = Metrics()
    capture = Capture(flaky, FakeStore(flaky if down == "store" else None), metrics,  # type: ignore[arg-type]
                      queue_size=2, retry_max_s=0.001)
    capture.start()
    try:
        before, after = race_prompt_end(5)
        capture.offer(before, after, DAY, random.Random(1))  # on the turn's path: never waits
        assert metric_value(metrics, "captured_drawings_total", result="dropped") == 3  # the queue holds 2
        await flaky.failed.wait()  # the writer holds one job and retries
        flaky.up.set()  # the outage ends
        await capture.queue.join()
    finally:
        await capture.stop()
    assert len(flaky.written) == 2
    assert metric_value(metrics, "captured_drawings_total", result="captured") == 2
    assert metric_value(metrics, "captured_drawings_total", result="dropped") == 3
    assert metric_value(metrics, "capture_queue") == 0
