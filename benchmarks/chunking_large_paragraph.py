"""Time to ingest, sentence-split and chunk one 4.4 MB document that is a single paragraph (no line breaks).

The text is built here: operations-style sentences (abbreviations, initials, decimals, '!' and '?') joined by
single spaces. Each phase is timed once, in this process, after the tokenizer is loaded.

Usage: .venv/bin/python benchmarks/chunking_large_paragraph.py [--mb 4.4]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from orc_ai.cache import ContentCache
from orc_ai.ingest.documents import ingest_folder
from orc_ai.text.chunking import chunk_documents, load_tokenizer
from orc_ai.text.sentences import sentence_spans

SENTENCES = (
    "Dr. Smith restarted task step_{i} of orders_daily_etl at 02:{m:02d} after it used 3.5 GB.",
    "The on-call engineer, J. Doe, paged the Data Platform team, e.g. via Slack!",
    "Why did shipment_events_ingest lag by {i} messages?",
    "Kafka topic shipment.events.v{m} feeds the warehouse load (see fig. {m}) and it recovered.",
)


def build_paragraph(n_bytes: int) -> str:
    """Deterministic sentences joined by spaces until the text has ``n_bytes`` UTF-8 bytes."""
    parts, size, i = [], 0, 0
    while size < n_bytes:
        sentence = SENTENCES[i % len(SENTENCES)].format(i=i, m=i % 60)
        parts.append(sentence)
        size += len(sentence) + 1
        i += 1
    return " ".join(parts)[:n_bytes]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=4.4, help="size of the paragraph in MB (10**6 bytes)")
    args = parser.parse_args()
    text = build_paragraph(int(args.mb * 1_000_000))
    tokenizer = load_tokenizer()
    figures: dict[str, float | int] = {"bytes": len(text.encode()), "line_breaks": text.count("\n")}
    with tempfile.TemporaryDirectory() as tmp:
        docs_dir = Path(tmp) / "docs"
        docs_dir.mkdir()
        (docs_dir / "paragraph.txt").write_text(text)
        started = time.perf_counter()
        result = ingest_folder(docs_dir, max_file_bytes=len(text.encode()) + 1)
        figures["ingest_s"] = round(time.perf_counter() - started, 2)
        docs = result.documents_frame()
        started = time.perf_counter()
        figures["sentences"] = len(sentence_spans(docs["text"][0]))
        figures["sentence_split_s"] = round(time.perf_counter() - started, 2)
        with ContentCache(Path(tmp) / "chunks.sqlite") as cache:
            started = time.perf_counter()
            chunks, _ = chunk_documents(docs, tokenizer, cache)
            figures["chunk_documents_s"] = round(time.perf_counter() - started, 2)
        figures["chunks"] = chunks.height
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
