"""Clause spans for relation patterns: sentences, with line breaks inside one sentence (HTML text nodes, wrapped
lines) joined, and every markdown table row, list item, heading and ``key: value`` line kept on its own."""

from __future__ import annotations

import re

_STRUCTURE = re.compile(r"^\s*(?:[#|>*+-]|\d+[.)]\s|\[[\d:]+\]|```|[\w\"' ]{1,40}:\s|[a-z]\)\s)")
_TERMINAL = re.compile(r"[.!?:;|}\]]\s*$")
_SENTENCE_END = re.compile(r"(?<=[A-Za-z0-9)`'\"\]][.!?])\s+(?=[A-Z`\"'(\[])")


def _blocks(text: str) -> list[tuple[int, int]]:
    blocks: list[tuple[int, int]] = []
    start = end = None
    prev_line = ""
    pos = 0
    for line in text.split("\n"):
        line_start, line_end = pos, pos + len(line)
        pos = line_end + 1
        if not line.strip():
            if start is not None:
                blocks.append((start, end))
            start = None
            continue
        continues = (
            start is not None
            and not _STRUCTURE.match(line)
            and not _TERMINAL.search(prev_line)
            and not prev_line.lstrip().startswith(("#", "|", "```"))
            and len(prev_line) <= 120
        )
        if not continues:
            if start is not None:
                blocks.append((start, end))
            start = line_start
        end = line_end
        prev_line = line
    if start is not None:
        blocks.append((start, end))
    return blocks


def clause_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each clause, in order."""
    spans = []
    for start, end in _blocks(text):
        if text[start:end].lstrip().startswith("|"):  # a table row is one record
            spans.append((start, end))
            continue
        cut = start
        for m in _SENTENCE_END.finditer(text, start, end):
            spans.append((cut, m.start()))
            cut = m.end()
        spans.append((cut, end))
    return [(s, e) for s, e in spans if e > s]


def table_header(text: str, pos: int) -> list[str] | None:
    """Lower-cased header cells of the markdown table whose row holds ``pos`` (None outside a table row)."""
    line_start = text.rfind("\n", 0, pos) + 1
    if not text[line_start : line_start + 4].lstrip().startswith("|"):
        return None
    header = None
    while line_start > 0:  # climb to the first row of this table
        prev_start = text.rfind("\n", 0, line_start - 1) + 1
        prev = text[prev_start : line_start - 1]
        if not prev.lstrip().startswith("|"):
            break
        header, line_start = prev, prev_start
    if header is None:
        return None
    return [c.strip(" *`").lower() for c in header.strip().strip("|").split("|")]
