"""Token bucket: bursts, refill over injected time, independent keys, dropping keys."""

import pytest

from game_server.ratelimit import RateLimiter


def test_burst_then_refill():
    rl = RateLimiter(rate_per_s=2, burst=3)
    assert [rl.allow("a", 0.0) for _ in range(4)] == [True, True, True, False]
    assert not rl.allow("a", 0.4)  # 0.8 tokens
    assert rl.allow("a", 0.5)  # 1.0 token
    assert not rl.allow("a", 0.5)
    assert [rl.allow("a", 100.0) for _ in range(4)] == [True, True, True, False]  # capped at burst


def test_keys_are_independent_and_can_be_dropped():
    rl = RateLimiter(1, 1)
    assert rl.allow("sid1:chat", 0) and not rl.allow("sid1:chat", 0)
    assert rl.allow("sid1:draw", 0) and rl.allow("sid2:chat", 0)
    rl.drop("sid2:chat")
    rl.drop("sid1:chat")
    rl.drop("sid1:draw")
    assert len(rl) == 0
    assert rl.allow("sid1:chat", 0)  # a fresh bucket


def test_clock_going_backwards_grants_nothing():
    rl = RateLimiter(10, 1)
    assert rl.allow("a", 5.0)
    assert not rl.allow("a", 1.0)
    assert not rl.allow("a", 5.05)
    assert rl.allow("a", 5.1)


def test_cost_and_bad_arguments():
    rl = RateLimiter(1, 5)
    assert rl.allow("a", 0, cost=5) and not rl.allow("a", 0, cost=1)
    with pytest.raises(ValueError):
        RateLimiter(0, 1)
    with pytest.raises(ValueError):
        RateLimiter(1, 0)
