"""The server's Prometheus metrics, declared in one table and kept by `prometheus_client`.

`METRICS` names every metric (without the `doodleai_` prefix), its type, help text and label names;
docs/scaling.md lists them. One `Metrics` per app (its own `CollectorRegistry`, so several apps in one
test process never share counts); `GET /metrics` serves `render()`.

Several game processes are several scrape targets (each listens on its own port and is scraped
directly, not through nginx), so the per-process registry is the right model; prometheus_client's
multiprocess mode (PROMETHEUS_MULTIPROC_DIR) is for forking servers that share one port, which this
server never does.
"""

from __future__ import annotations

from dataclasses import dataclass

import prometheus_client
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import choose_encoder

# `<name>_created` series double the output and no dashboard here reads them.
prometheus_client.disable_created_metrics()

NAMESPACE = "doodleai"
SECONDS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
BATCH = (1, 2, 4, 8, 16, 32, 64, 128)


@dataclass(frozen=True)
class Spec:
    kind: str  # counter | gauge | histogram
    help: str
    labels: tuple[str, ...] = ()
    buckets: tuple[float, ...] = SECONDS


METRICS: dict[str, Spec] = {
    "http_requests_total": Spec("counter", "HTTP requests by route and status", ("route", "status")),
    "http_request_seconds": Spec("histogram", "HTTP request handling time", ("route",)),
    "socket_connections": Spec("gauge", "Socket.IO connections open on this process"),
    "socket_refused_total": Spec("counter", "Socket.IO connections refused, by reason", ("reason",)),
    "socket_events_total": Spec("counter", "Socket.IO events handled, by event and result",
                                ("event", "result")),
    "socket_event_seconds": Spec("histogram", "Socket.IO event handling time", ("event",)),
    "rooms_created_total": Spec("counter", "Rooms created, public or private", ("public",)),
    "rejoins_total": Spec("counter", "Players back in their seat with a session token"),
    "games_started_total": Spec("counter", "Games started"),
    "guesses_total": Spec("counter", "Chat guesses, by result", ("result",)),
    "draw_batches_total": Spec("counter", "Stroke batches appended"),
    "ai_guesses_total": Spec("counter", "AI guesses received, by verdict", ("verdict",)),
    "ai_recognitions_total": Spec("counter", "Turns the AI won with a verified claim"),
    "ai_forgery_blocks_total": Spec("counter", "Senders locked out after repeated forged claims"),
    "race_recognitions_total": Spec("counter", "Race drawings the AI verifiably recognized"),
    "claims_total": Spec("counter", "AI claims judged, by result and reason", ("result", "reason")),
    "verify_latency_seconds": Spec("histogram", "Time from a classify request to its result"),
    "verify_batch_size": Spec("histogram", "Items per onnxruntime run (micro-batching)", buckets=BATCH),
    "deadlines_fired_total": Spec("counter", "Deadlines (turn end, hint, auto-pick, grace) fired here"),
    "deadline_errors_total": Spec("counter", "Deadline handlers that raised"),
    "deadline_seconds": Spec("histogram", "Time to fire one deadline"),
    "nodes_lost_total": Spec("counter", "Other processes presumed dead by this one"),
    "captured_drawings_total": Spec("counter", "Opt-in training drawings: captured, dropped (queue full), "
                                    "failed, empty (nothing visible)", ("result",)),
    "capture_queue": Spec("gauge", "Training drawings waiting for the capture writer"),
}

_KINDS = {"counter": Counter, "gauge": Gauge, "histogram": Histogram}


class Metrics:
    """Every metric of `METRICS` in a private registry: `inc`, `add_gauge`, `set_gauge`, `observe`."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self._metrics: dict[str, Counter | Gauge | Histogram] = {}
        for name, spec in METRICS.items():
            kwargs: dict[str, object] = {"buckets": spec.buckets} if spec.kind == "histogram" else {}
            self._metrics[name] = _KINDS[spec.kind](
                name, spec.help, spec.labels, namespace=NAMESPACE, registry=self.registry, **kwargs
            )

    def _child(self, name: str, kind: str, labels: dict[str, object]):  # type: ignore[no-untyped-def]
        spec = METRICS.get(name)
        if spec is None or spec.kind != kind:
            raise ValueError(f"{name!r} is not a declared {kind} (see game_server.metrics.METRICS)")
        metric = self._metrics[name]
        return metric.labels(**{k: str(v) for k, v in labels.items()}) if spec.labels else metric

    def inc(self, name: str, value: float = 1, **labels: object) -> None:
        """Add `value` (>= 0) to a counter."""
        self._child(name, "counter", labels).inc(value)

    def set_gauge(self, name: str, value: float, **labels: object) -> None:
        self._child(name, "gauge", labels).set(value)

    def add_gauge(self, name: str, delta: float, **labels: object) -> None:
        """Move a gauge by `delta` (e.g. +1 on connect, -1 on disconnect)."""
        self._child(name, "gauge", labels).inc(delta)

    def observe(self, name: str, value: float, **labels: object) -> None:
        """Record one observation (seconds, batch sizes) in a histogram."""
        self._child(name, "histogram", labels).observe(value)

    def render(self, accept: str = "") -> tuple[bytes, str]:
        """(body, content type): Prometheus text, or OpenMetrics when the scraper's Accept asks for it."""
        encode, content_type = choose_encoder(accept)
        return encode(self.registry), content_type
