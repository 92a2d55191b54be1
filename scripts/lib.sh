# Shared helpers for the scripts in this folder (sourced, not run).
PYTHON="${ORC_AI_PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3

ensure_uv() {
  if ! command -v uv >/dev/null 2>&1; then
    "$PYTHON" -m pip install -q --user uv 2>/dev/null || "$PYTHON" -m pip install -q uv
    export PATH="$HOME/.local/bin:$PATH"
  fi
}

# DAGSTER_HOME lives under $ORC_AI_HOME; the repo's dagster.yaml is linked into it.
use_dagster_home() {
  export ORC_AI_HOME="${ORC_AI_HOME:-$PWD/.orc_ai_home}"
  export DAGSTER_HOME="${DAGSTER_HOME:-$ORC_AI_HOME/dagster}"
  mkdir -p "$DAGSTER_HOME"
  ln -sf "$PWD/dagster.yaml" "$DAGSTER_HOME/dagster.yaml"
}
