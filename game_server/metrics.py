"""In-process metrics (counters, gauges, histograms) rendered in the Prometheus text format.

No external dependency: a few dicts keyed by (name, sorted labels). One `Metrics` per process,
shared through `ServerContext.metrics`; `GET /metrics` serves `render()`.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from dataclasses import dataclass, field

DEFAULT_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_NAME = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
_LABEL = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")

LabelKey = tuple[tuple[str, str], ...]


@dataclass
class _Histogram:
    buckets: tuple[float, ...]
    counts: list[int] = field(default_factory=list)  # per bucket, not cumulative
    total: float = 0.0
    count: int = 0

    def __post_init__(self) -> None:
        self.counts = [0] * (len(self.buckets) + 1)  # the last one is +Inf

    def observe(self, value: float) -> None:
        self.counts[bisect_left(self.buckets, value)] += 1
        self.total += value
        self.count += 1


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels(key: LabelKey, extra: tuple[tuple[str, str], ...] = ()) -> str:
    pairs = key + extra
    if not pairs:
        return ""
    return "{" + ",".join(f'{k}="{_escape(v)}"' for k, v in pairs) + "}"


def _number(value: float) -> str:
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return str(int(value)) if float(value).is_integer() else repr(float(value))


class Metrics:
    """Counters (`inc`), gauges (`set_gauge`, `add_gauge`) and histograms (`observe`) with labels."""

    def __init__(self, namespace: str = "doodleai", buckets: tuple[float, ...] = DEFAULT_BUCKETS) -> None:
        self.namespace = namespace
        self.default_buckets = tuple(sorted(buckets))
        self._types: dict[str, str] = {}
        self._help: dict[str, str] = {}
        self._values: dict[str, dict[LabelKey, float]] = {}
        self._hists: dict[str, dict[LabelKey, _Histogram]] = {}
        self._bucket_sets: dict[str, tuple[float, ...]] = {}

    def _full(self, name: str, kind: str) -> str:
        full = f"{self.namespace}_{name}" if self.namespace else name
        if not _NAME.match(full):
            raise ValueError(f"bad metric name {name!r}")
        known = self._types.setdefault(full, kind)
        if known != kind:
            raise ValueError(f"metric {full} is a {known}, not a {kind}")
        return full

    @staticmethod
    def _key(labels: dict[str, object]) -> LabelKey:
        for k in labels:
            if not _LABEL.match(k) or k == "le":
                raise ValueError(f"bad label name {k!r}")
        return tuple(sorted((k, str(v)) for k, v in labels.items()))

    def describe(
        self, name: str, kind: str, help_text: str, buckets: tuple[float, ...] | None = None
    ) -> None:
        """Declare a metric's type and help line (optional: first use declares it too)."""
        full = self._full(name, kind)
        self._help[full] = help_text
        if buckets is not None:
            self._bucket_sets[full] = tuple(sorted(buckets))

    def inc(self, name: str, value: float = 1, **labels: object) -> None:
        """Add `value` (>= 0) to a counter."""
        if value < 0:
            raise ValueError("counters only go up")
        series = self._values.setdefault(self._full(name, "counter"), {})
        key = self._key(labels)
        series[key] = series.get(key, 0) + value

    def set_gauge(self, name: str, value: float, **labels: object) -> None:
        """Set a gauge to `value`."""
        self._values.setdefault(self._full(name, "gauge"), {})[self._key(labels)] = value

    def add_gauge(self, name: str, delta: float, **labels: object) -> None:
        """Move a gauge by `delta` (e.g. +1 on connect, -1 on disconnect)."""
        series = self._values.setdefault(self._full(name, "gauge"), {})
        key = self._key(labels)
        series[key] = series.get(key, 0) + delta

    def observe(self, name: str, value: float, **labels: object) -> None:
        """Record one observation (e.g. seconds) in a histogram."""
        full = self._full(name, "histogram")
        series = self._hists.setdefault(full, {})
        key = self._key(labels)
        hist = series.get(key)
        if hist is None:
            hist = series[key] = _Histogram(self._bucket_sets.get(full, self.default_buckets))
        hist.observe(value)

    def value(self, name: str, **labels: object) -> float:
        """A counter's or gauge's current value (0 if never touched); for tests and /healthz."""
        full = f"{self.namespace}_{name}" if self.namespace else name
        return self._values.get(full, {}).get(self._key(labels), 0)

    def render(self) -> str:
        """The Prometheus text exposition format (version 0.0.4)."""
        lines: list[str] = []
        for full in sorted(self._types):
            kind = self._types[full]
            lines.append(f"# HELP {full} {self._help.get(full, full.replace('_', ' '))}")
            lines.append(f"# TYPE {full} {kind}")
            if kind == "histogram":
                for key, hist in sorted(self._hists.get(full, {}).items()):
                    running = 0
                    for bound, n in zip((*hist.buckets, math.inf), hist.counts, strict=True):
                        running += n
                        lines.append(f"{full}_bucket{_labels(key, (('le', _number(bound)),))} {running}")
                    lines.append(f"{full}_sum{_labels(key)} {_number(hist.total)}")
                    lines.append(f"{full}_count{_labels(key)} {hist.count}")
            else:
                for key, value in sorted(self._values.get(full, {}).items()):
                    lines.append(f"{full}{_labels(key)} {_number(value)}")
        return "\n".join(lines) + "\n"
