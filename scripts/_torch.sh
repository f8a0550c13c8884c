# Sourced by _env.sh (needs $VPY, the virtualenv's python); tests/shell/test_scripts.py runs it alone.
# PyTorch (the [training] extra) as the CPU build: on Linux x86_64 the public index alone resolves
# torch==X to the CUDA build and gigabytes of nvidia-* wheels, for a project that trains on CPU.
# PyTorch's CPU wheel index is added as an extra index (its "+cpu" builds then win over PyPI's); where
# it cannot be reached, torch comes from the configured indexes as before. DOODLEAI_TORCH_INDEX picks
# another index (e.g. .../whl/cu128 for CUDA); an empty value skips it.
TORCH_VERSION="2.13.0"  # keep in step with pyproject.toml's [training] pin
TORCH_INDEX="${DOODLEAI_TORCH_INDEX-https://download.pytorch.org/whl/cpu}"

install_torch() {
  if "$VPY" -c "import sys, torch; sys.exit(torch.__version__.split('+')[0] != '$TORCH_VERSION')" 2>/dev/null; then
    return
  fi
  local extra=()
  if [ -n "$TORCH_INDEX" ] && "$VPY" - "$TORCH_INDEX" 2>/dev/null <<'PY'
import sys, urllib.request
urllib.request.urlopen(sys.argv[1].rstrip("/") + "/torch/", timeout=10)
PY
  then
    extra=(--extra-index-url "$TORCH_INDEX")
    echo "==> installing PyTorch $TORCH_VERSION, CPU build (extra index $TORCH_INDEX)"
  elif [ -n "$TORCH_INDEX" ]; then
    echo "==> installing PyTorch $TORCH_VERSION from the configured index ($TORCH_INDEX not reachable)"
  else
    echo "==> installing PyTorch $TORCH_VERSION from the configured index (DOODLEAI_TORCH_INDEX is empty)"
  fi
  "$VPY" -m pip install -q "torch==$TORCH_VERSION" "${extra[@]}"
}
