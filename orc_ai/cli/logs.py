"""``orc-ai cluster-logs <file> [--json]``: template mining and clustering of log lines."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from orc_ai import defaults
from orc_ai.cli import main
from orc_ai.logs.miner import MinerParams, cluster_messages


def read_lines(path: str) -> list[str]:
    """The file's lines (``-`` reads stdin); bytes that are not UTF-8 are replaced, never fatal."""
    if path == "-":
        return sys.stdin.read().splitlines()
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise click.FileError(path, hint=exc.strerror or str(exc)) from None


@main.command("cluster-logs")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--json", "as_json", is_flag=True, help="Print {\"clusters\": [...], \"templates\": {...}}.")
@click.option("--no-strip-headers", is_flag=True, help="Keep timestamp/level/component prefixes as message text.")
@click.option("--max-constant-values", type=click.IntRange(min=0), default=defaults.LOG_MAX_CONSTANT_VALUES,
              show_default=True, help="A masked position with at most this many distinct words splits a cluster.")
def cluster_logs(file: str, as_json: bool, no_strip_headers: bool, max_constant_values: int) -> None:
    """Cluster the log messages of FILE (one per line, with or without a header prefix) under templates.

    A blank line belongs to no cluster: its entry in "clusters" is null, so entries still line up with lines."""
    params = MinerParams(max_constant_values=max_constant_values, strip_headers=not no_strip_headers)
    result = cluster_messages(read_lines(file), params)
    if as_json:
        click.echo(json.dumps(result.model_dump()))
        return
    for cid, count in sorted(result.counts().items(), key=lambda kv: (-kv[1], kv[0])):
        click.echo(f"{cid}  {count:>6}  {result.templates[cid]}")
