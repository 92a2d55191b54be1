"""Write a rendered report under the reports folder: one folder per report content, and a stable ``latest/``."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from orc_ai.reports.models import RenderedReport, WrittenReport

MARKDOWN_NAME = "report.md"
HTML_NAME = "report.html"
LATEST = "latest"


def _write_folder(rendered: RenderedReport, folder: Path) -> None:
    """Replace ``folder`` whole with the report's files (written beside it, then renamed into place)."""
    tmp = folder.with_name(f".{folder.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    (tmp / MARKDOWN_NAME).write_text(rendered.markdown, encoding="utf-8")
    (tmp / HTML_NAME).write_text(rendered.html, encoding="utf-8")
    for plot in rendered.plots:
        (tmp / plot.name).write_bytes(plot.png)
    old = folder.with_name(f".{folder.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        os.replace(folder, old)
    os.replace(tmp, folder)
    shutil.rmtree(old, ignore_errors=True)


def write_report(rendered: RenderedReport, reports_dir: Path) -> WrittenReport:
    """``<reports_dir>/<digest>/`` (the same content always lands in the same folder, so a re-run with the same
    inputs changes nothing, and a Slack delivery record there stays) and a copy in ``<reports_dir>/latest/``."""
    folder = reports_dir / rendered.digest
    if not (folder / MARKDOWN_NAME).exists():  # folders are renamed into place whole: present means complete
        _write_folder(rendered, folder)
    _write_folder(rendered, reports_dir / LATEST)
    return WrittenReport(
        directory=folder,
        markdown_path=folder / MARKDOWN_NAME,
        html_path=folder / HTML_NAME,
        plot_paths=[folder / p.name for p in rendered.plots],
        latest_dir=reports_dir / LATEST,
    )
