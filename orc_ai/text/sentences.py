"""Rule-based sentence boundaries with character spans (fast, no model download)."""

from __future__ import annotations

import re

_ABBREVIATIONS = {
    "e.g",
    "i.e",
    "etc",
    "vs",
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "inc",
    "ltd",
    "co",
    "corp",
    "jr",
    "sr",
    "st",
    "no",
    "fig",
    "approx",
    "dept",
    "est",
    "u.s",
    "a.m",
    "p.m",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
}
# a candidate end: terminal punctuation (+closing quotes/brackets) then whitespace, or a line break
_BOUNDARY = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n+")
_LAST_WORD = re.compile(r"([A-Za-z.]+)\.$")


def _is_abbreviation(text: str, end: int) -> bool:
    """True when the '.' before ``end`` closes an abbreviation or an initial like 'J.'."""
    match = _LAST_WORD.search(text[max(0, end - 12) : end].rstrip("\"')]"))
    if not match:
        return False
    word = match.group(1).lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character spans of sentences; whitespace between them is excluded. Linear in the text."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.start()
        piece_end = end
        if "\n" not in match.group(0):
            nxt = text[match.end() : match.end() + 1]
            if nxt and nxt.islower():
                continue
            # the match starts right after its '.', '!' or '?', so ``end`` is where the abbreviation test looks
            if _is_abbreviation(text, end):
                continue
        if text[start:piece_end].strip():
            spans.append(_strip_span(text, start, piece_end))
        start = match.end()
    if text[start:].strip():
        spans.append(_strip_span(text, start, len(text)))
    return spans


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
