"""Metrics rendered in the Prometheus text format."""

import pytest

from game_server.metrics import Metrics


def test_counters_gauges_and_labels_render():
    m = Metrics()
    m.inc("events_total", event="chat")
    m.inc("events_total", 2, event="chat")
    m.inc("events_total", event='we"ird\n')
    m.add_gauge("connections", 1)
    m.add_gauge("connections", 1)
    m.add_gauge("connections", -1)
    m.describe("rooms", "gauge", "Rooms held by this process")
    m.set_gauge("rooms", 7)
    text = m.render()
    assert "# TYPE doodleai_events_total counter" in text
    assert 'doodleai_events_total{event="chat"} 3' in text
    assert 'doodleai_events_total{event="we\\"ird\\n"} 1' in text
    assert "doodleai_connections 1" in text
    assert "# HELP doodleai_rooms Rooms held by this process" in text and "doodleai_rooms 7" in text
    assert m.value("events_total", event="chat") == 3
    assert text.endswith("\n")


def test_histogram_buckets_are_cumulative():
    m = Metrics(buckets=(0.1, 1.0))
    for v in (0.05, 0.1, 0.5, 3.0):
        m.observe("latency_seconds", v, op="save")
    lines = m.render().splitlines()
    assert 'doodleai_latency_seconds_bucket{op="save",le="0.1"} 2' in lines
    assert 'doodleai_latency_seconds_bucket{op="save",le="1"} 3' in lines
    assert 'doodleai_latency_seconds_bucket{op="save",le="+Inf"} 4' in lines
    assert 'doodleai_latency_seconds_count{op="save"} 4' in lines
    assert 'doodleai_latency_seconds_sum{op="save"} 3.65' in lines


def test_misuse_is_rejected():
    m = Metrics()
    m.inc("x_total")
    with pytest.raises(ValueError):
        m.observe("x_total", 1.0)
    with pytest.raises(ValueError):
        m.inc("x_total", -1)
    with pytest.raises(ValueError):
        m.inc("bad name")
    with pytest.raises(ValueError):
        m.inc("y_total", **{"le": "1"})
