"""What the ``reports`` check asserts: the files exist, and every decision has its section with its citations."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from orc_ai.agent.models import Decision
from orc_ai.reports.render import md_code, md_escape, shorten

SUMMARY_HEADING = "## Summary"
DECISIONS_HEADING = "## Decisions"


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.h3 = 0  # decision sections: h3 after the Decisions h2
        self.images: list[str] = []
        self._h2: str | None = None
        self._in_decisions = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h2":
            self._h2 = ""
        self.h3 += tag == "h3" and self._in_decisions
        if tag == "img":
            self.images.append(dict(attrs).get("src") or "")

    def handle_data(self, data: str) -> None:
        if self._h2 is not None:
            self._h2 += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2" and self._h2 is not None:
            self._in_decisions, self._h2 = self._h2.strip() == "Decisions", None


def _decision_sections(markdown: str) -> dict[str, str]:
    """Decision sections (``### `` headings after the Decisions heading) keyed by their heading line."""
    _, _, tail = markdown.partition(f"\n{DECISIONS_HEADING}\n")
    sections: dict[str, str] = {}
    heading = None
    for line in tail.splitlines():
        if line.startswith("### "):
            heading = line
            sections[heading] = ""
        elif heading is not None:
            sections[heading] += line + "\n"
    return sections


def report_problems(markdown_path: Path, html_path: Path, decisions: list[Decision]) -> list[str]:
    """Empty when the report is complete; else one line per thing missing."""
    problems: list[str] = []
    if not markdown_path.is_file() or not html_path.is_file():
        return [f"report file missing: {p}" for p in (markdown_path, html_path) if not p.is_file()]
    markdown = markdown_path.read_text(encoding="utf-8")
    for heading in ("# ORC AI agent report", SUMMARY_HEADING, DECISIONS_HEADING):
        if f"{heading}\n" not in markdown:
            problems.append(f"heading missing: {heading}")
    sections = _decision_sections(markdown)
    for d in decisions:
        found = [body for head, body in sections.items() if md_code(d.decision_id) in head]
        if len(found) != 1:
            problems.append(f"decision {d.decision_id}: {len(found)} sections, expected 1")
            continue
        for c in d.citations:
            if md_escape(c.doc_name) not in found[0] or md_escape(shorten(c.text)) not in found[0]:
                problems.append(f"decision {d.decision_id}: citation {c.chunk_id} ({c.doc_name}) missing")
    if len(sections) != len(decisions):
        problems.append(f"{len(sections)} decision sections for {len(decisions)} decisions")
    outline = _Outline()
    outline.feed(html_path.read_text(encoding="utf-8"))
    if outline.h3 != len(decisions):
        problems.append(f"HTML has {outline.h3} decision sections for {len(decisions)} decisions")
    if not all(src.startswith("data:image/png;base64,") for src in outline.images):
        problems.append("HTML links an image instead of embedding it")
    return problems
