# Shared helpers for the scripts in this folder (sourced, not run).
PYTHON="${ORC_AI_PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3

ensure_uv() {
  if ! command -v uv >/dev/null 2>&1; then
    "$PYTHON" -m pip install -q --user uv 2>/dev/null || "$PYTHON" -m pip install -q uv
    export PATH="$HOME/.local/bin:$PATH"
  fi
}
