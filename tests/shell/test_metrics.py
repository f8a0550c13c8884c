"""game_server.metrics: the declared metrics, kept by prometheus_client, rendered for Prometheus."""

import re
from pathlib import Path

import pytest
from metric_values import metric_value
from prometheus_client.parser import text_string_to_metric_families

from game_server.metrics import METRICS, Metrics

ROOT = Path(__file__).resolve().parents[2]


def families(m: Metrics) -> dict[str, object]:
    body, content_type = m.render()
    assert content_type.startswith("text/plain")
    return {f.name: f for f in text_string_to_metric_families(body.decode())}


def test_counters_gauges_and_labels_render():
    m = Metrics()
    m.inc("socket_events_total", event="chat", result="ok")
    m.inc("socket_events_total", 2, event="chat", result="ok")
    m.inc("socket_events_total", event='we"ird\n', result="ok")
    m.add_gauge("socket_connections", 1)
    m.add_gauge("socket_connections", 1)
    m.add_gauge("socket_connections", -1)
    text = m.render()[0].decode()
    assert "# TYPE doodleai_socket_events_total counter" in text
    assert 'doodleai_socket_events_total{event="chat",result="ok"} 3.0' in text
    assert 'doodleai_socket_events_total{event="we\\"ird\\n",result="ok"} 1.0' in text
    assert "doodleai_socket_connections 1.0" in text
    assert "# HELP doodleai_socket_connections Socket.IO connections open on this process" in text
    assert metric_value(m, "socket_events_total", event="chat", result="ok") == 3
    assert metric_value(m, "socket_events_total", event="other", result="ok") == 0
    assert "_total_created" not in text and "socket_events_created" not in text


def test_histogram_buckets_are_cumulative():
    m = Metrics()
    for v in (0.05, 0.1, 0.5, 3.0):
        m.observe("http_request_seconds", v, route="/x")
    for n in (1, 3, 64):
        m.observe("verify_batch_size", n)
    lines = m.render()[0].decode().splitlines()
    assert 'doodleai_http_request_seconds_bucket{le="0.1",route="/x"} 2.0' in lines
    assert 'doodleai_http_request_seconds_bucket{le="1.0",route="/x"} 3.0' in lines
    assert 'doodleai_http_request_seconds_bucket{le="+Inf",route="/x"} 4.0' in lines
    assert 'doodleai_http_request_seconds_count{route="/x"} 4.0' in lines
    assert 'doodleai_http_request_seconds_sum{route="/x"} 3.65' in lines
    assert 'doodleai_verify_batch_size_bucket{le="4.0"} 2.0' in lines


def test_apps_keep_their_own_counts():
    a, b = Metrics(), Metrics()
    a.inc("games_started_total")
    assert (metric_value(a, "games_started_total"), metric_value(b, "games_started_total")) == (1, 0)


def test_openmetrics_when_the_scraper_asks():
    m = Metrics()
    m.inc("games_started_total")
    body, content_type = m.render("application/openmetrics-text; version=1.0.0")
    assert content_type.startswith("application/openmetrics-text")
    assert body.decode().endswith("# EOF\n")


def test_misuse_is_rejected():
    m = Metrics()
    with pytest.raises(ValueError):
        m.observe("games_started_total", 1.0)  # a counter, not a histogram
    with pytest.raises(ValueError):
        m.inc("games_started_total", -1)
    with pytest.raises(ValueError):
        m.inc("undeclared_total")
    with pytest.raises(ValueError):
        m.inc("guesses_total", outcome="x")  # wrong label name


def test_every_metric_is_documented_and_counters_end_in_total():
    doc = (ROOT / "docs" / "scaling.md").read_text()
    for name, spec in METRICS.items():
        assert f"doodleai_{name}" in doc, f"doodleai_{name} missing from docs/scaling.md"
        assert (spec.kind == "counter") == name.endswith("_total"), name
        assert re.fullmatch(r"[a-z_]+", name)
