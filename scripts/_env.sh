# Shared by play.sh and test.sh: a virtualenv in .venv and the built web client.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "==> creating virtualenv .venv"
  "$PY" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
fi
VPY="$ROOT/.venv/bin/python"

source "$ROOT/scripts/_torch.sh"  # install_torch: PyTorch as the CPU build

install_python() {  # $1: extras, e.g. "" or "[test,training]"
  local stamp=".venv/.installed$1"
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    case "$1" in *training*) install_torch ;; esac
    echo "==> installing Python packages $1"
    "$VPY" -m pip install -q -e ".$1"
    touch "$stamp"
  fi
}

build_client() {
  if ! command -v npm >/dev/null; then
    echo "npm is missing: install Node.js (https://nodejs.org) and run again" >&2
    exit 1
  fi
  echo "==> building the web client"
  (cd web_client && { [ -d node_modules ] && [ node_modules -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; } && npm run --silent build)
}
