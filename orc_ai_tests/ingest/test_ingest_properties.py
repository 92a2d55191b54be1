"""Property: whatever a folder holds, ``ingest_folder`` returns, and every file is a document or a quarantine row."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orc_ai.ingest.documents import ingest_folder
from orc_ai_tests.ingest.pdfs import minimal_pdf

ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1", "cp1251")
words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | words,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(["id", "text", "title", "x"]), inner),
    max_leaves=20,
)
records = st.lists(
    st.dictionaries(
        st.sampled_from(["id", "_id", "doc_id", "text", "content", "title", "name", "x"]),
        st.integers(0, 3) | words | json_values,
    )
    | json_values,
    max_size=6,
)


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


@st.composite
def json_file(draw) -> tuple[str, bytes]:
    payload = draw(records | json_values)
    text = json.dumps(payload, ensure_ascii=draw(st.booleans()))
    if draw(st.booleans()):
        depth = draw(st.integers(1, 3000))
        text = "[" * depth + text + "]" * depth
    if draw(st.integers(0, 4)) == 0:
        text = text[: draw(st.integers(0, len(text)))]  # truncated
    return draw(st.sampled_from(["json", "jsonl"])), _encode(text, draw(st.sampled_from(ENCODINGS)))


@st.composite
def jsonl_file(draw) -> tuple[str, bytes]:
    lines = [json.dumps(item) for item in draw(records)]
    lines += draw(st.lists(words, max_size=2))  # not JSON at all
    lines = draw(st.permutations(lines))
    return "jsonl", _encode("\n".join(lines), draw(st.sampled_from(ENCODINGS)))


@st.composite
def csv_file(draw) -> tuple[str, bytes]:
    rows = draw(st.lists(st.lists(words, max_size=4), max_size=5))  # ragged rows included
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    text = out.getvalue() + draw(st.sampled_from(["", '"unclosed,quote\n', "a,b\n\n"]))
    return "csv", _encode(text, draw(st.sampled_from(ENCODINGS)))


@st.composite
def html_file(draw) -> tuple[str, bytes]:
    tags = st.sampled_from(["p", "div", "title", "h1", "script", "style", "table", "td", "!--", "br/"])
    parts = draw(st.lists(st.tuples(tags, words, st.booleans()), max_size=8))
    text = "".join(f"<{tag}>{body}" + (f"</{tag}>" if close else "") for tag, body, close in parts)
    return draw(st.sampled_from(["html", "htm"])), _encode(text, draw(st.sampled_from(ENCODINGS)))


@st.composite
def pdf_file(draw) -> tuple[str, bytes]:
    data = minimal_pdf(draw(st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=30)))
    cut = draw(st.integers(0, len(data)))
    flips = draw(st.lists(st.tuples(st.integers(0, len(data) - 1), st.integers(0, 255)), max_size=6))
    mutated = bytearray(data[:cut] + draw(st.binary(max_size=200)) + data[cut:])
    for position, value in flips:
        if position < len(mutated):
            mutated[position] = value
    return "pdf", bytes(mutated)


@st.composite
def raw_file(draw) -> tuple[str, bytes]:
    ext = draw(st.sampled_from(["txt", "md", "log", "json", "csv", "html", "pdf", "png", ""]))
    data = draw(st.binary(max_size=600) | st.just(b"%PDF-1.7\n") | st.just(b""))
    return ext, data


@st.composite
def text_file(draw) -> tuple[str, bytes]:
    return draw(st.sampled_from(["txt", "md", "rst"])), _encode(draw(words), draw(st.sampled_from(ENCODINGS)))


any_file = json_file() | jsonl_file() | csv_file() | html_file() | pdf_file() | raw_file() | text_file()


def _accounted(result, rel: str) -> bool:
    documents = any(d.source_path == rel for d in result.documents)
    names = [n for d in result.documents for n in d.duplicate_names]
    duplicates = any(n == rel or n.startswith((rel + "#", rel + "@")) for n in names)
    return documents or duplicates or any(q.source_path == rel for q in result.quarantined)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(files=st.lists(any_file, min_size=1, max_size=6), nested=st.booleans())
def test_ingest_never_raises_and_accounts_for_every_file(files: list[tuple[str, bytes]], nested: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        rels = []
        for i, (ext, data) in enumerate(files):
            rel = (f"sub/f{i}" if nested and i % 2 else f"f{i}") + (f".{ext}" if ext else "")
            (root / rel).parent.mkdir(exist_ok=True)
            (root / rel).write_bytes(data)
            rels.append(rel)
        result = ingest_folder(root, max_file_bytes=100_000)
        assert result.files_seen == len(rels)
        assert [rel for rel in rels if not _accounted(result, rel)] == []
        docs = result.documents_frame()
        assert docs["name"].n_unique() == docs["doc_id"].n_unique() == docs.height
        assert docs.filter(docs["text"].str.strip_chars() == "").height == 0
        docs.write_parquet(root / "docs.parquet")  # every string is valid UTF-8
        result.quarantine_frame().write_parquet(root / "quarantine.parquet")
        assert all(q.reason and q.detail for q in result.quarantined)
