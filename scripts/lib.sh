# Shared helpers for the scripts in this folder (sourced, not run).
PYTHON="${ORC_AI_PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3

ensure_uv() {
  if ! command -v uv >/dev/null 2>&1; then
    "$PYTHON" -m pip install -q --user uv 2>/dev/null || "$PYTHON" -m pip install -q uv
    export PATH="$HOME/.local/bin:$PATH"
  fi
}

# DAGSTER_HOME lives under $ORC_AI_HOME with an instance file of the repo linked into it:
#   use_dagster_home                     the embedded SQLite instance (scripts/dagster-sqlite.yaml) in $ORC_AI_HOME/dagster
#   use_dagster_home dagster.yaml dagster-postgres   the deployment's Postgres instance in $ORC_AI_HOME/dagster-postgres
use_dagster_home() {
  local instance_file="${1:-scripts/dagster-sqlite.yaml}" name="${2:-dagster}"
  export ORC_AI_HOME="${ORC_AI_HOME:-$PWD/.orc_ai_home}"
  export DAGSTER_HOME="${DAGSTER_HOME:-$ORC_AI_HOME/$name}"
  mkdir -p "$DAGSTER_HOME"
  ln -sf "$PWD/$instance_file" "$DAGSTER_HOME/dagster.yaml"
}

# the local Postgres cluster (scripts/postgres) started, and the DAGSTER_PG_* settings dagster.yaml reads exported
use_postgres() {
  scripts/postgres start
  eval "$(scripts/postgres env)"
}

# `dg` runs against the project venv (it warns when the active one differs)
use_project_venv() {
  export VIRTUAL_ENV="$PWD/.venv" PATH="$PWD/.venv/bin:$PATH"
}
