"""Read one sample of the server's Prometheus registry in a test (0 when the series was never touched)."""

from __future__ import annotations

from game_server.metrics import NAMESPACE, Metrics


def metric_value(metrics: Metrics, name: str, **labels: object) -> float:
    """A counter's or gauge's current value, as /metrics would show it."""
    found = metrics.registry.get_sample_value(f"{NAMESPACE}_{name}", {k: str(v) for k, v in labels.items()})
    return found or 0.0
