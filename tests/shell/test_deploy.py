"""docker-compose.yml, the Dockerfile and deploy/nginx.conf checked as files: no Docker engine needed.

The structure compose relies on (services, images, healthchecks, start order), and that the pieces name
each other consistently: nginx's upstream is the game service on the port the game listens on, the
game's REDIS_URL is the redis service, nginx keeps /metrics off the public side.
tests/multiprocess/test_nginx.py runs the nginx config for real.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def nginx_conf() -> str:
    return (ROOT / "deploy" / "nginx.conf").read_text()


def test_services_images_and_start_order(compose: dict):
    services = compose["services"]
    assert set(services) == {"redis", "game", "nginx"}
    redis_image = services["redis"]["image"]
    major, minor = map(int, re.fullmatch(r"redis:(\d+)\.(\d+)(?:\.\d+)?-alpine", redis_image).groups())
    assert (major, minor) >= (6, 2), "docs/scaling.md: Redis 6.2 or newer"
    assert re.fullmatch(r"nginx:\d+\.\d+(\.\d+)?-alpine", services["nginx"]["image"])  # pinned, not latest
    game = services["game"]
    assert game["build"] == "." and game["image"].startswith("doodleai:")
    assert game["depends_on"]["redis"]["condition"] == "service_healthy"
    assert services["nginx"]["depends_on"]["game"]["condition"] == "service_healthy"
    assert game["deploy"]["replicas"] >= 2
    assert "ports" not in game, "game processes are reached through nginx only"
    assert "redis-data" in compose["volumes"]


def test_redis_persists_and_never_evicts(compose: dict):
    redis = compose["services"]["redis"]
    cmd = " ".join(redis["command"])
    assert "--appendonly yes" in cmd and "--maxmemory-policy noeviction" in cmd
    assert any(v.endswith(":/data") for v in redis["volumes"])


def test_healthchecks(compose: dict):
    redis_check = compose["services"]["redis"]["healthcheck"]
    assert redis_check["test"][:2] == ["CMD", "redis-cli"] and "ping" in redis_check["test"]
    # The game's healthcheck is the image's HEALTHCHECK (nginx waits for it): /healthz on its port.
    dockerfile = (ROOT / "Dockerfile").read_text()
    check = re.search(r"^HEALTHCHECK .*\\\n\s+CMD (.+)$", dockerfile, re.M)
    assert check and "http://127.0.0.1:8080/healthz" in check.group(1)
    assert "EXPOSE 8080" in dockerfile and "DOODLEAI_MODELS_DIR=/app/models" in dockerfile
    assert "COPY models/ models/" in dockerfile  # the AI is required by default: the image carries it


def test_nginx_upstream_is_the_game_service_on_its_port(compose: dict, nginx_conf: str):
    services = compose["services"]
    game_env = services["game"]["environment"]
    port = str(game_env["DOODLEAI_PORT"])
    assert game_env["DOODLEAI_HOST"] == "0.0.0.0" and services["game"]["expose"] == [port]
    upstream = re.search(r"upstream doodleai_game \{(.*?)\}", nginx_conf, re.S).group(1)
    servers = re.findall(r"^\s*server\s+([\w.-]+):(\d+)", upstream, re.M)
    assert servers == [("game", port)], servers
    assert urlsplit(game_env["REDIS_URL"]).hostname == "redis"
    # nginx gets this very file, and publishes the port it listens on.
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in services["nginx"]["volumes"]
    listen = re.search(r"^\s*listen (\d+);", nginx_conf, re.M).group(1)
    assert any(str(p).endswith(f":{listen}") for p in services["nginx"]["ports"])
    assert nginx_conf.count("proxy_pass http://doodleai_game;") == 2


def test_nginx_keeps_metrics_private(nginx_conf: str):
    block = re.search(r"location = /metrics \{(.*?)\}", nginx_conf, re.S)
    assert block and "deny all;" in block.group(1)

