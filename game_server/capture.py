"""Opt-in training data, the shell side: a bounded queue, a background writer and the sinks.

The rules decide WHAT to keep (game_server/core/capture.py: a CaptureJob per finished drawing whose drawer
shares). `Capture.offer` runs on the turn's path and only puts jobs into a bounded asyncio queue
(`put_nowait`: a full queue drops the job and counts it, it never waits). A background task takes each job,
reads the drawing log from the room store, replays it into visible strokes with their receive times and
writes one record to the sink:

- Redis (the server runs on Redis): one stream per UTC day, `<prefix>capture:{YYYYMMDD}` (not a room key:
  the data outlives rooms), fields `contributor` and `record` (JSON); a stream expires `days` after its day.
- Memory store: append-only ndjson files `<dir>/capture-YYYYMMDD.ndjson`; files older than `days` are
  removed when the writer starts.

While the sink or the store is down the writer retries the job in hand (backing off up to
RETRY_MAX_S); jobs wait in the queue meanwhile, so an outage loses only what overflows the queue, counted
in `doodleai_captured_drawings_total{result="dropped"}`.

Times: stroke ops carry no per-point time, so a point's `t` is when its batch reached this process (ms
after the drawing's first visible point): all points of one batch share it. The times are kept only in
the process that received the batches (`note_batch`); a record built elsewhere (several processes) or
for a log begun before the player opted in says `"timing": "none"` and has `t` 0.

A record holds no names, chat, room code or IP address: see `build_record` and README "Privacy".
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import random
from collections import OrderedDict
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Protocol

from game_server.core import Room
from game_server.core.capture import CaptureJob, captures, timed_strokes
from game_server.protocol import CANVAS_HEIGHT, CANVAS_WIDTH
from game_server.store.base import RoomStore, StoreUnavailable

log = logging.getLogger("game_server.capture")

QUEUE_SIZE = 1000  # jobs waiting for the writer (a job is ~200 bytes: the strokes are read later)
TIMELINES = 2048  # drawing logs whose batch receive times this process keeps
RETRY_MAX_S = 5.0
RECORD_VERSION = 1


class SinkUnavailable(Exception):
    """The sink cannot be written now (a retry may succeed)."""


class Sink(Protocol):
    async def write(self, record: dict[str, Any]) -> None: ...
    async def delete(self, contributor: str) -> int: ...
    def records(self) -> AsyncIterator[dict[str, Any]]: ...
    async def close(self) -> None: ...


def day_of(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y%m%d")


def google_timestamp(ts: float) -> str:
    """Quick, Draw!'s timestamp style: "2017-03-08 18:54:43.82066 UTC"."""
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f UTC")


