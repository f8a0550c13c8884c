#!/usr/bin/env bash
# Install what the game needs, build the web client and start the server on the embedded store.
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
install_python ""
build_client
export DOODLEAI_LOG_FORMAT="${DOODLEAI_LOG_FORMAT:-text}"  # a person reads these; operators keep JSON
# The address from the server's own flag and environment rules, so `--port 9000` shows :9000.
url="$("$VPY" -c 'import sys; from game_server.__main__ import print_browser_url as p; p(sys.argv[1:])' "$@")"
echo "==> starting the game server${url:+ on $url} (open it in a browser; Ctrl+C stops it)"
exec "$VPY" -m game_server "$@"
