"""Token-bucket rate limiting per key (a connection, or a connection and an event group).

Time is an argument, never read here, so tests move `now` instead of sleeping.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """`rate_per_s` tokens flow into each key's bucket, which holds at most `burst`; each event costs one."""

    def __init__(self, rate_per_s: float, burst: int) -> None:
        if rate_per_s <= 0 or burst < 1:
            raise ValueError("rate_per_s must be > 0 and burst >= 1")
        self.rate = float(rate_per_s)
        self.burst = int(burst)
        self._buckets: dict[str, _Bucket] = {}

    def allow(self, key: str, now: float, cost: float = 1.0) -> bool:
        """Take `cost` tokens from `key`'s bucket if it has them; False means: over the limit."""
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(float(self.burst), now)
        elif now > bucket.updated:
            bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.updated) * self.rate)
            bucket.updated = now
        # A clock that goes backwards adds nothing (and takes nothing away).
        if bucket.tokens + 1e-9 >= cost:  # tolerate float dust from summing small refills
            bucket.tokens -= cost
            return True
        return False

    def drop(self, key: str) -> None:
        """Forget a key (call on disconnect so the table does not grow forever)."""
        self._buckets.pop(key, None)

    def __len__(self) -> int:
        return len(self._buckets)
