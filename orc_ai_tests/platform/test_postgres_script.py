"""scripts/postgres: an idempotent local cluster on loopback whose role needs the password `env` prints."""

from __future__ import annotations

import os
import subprocess

import psycopg2
import pytest

from orc_ai_tests.postgres_server import SCRIPT, PostgresServer


def _script(server: PostgresServer, command: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ORC_AI_PG_ROOT": str(server.root), "ORC_AI_PG_PORT": str(server.port)}
    env.pop("ORC_AI_PG_DB", None)
    return subprocess.run([str(SCRIPT), command], env=env, capture_output=True, text=True, timeout=300)


def test_start_again_keeps_the_running_cluster_and_its_password(postgres_server: PostgresServer) -> None:
    before = postgres_server.settings()
    with psycopg2.connect(**_dsn(before)) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS kept (n int)")
    assert _script(postgres_server, "start").returncode == 0
    assert postgres_server.settings() == before
    assert _script(postgres_server, "status").returncode == 0
    with psycopg2.connect(**_dsn(before)) as conn, conn.cursor() as cur:
        cur.execute("SELECT to_regclass('kept') IS NOT NULL")
        assert cur.fetchone() == (True,)


def test_the_role_needs_its_password_over_tcp(postgres_server: PostgresServer) -> None:
    settings = postgres_server.settings()
    assert settings.host == "127.0.0.1"
    with pytest.raises(psycopg2.OperationalError, match="password authentication failed"):
        psycopg2.connect(**(_dsn(settings) | {"password": settings.password + "x"}))


def test_unknown_command_is_a_usage_error(postgres_server: PostgresServer) -> None:
    done = _script(postgres_server, "restart")
    assert done.returncode == 2 and "usage: scripts/postgres start|stop|status|env" in done.stderr


def _dsn(settings) -> dict:
    return {
        "host": settings.host,
        "port": settings.port,
        "dbname": settings.db,
        "user": settings.username,
        "password": settings.password,
    }
