#!/usr/bin/env bash
# Install what the game needs, build the web client and start the server on the embedded store.
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
install_python ""
build_client
echo "==> starting the game server (default http://127.0.0.1:8080; the server logs its address)"
export DOODLEAI_LOG_FORMAT="${DOODLEAI_LOG_FORMAT:-text}"  # a person reads these; operators keep JSON
exec "$VPY" -m game_server "$@"
