"""Server-side AI verification: the shipped ONNX model in onnxruntime, off the event loop, micro-batched.

`Verifier.classify(ops)` rasterizes the server's own copy of a drawing log (doodle_raster, the same
algorithm the browser runs) and returns the model's probabilities. Calls made in the same event-loop
iteration (or within `window` seconds, if set) share one `InferenceSession.run`; while the pool threads are
busy, new calls keep queueing and go out together as the next batch. Rasterization and the model both run
in a small dedicated thread pool (one rasterizer call per batch: doodle_raster works on many drawings at
once), so the event loop only appends to a list and resolves futures.
`Verifier.verify(claim, ops, word)` adds the claim policy (game_server.claims) and metrics. One Verifier
serves one event loop. Docs: docs/verification.md.

Owns: the onnxruntime session, its thread pool and the verification metrics.
Must not import torch, the game core's rules, the store or Socket.IO.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from doodle_raster import rasterize_ops_many  # numpy only, torch-free
from game_server.claims import (
    CLAIM_THRESHOLD,
    CLAIM_TOLERANCE,
    Claim,
    Verdict,
    judge,
)

log = logging.getLogger(__name__)

Ops = Sequence[Any]
Rasterize = Callable[[Sequence[Ops]], np.ndarray]  # drawing logs -> images (N, 28, 28)

# Seconds a request waits for company when the workers are idle. 0: only calls made in the same event-loop
# iteration share a batch; under load batches still grow, because everything that arrives while a run is
# in flight goes out together as the next batch (measured in bench/bench_verify.py).
DEFAULT_WINDOW = 0.0
DEFAULT_MAX_BATCH = 64
WORKER_NICE = 5  # pool threads run this much "nicer" than the event loop (Linux: per-thread nice values)


class ModelUnavailable(RuntimeError):
    """The model file or its labels are missing or unusable; the server can run without AI."""


class VerifierClosed(RuntimeError):
    """`classify` was called on (or was pending in) a closed Verifier."""


def load_labels(model_path: Path, session: Any = None) -> tuple[list[str], dict[str, Any]]:
    """Labels from the model card `<model>.json` (key `labels`), else from the ONNX metadata `labels`."""
    card_path = model_path.with_suffix(".json")
    card: dict[str, Any] = {}
    if card_path.exists():
        try:
            card = json.loads(card_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelUnavailable(f"model card {card_path} is not valid JSON: {exc}") from exc
        if not isinstance(card, dict):
            raise ModelUnavailable(f"model card {card_path} must hold a JSON object")
    labels = card.get("labels")
    if labels is None and session is not None:
        meta = session.get_modelmeta().custom_metadata_map.get("labels")
        if meta:
            try:
                labels = json.loads(meta)
            except ValueError:
                labels = [s for s in meta.splitlines() if s.strip()]
    if not isinstance(labels, list) or not labels or not all(isinstance(s, str) for s in labels):
        raise ModelUnavailable(f"no label list for {model_path} (expected key 'labels' in {card_path.name})")
    if len(set(labels)) != len(labels):
        raise ModelUnavailable(f"duplicate labels in {card_path.name}")
    return labels, card


@dataclass
class VerifierStats:
    """What the verifier has done (for tests, /healthz and the bench)."""

    requests: int = 0
    runs: int = 0  # InferenceSession.run calls
    batched_items: int = 0  # items that went through those runs
    max_batch_seen: int = 0
    errors: int = 0
    batch_sizes: list[int] = field(default_factory=list)  # the last 1000 batch sizes

    def note_batch(self, size: int) -> None:
        self.runs += 1
        self.batched_items += size
        self.max_batch_seen = max(self.max_batch_seen, size)
        self.batch_sizes.append(size)
        del self.batch_sizes[:-1000]


@dataclass
class _Item:
    ops: Ops
    future: asyncio.Future[tuple[np.ndarray, float]]
    queued: float


class Verifier:
    """onnxruntime on the shipped model with micro-batching; `await classify(ops)` from any coroutine."""

    def __init__(
        self,
        model_path: str | Path,
        labels: Sequence[str] | None = None,
        *,
        workers: int | None = None,
        intra_op_threads: int | None = None,
        window: float = DEFAULT_WINDOW,
        max_batch: int = DEFAULT_MAX_BATCH,
        metrics: Any = None,
        rasterize: Rasterize | None = None,
        nice: int = WORKER_NICE,
    ) -> None:
        import onnxruntime as ort

        workers = default_workers() if workers is None else workers
        path = Path(model_path)
        if not path.exists():
            raise ModelUnavailable(f"AI model not found at {path} (`python -m training export` writes one)")
        if workers < 1 or max_batch < 1 or window < 0:
            raise ValueError("workers and max_batch must be >= 1 and window >= 0")
        opts = ort.SessionOptions()
        # One intra-op thread by default: onnxruntime then computes in the calling pool thread itself, which
        # runs at a lower CPU priority than the event loop (see _lower_priority), so on 2 shared cores the
        # loop wins any contention. Spinning threads would burn the core the loop needs, so they sleep.
        opts.intra_op_num_threads = intra_op_threads or 1
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        opts.add_session_config_entry("session.inter_op.allow_spinning", "0")
        try:
            self.session = ort.InferenceSession(
                str(path), sess_options=opts, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnxruntime raises its own exception types for bad files
            raise ModelUnavailable(f"cannot load AI model {path}: {exc}") from exc
        if labels is None:
            labels, self.card = load_labels(path, self.session)
        else:
            self.card = {}
        self.labels: list[str] = list(labels)
        self.label_set = frozenset(self.labels)
        self.model_path = path
        inp = self.session.get_inputs()[0]
        self.input_name = inp.name
        batch_dim = inp.shape[0] if inp.shape else None
        self.fixed_batch = batch_dim if isinstance(batch_dim, int) else None  # e.g. 1: a non-dynamic export
        self.max_batch = max_batch
        self.window = window
        self.workers = workers
        self.metrics = metrics
        self._rasterize = rasterize or rasterize_ops_many
        self.stats = VerifierStats()
        self._pending: list[_Item] = []
        self._inflight = 0
        self._timer: asyncio.Handle | None = None
        self._closed = False
        self._check_outputs()
        self._pool = ThreadPoolExecutor(
            max_workers=workers, thread_name_prefix="verify", initializer=_lower_priority, initargs=(nice,)
        )

    @classmethod
    def from_config(cls, config: Any, **kwargs: Any) -> Verifier:
        """The verifier for `config.models_dir / f"{config.model_name}.onnx"`; raises ModelUnavailable."""
        return cls(Path(config.models_dir) / f"{config.model_name}.onnx", **kwargs)

    def info(self) -> dict[str, Any]:
        """A summary for /healthz and logs."""
        st = self.stats
        return {
            "model": self.model_path.name,
            "labels": len(self.labels),
            "requests": st.requests,
            "runs": st.runs,
            "mean_batch": round(st.batched_items / st.runs, 2) if st.runs else 0.0,
            "errors": st.errors,
        }

    def _check_outputs(self) -> None:
        """Probe one blank image: the output must be [N, len(labels)] probabilities (a softmax)."""
        out = self._run(np.zeros((1, 1, 28, 28), dtype=np.float32))
        if out.shape != (1, len(self.labels)):
            raise ModelUnavailable(f"model outputs shape {out.shape}, expected (1, {len(self.labels)})")
        if (out < -1e-6).any() or abs(float(out.sum()) - 1.0) > 1e-3:
            raise ModelUnavailable("model output is not a softmax (rows must be probabilities)")

    # -- worker side (runs in the pool threads; onnxruntime releases the GIL while it computes) ----------

    def _run(self, batch: np.ndarray) -> np.ndarray:
        fixed = self.fixed_batch
        if fixed is None or fixed == len(batch):
            return np.asarray(self.session.run(None, {self.input_name: batch})[0])
        # A model exported with a fixed batch size: run it chunk by chunk, padding the last chunk.
        rows = []
        for i in range(0, len(batch), fixed):
            chunk = batch[i : i + fixed]
            n = len(chunk)
            if n < fixed:
                chunk = np.concatenate([chunk, np.zeros((fixed - n, *chunk.shape[1:]), chunk.dtype)])
            rows.append(np.asarray(self.session.run(None, {self.input_name: chunk})[0])[:n])
        return np.concatenate(rows, axis=0)

    def _work(self, ops_list: list[Ops]) -> list[tuple[np.ndarray, float] | BaseException | None]:
        images: list[np.ndarray] = []
        slots: list[int] = []
        results: list[tuple[np.ndarray, float] | BaseException | None] = []
        for slot, img in enumerate(self._rasterize_all(ops_list)):
            if isinstance(img, BaseException):
                results.append(img)
                continue
            slots.append(slot)
            results.append(None)  # filled after the run
            images.append(img)
        if images:
            batch = np.stack(images)[:, None, :, :]
            probs = self._run(batch)
            for row, slot in enumerate(slots):
                results[slot] = (probs[row].copy(), float(images[row].sum()))
        return results

    def _rasterize_all(self, ops_list: list[Ops]) -> list[np.ndarray | BaseException]:
        """One image (float32 28x28) or the error per drawing. The whole batch goes through the rasterizer
        in one call (much cheaper per drawing); if that fails, drawing by drawing, so one bad drawing
        fails alone and not its batch mates."""
        try:
            images = np.asarray(self._rasterize(ops_list), dtype=np.float32).reshape(-1, 28, 28)
            if len(images) == len(ops_list):
                return list(images)
        except Exception:
            pass
        out: list[np.ndarray | BaseException] = []
        for ops in ops_list:
            try:
                out.append(np.asarray(self._rasterize([ops]), dtype=np.float32).reshape(28, 28))
            except Exception as exc:
                out.append(exc)
        return out

    # -- event-loop side ------------------------------------------------------------------------------

    async def classify(self, ops: Ops) -> np.ndarray:
        """The model's probabilities (float32, one per label) for the drawing `ops` (a drawing log)."""
        probs, _ = await self.classify_with_ink(ops)
        return probs

    async def classify_with_ink(self, ops: Ops) -> tuple[np.ndarray, float]:
        """Probabilities plus the ink of the server's rasterized image (its pixel sum; 0 = empty)."""
        if self._closed:
            raise VerifierClosed("verifier is closed")
        loop = asyncio.get_running_loop()
        item = _Item(ops, loop.create_future(), time.perf_counter())
        self._pending.append(item)
        self.stats.requests += 1
        self._schedule(loop)
        try:
            return await item.future
        finally:
            if self.metrics is not None:
                self.metrics.observe("verify_latency_seconds", time.perf_counter() - item.queued)

    async def verify(
        self,
        claim: Claim,
        ops: Ops,
        word: str,
        *,
        threshold: float = CLAIM_THRESHOLD,
        tolerance: float = CLAIM_TOLERANCE,
        same_word: Callable[[str, str], bool] | None = None,
    ) -> Verdict:
        """Judge a claim on the server's own copy of the drawing: `ops` must be the log's first
        `claim.stroke_count` ops (the caller has already run claims.check_context). Records metrics."""
        kwargs: dict[str, Any] = {"threshold": threshold, "tolerance": tolerance}
        if same_word is not None:
            kwargs["same_word"] = same_word
        probs, ink = await self.classify_with_ink(ops)
        verdict = judge(claim, probs.tolist(), self.labels, word, server_ink=ink, **kwargs)
        self.record(verdict)
        return verdict

    def record(self, verdict: Verdict) -> None:
        """Count a verdict in metrics (also call it for claims rejected before the model ran)."""
        if self.metrics is not None:
            record_verdict(self.metrics, verdict)

    def _schedule(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._inflight >= self.workers:
            return  # a finishing batch dispatches what queued meanwhile
        if len(self._pending) >= self.max_batch:
            self._dispatch(loop)
        elif self._timer is None:
            self._timer = self._later(loop)

    def _later(self, loop: asyncio.AbstractEventLoop) -> asyncio.Handle:
        # window 0: dispatch at the end of this loop iteration, so calls made in the same tick (a gather)
        # share a batch without adding latency to a lone call.
        if self.window == 0:
            return loop.call_soon(self._on_timer, loop)
        return loop.call_later(self.window, self._on_timer, loop)

    def _on_timer(self, loop: asyncio.AbstractEventLoop) -> None:
        self._timer = None
        if self._pending and self._inflight < self.workers:
            self._dispatch(loop)

    def _dispatch(self, loop: asyncio.AbstractEventLoop) -> None:
        while self._pending and self._inflight < self.workers:
            # Share the queue between the idle workers rather than handing it all to one.
            free = self.workers - self._inflight
            size = min(self.max_batch, -(-len(self._pending) // free))
            items = [it for it in self._pending[:size] if not it.future.done()]
            del self._pending[:size]
            if not items:
                continue
            self._inflight += 1
            self.stats.note_batch(len(items))
            if self.metrics is not None:
                self.metrics.observe("verify_batch_size", len(items))
            fut = loop.run_in_executor(self._pool, self._work, [it.ops for it in items])
            fut.add_done_callback(lambda f, items=items, loop=loop: self._done(items, f, loop))
        if self._pending and self._timer is None and self._inflight < self.workers:
            self._timer = self._later(loop)

    def _done(self, items: list[_Item], fut: asyncio.Future[Any], loop: asyncio.AbstractEventLoop) -> None:
        self._inflight -= 1
        exc = None if fut.cancelled() else fut.exception()
        if fut.cancelled() or exc is not None:
            self.stats.errors += 1
            err = exc or VerifierClosed("verification was cancelled")
            for it in items:
                if not it.future.done():
                    it.future.set_exception(err)
        else:
            for it, res in zip(items, fut.result(), strict=True):
                if it.future.done():
                    continue  # the caller gave up (cancelled or timed out)
                if res is None or isinstance(res, BaseException):
                    self.stats.errors += 1
                    it.future.set_exception(res or RuntimeError("no result"))
                else:
                    it.future.set_result(res)
        if self._pending and not self._closed:
            self._dispatch(loop)  # these waited through a whole run already: no extra window

    def close(self) -> None:
        """Stop the pool; pending and later calls raise VerifierClosed."""
        self._closed = True
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        for it in self._pending:
            if not it.future.done():
                it.future.set_exception(VerifierClosed("verifier closed"))
        self._pending.clear()
        self._pool.shutdown(wait=False, cancel_futures=True)


def default_workers() -> int:
    """Two pool threads where there are two cores (measured: ~+25% claims/s at 64 concurrent claims on the
    shared 2-core machine, with the event loop still ticking every few ms thanks to the lower priority)."""
    return 2 if (os.cpu_count() or 1) >= 2 else 1


def _lower_priority(nice: int) -> None:
    """Pool-thread initializer: make this thread yield the CPU to the event loop under contention.

    Linux gives every thread its own nice value (setpriority on the thread id); raising it needs no
    privilege. Elsewhere this is a no-op."""
    if nice <= 0:
        return
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + nice))
    except (AttributeError, OSError):
        pass


def record_verdict(metrics: Any, verdict: Verdict) -> None:
    """doodleai_claims_total{result="accepted"|"rejected", reason=...} += 1."""
    metrics.inc("claims_total", result="accepted" if verdict.accepted else "rejected", reason=verdict.reason)