class FileSink:
    """Append-only ndjson, one file per UTC day, under `folder` (the embedded store's sink)."""

    def __init__(self, folder: Path, days: int = 180) -> None:
        self.folder = Path(folder)
        self.days = days

    def _path(self, day: str) -> Path:
        return self.folder / f"capture-{day}.ndjson"

    def _files(self) -> list[Path]:
        return sorted(self.folder.glob("capture-*.ndjson")) if self.folder.is_dir() else []

    async def write(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, separators=(",", ":"), ensure_ascii=False) + "\n"
        try:
            await asyncio.to_thread(self._append, self._path(day_of(record["ended_at"])), line)
        except OSError as exc:
            raise SinkUnavailable(str(exc)) from exc

    def _append(self, path: Path, line: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as fh:  # one write of one line: no torn records
            fh.write(line)

    def prune(self, now: float) -> int:
        """Remove day files older than `days`; returns how many went."""
        oldest = day_of(now - self.days * 86400)
        gone = 0
        for path in self._files():
            if path.stem.removeprefix("capture-") < oldest:
                path.unlink(missing_ok=True)
                gone += 1
        return gone

    async def delete(self, contributor: str) -> int:
        return await asyncio.to_thread(self._delete, contributor)

    def _delete(self, contributor: str) -> int:
        removed = 0
        for path in self._files():
            lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
            keep = [ln for ln in lines if _contributor_of(ln) != contributor]
            if len(keep) != len(lines):
                removed += len(lines) - len(keep)
                tmp = path.with_suffix(".tmp")
                tmp.write_text("".join(keep), encoding="utf-8")
                tmp.replace(path)  # atomic: a reader sees the old file or the new one
        return removed

    async def records(self) -> AsyncIterator[dict[str, Any]]:
        for path in self._files():
            for line in path.read_text(encoding="utf-8").splitlines():
                with contextlib.suppress(ValueError):
                    yield json.loads(line)

    async def close(self) -> None:
        return None


def _contributor_of(line: str) -> str | None:
    try:
        return json.loads(line).get("contributor")
    except ValueError:
        return None


class RedisSink:
    """One Redis stream per UTC day, `<prefix>capture:{YYYYMMDD}` (the Redis store's sink)."""

    def __init__(self, url: str, prefix: str = "", days: int = 180, client: Any = None) -> None:
        import redis.asyncio as aioredis

        self.prefix = prefix
        self.days = days
        self._redis = client or aioredis.Redis.from_url(url, decode_responses=True)

    def key(self, day: str) -> str:
        return f"{self.prefix}capture:{{{day}}}"

    async def _keys(self) -> list[str]:
        return sorted([k async for k in self._redis.scan_iter(match=f"{self.prefix}capture:*", count=500)])

    async def write(self, record: dict[str, Any]) -> None:
        from redis.exceptions import RedisError

        day = day_of(record["ended_at"])
        key = self.key(day)
        expire_at = int(dt.datetime.strptime(day, "%Y%m%d").replace(tzinfo=dt.UTC).timestamp()) + (
            self.days + 1) * 86400
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.xadd(key, {"contributor": record["contributor"],
                                "record": json.dumps(record, separators=(",", ":"), ensure_ascii=False)})
                pipe.expireat(key, expire_at)
                await pipe.execute()
        except (RedisError, OSError) as exc:
            raise SinkUnavailable(str(exc)) from exc

    async def delete(self, contributor: str) -> int:
        removed = 0
        for key in await self._keys():
            ids = [eid for eid, fields in await self._redis.xrange(key)
                   if fields.get("contributor") == contributor]
            for start in range(0, len(ids), 500):
                removed += await self._redis.xdel(key, *ids[start:start + 500])
        return removed

    async def records(self) -> AsyncIterator[dict[str, Any]]:
        for key in await self._keys():
            last = "-"
            while True:
                chunk = await self._redis.xrange(key, min=last, count=500)
                chunk = [c for c in chunk if c[0] != last]
                if not chunk:
                    break
                for _eid, fields in chunk:
                    with contextlib.suppress(ValueError, KeyError):
                        yield json.loads(fields["record"])
                last = chunk[-1][0]

    async def close(self) -> None:
        await self._redis.aclose()


def make_sink(config: Any) -> Sink:
    """The sink for this server's store: Redis streams on Redis, ndjson files on the embedded store."""
    days = int(config.capture_days)
    if config.redis_url:
        return RedisSink(config.redis_url, config.redis_prefix, days)
    return FileSink(Path(config.capture_dir), days)


def model_version(config: Any) -> str:
    """"<model name>@<first 12 hex of its ONNX sha256>" from the model card, or the name alone."""
    name = str(config.model_name)
    try:
        card = json.loads((Path(config.models_dir) / f"{name}.json").read_text(encoding="utf-8"))
        return f"{name}@{card['files']['onnx']['sha256'][:12]}"
    except (OSError, ValueError, KeyError, TypeError):
        return name


def op_times(batches: list[tuple[int, float]] | None, count: int) -> list[float] | None:
    """Per op of a log of `count` ops, the receive time (ms) of its batch; None unless batches cover op 0."""
    if not batches or batches[0][0] != 0 or count == 0:
        return None
    out: list[float] = []
    ordered = sorted(batches)
    j = 0
    for i in range(count):
        while j + 1 < len(ordered) and ordered[j + 1][0] <= i:
            j += 1
        out.append(ordered[j][1])
    return out


def build_record(job: CaptureJob, ops: list[Any], times: list[float] | None, model: str) -> dict[str, Any]:
    """The stored record of one drawing (no names, chat, room code or address; see the module docstring)."""
    strokes = timed_strokes(ops, times)
    if times is not None:
        first = min((s["t"][0] for s in strokes if s["t"]), default=0.0)
        for s in strokes:
            s["t"] = [round(t - first) for t in s["t"]]
    else:
        for s in strokes:
            s["t"] = [0] * len(s["x"])
    return {
        "v": RECORD_VERSION,
        "key_id": job.key_id,
        "contributor": job.contributor,
        "word": job.word,
        "mode": job.mode,
        "timestamp": google_timestamp(job.ended_at),
        "ended_at": job.ended_at,
        "drawing_s": round(job.ended_at - job.started_at, 3),
        "recognized": {"human_at_s": job.human_at_s, "ai_at_s": job.ai_at_s, "ai_prob": job.ai_prob,
                       "ai_place": job.ai_place},
        "model": model,
        "timing": "batch" if times is not None else "none",
        "canvas": [CANVAS_WIDTH, CANVAS_HEIGHT],
        "strokes": strokes,
    }


class Capture:
    """The per-process capture pipeline: `offer` (turn path) -> queue -> `run_writer` -> sink."""

    def __init__(self, sink: Sink, store: RoomStore, metrics: Any, *, model: str = "",
                 queue_size: int = QUEUE_SIZE, retry_max_s: float = RETRY_MAX_S) -> None:
        self.sink = sink
        self.store = store
        self.metrics = metrics
        self.model = model
        self.queue: asyncio.Queue[CaptureJob] = asyncio.Queue(queue_size)
        self.retry_max_s = retry_max_s
        self.timelines: OrderedDict[tuple[str, str], list[tuple[int, float]]] = OrderedDict()
        self._task: asyncio.Task[None] | None = None

    # -- the turn's path: never waits, never raises ---------------------------------------------------
    def offer(self, before: Room, after: Room, now: float, rng: random.Random) -> None:
        """Queue the drawings this change finished whose drawers share them; a full queue drops."""
        try:
            jobs = captures(before, after, now, rng)
        except Exception:
            log.exception("capture decision failed", extra={"room": after.code})
            self.metrics.inc("captured_drawings_total", result="failed")
            return
        if not jobs:  # nearly every room change: nothing more to do
            return
        for job in jobs:
            try:
                self.queue.put_nowait(job)
            except asyncio.QueueFull:
                self.metrics.inc("captured_drawings_total", result="dropped")
        self.metrics.set_gauge("capture_queue", self.queue.qsize())

    def note_batch(self, room: Room, pid: str, code: str, key: str, index: int, now: float) -> None:
        """Remember when a sharing player's batch (first op at `index` of log `key`) reached us."""
        player = room.player(pid)
        if player is None or not player.contributor:
            return
        line = self.timelines.get((code, key))
        if line is None:
            if len(self.timelines) >= TIMELINES:
                self.timelines.popitem(last=False)
            line = self.timelines[(code, key)] = []
        line.append((index, now * 1000.0))

    # -- the background writer ------------------------------------------------------------------------
    def start(self) -> None:
        if isinstance(self.sink, FileSink):
            with contextlib.suppress(OSError):
                self.sink.prune(dt.datetime.now(dt.UTC).timestamp())
        self._task = asyncio.get_running_loop().create_task(self.run_writer(), name="capture-writer")

    async def stop(self, drain_s: float = 2.0) -> None:
        """Give the writer `drain_s` to empty the queue, then stop; what is left counts as dropped."""
        if self._task is None:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.queue.join(), drain_s)
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None
        left = self.queue.qsize()
        if left:
            self.metrics.inc("captured_drawings_total", left, result="dropped")
        await self.sink.close()

    async def run_writer(self) -> None:
        while True:
            job = await self.queue.get()
            try:
                await self._write_with_retries(job)
            finally:
                self.queue.task_done()
                self.metrics.set_gauge("capture_queue", self.queue.qsize())

    async def _write_with_retries(self, job: CaptureJob) -> None:
        wait = 0.05
        while True:
            try:
                result = await self.write_one(job)
            except (SinkUnavailable, StoreUnavailable) as exc:
                log.warning("capture sink unavailable; retrying", extra={"error": str(exc)})
                await asyncio.sleep(min(wait, self.retry_max_s))
                wait *= 2
                continue
            except Exception:
                log.exception("capture failed", extra={"room": job.code})
                result = "failed"
            self.metrics.inc("captured_drawings_total", result=result)
            return

    async def write_one(self, job: CaptureJob) -> str:
        """Read, build and write one job: "captured", or "empty" when nothing stayed visible."""
        ops = await self.store.get_strokes(job.code, job.log)
        times = op_times(self.timelines.get((job.code, job.log)), len(ops))
        record = build_record(job, ops, times, self.model)
        if not any(s["tool"] == "pen" and s["x"] for s in record["strokes"]):
            return "empty"
        await self.sink.write(record)
        self.timelines.pop((job.code, job.log), None)
        return "captured"
