#!/usr/bin/env bash
# Install what the game needs, build the web client and start the server on the embedded store.
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
install_python ""
build_client
echo "==> open http://${DOODLEAI_HOST:-127.0.0.1}:${DOODLEAI_PORT:-8080} and play"
exec "$VPY" -m game_server "$@"
