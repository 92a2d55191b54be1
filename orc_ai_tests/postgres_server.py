"""A throwaway PostgreSQL cluster for tests, run by the repo's own scripts/postgres (start / env / stop)."""

from __future__ import annotations

import glob
import os
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

from orc_ai_tests.neo4j_server import free_port

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "postgres"


def postgres_installed() -> bool:
    """Debian's server binaries (what scripts/postgres installs with apt-get when they are missing)."""
    return bool(glob.glob("/usr/lib/postgresql/*/bin/initdb"))


@dataclass(frozen=True)
class PostgresSettings:
    """Connection settings of a running cluster: the DAGSTER_PG_* variables dagster.yaml reads."""

    host: str
    port: int
    db: str
    username: str
    password: str

    @property
    def env(self) -> dict[str, str]:
        return {
            "DAGSTER_PG_HOST": self.host,
            "DAGSTER_PG_PORT": str(self.port),
            "DAGSTER_PG_DB": self.db,
            "DAGSTER_PG_USERNAME": self.username,
            "DAGSTER_PG_PASSWORD": self.password,
        }


class PostgresServer:
    """scripts/postgres with its own ORC_AI_PG_ROOT and a free port: ``start`` initialises and starts the cluster,
    ``stop`` stops it. The root's parent folders must be enterable by the ``postgres`` user when run as root."""

    def __init__(self, root: Path, log_path: Path):
        self.root, self.log_path = root, log_path
        self.port = free_port()

    def _script(self, command: str, db: str | None = None) -> str:
        env = {**os.environ, "ORC_AI_PG_ROOT": str(self.root), "ORC_AI_PG_PORT": str(self.port)}
        if db:
            env["ORC_AI_PG_DB"] = db
        else:
            env.pop("ORC_AI_PG_DB", None)
        env.pop("ORC_AI_PG_PASSWORD", None)  # the cluster's own random password
        with open(self.log_path, "ab") as log:
            done = subprocess.run(
                [str(SCRIPT), command], env=env, stdout=subprocess.PIPE, stderr=log, timeout=300, check=False
            )
        if done.returncode != 0:
            tail = self.log_path.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"scripts/postgres {command} failed ({done.returncode}):\n{tail}")
        return done.stdout.decode()

    def start(self) -> PostgresSettings:
        self._script("start")
        return self.settings()

    def database(self, db: str) -> PostgresSettings:
        """Another database of the running cluster, owned by the same role (``scripts/postgres start`` with
        ORC_AI_PG_DB: idempotent); a test that needs an instance of its own uses one."""
        self._script("start", db)
        return self.settings(db)

    def settings(self, db: str | None = None) -> PostgresSettings:
        """Parsed from ``scripts/postgres env`` (``export NAME=value ...``, shell-quoted)."""
        words = shlex.split(self._script("env", db))
        values = dict(word.split("=", 1) for word in words if word != "export")
        return PostgresSettings(
            host=values["DAGSTER_PG_HOST"],
            port=int(values["DAGSTER_PG_PORT"]),
            db=values["DAGSTER_PG_DB"],
            username=values["DAGSTER_PG_USERNAME"],
            password=values["DAGSTER_PG_PASSWORD"],
        )

    def stop(self) -> None:
        self._script("stop")
