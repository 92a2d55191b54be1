"""Graph shape after extraction + resolution over the whole sample corpus: entity types, untyped share, junk share
and relation types (how much of the graph is only CO_OCCURS).

    .venv/bin/python benchmarks/extraction_corpus_stats.py [--corpus DIR] [--json OUT]

The junk measure is independent of the extractor's own filter: dates/times/numbers, month or weekday names,
fragments that start or end with a connector word ("European de"), and untyped single plain words ("Done").
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from orc_ai import defaults  # noqa: E402
from orc_ai.cache import ContentCache  # noqa: E402
from orc_ai.extract.nlp import NlpExtractor  # noqa: E402
from orc_ai.extract.pipeline import extract_chunks  # noqa: E402
from orc_ai.extract.resolution import resolve_entities  # noqa: E402
from orc_ai.ingest.documents import ingest_folder  # noqa: E402
from orc_ai.text.chunking import chunk_documents, load_tokenizer  # noqa: E402

_CALENDAR = re.compile(
    r"(?i)^(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:rs?|rsday)?|"
    r"fri(?:day)?|sat(?:urday)?|sun(?:day)?)$"
)
_NUMERIC = re.compile(r"^[\d\s:./,+%x-]*\d[\d\s:./,+%x-]*[a-z]{0,3}$", re.IGNORECASE)
_CONNECTOR = {"of", "de", "del", "la", "von", "van", "der", "the", "and", "or", "to", "in", "on", "at", "for"}


def is_junk(name: str, type_: str) -> bool:
    words = name.split()
    if _NUMERIC.match(name) or all(_CALENDAR.match(w) or _NUMERIC.match(w) for w in words):
        return True
    if words and (words[0].lower() in _CONNECTOR or words[-1].lower() in _CONNECTOR):
        return True
    plain_word = len(words) == 1 and re.fullmatch(r"[A-Z]?[a-z]+", name) is not None
    return type_ in ("Concept", "Identifier") and plain_word


def corpus_stats(corpus: Path) -> dict:
    docs = ingest_folder(corpus).documents_frame().filter(~docs_readme())
    with tempfile.TemporaryDirectory() as tmp:
        cache = ContentCache(Path(tmp) / "cache.sqlite")
        chunks, _ = chunk_documents(
            docs, load_tokenizer(), cache, defaults.CHUNK_MAX_TOKENS, defaults.CHUNK_OVERLAP_TOKENS
        )
        run = extract_chunks(chunks, NlpExtractor(defaults.MAX_ENTITIES_PER_CHUNK), cache)
    chunk_docs = dict(chunks.select("chunk_id", "doc_id").iter_rows())
    entities, relations = resolve_entities(run.results, chunk_docs, defaults.FUZZY_MERGE_THRESHOLD)
    entity_types = dict(entities.group_by("type").len().sort("len", descending=True).iter_rows())
    relation_types = dict(relations.group_by("type").len().sort("len", descending=True).iter_rows())
    junk = [n for n, t in entities.select("name", "type").iter_rows() if is_junk(n, t)]
    n_entities, n_relations = entities.height, relations.height
    return {
        "documents": docs.height,
        "chunks": chunks.height,
        "entities": n_entities,
        "entity_types": entity_types,
        "concept_share": entity_types.get("Concept", 0) / max(n_entities, 1),
        "untyped_share": (entity_types.get("Concept", 0) + entity_types.get("Identifier", 0)) / max(n_entities, 1),
        "junk_share": len(junk) / max(n_entities, 1),
        "junk_examples": sorted(junk)[:25],
        "relations": n_relations,
        "relation_types": relation_types,
        "co_occurs_share": relation_types.get("CO_OCCURS", 0) / max(n_relations, 1),
    }


def docs_readme():
    import polars as pl

    return pl.col("name") == "README.md"  # the corpus README describes the corpus; it is not an ops document


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO / "orc_ai/sample_corpus")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    stats = corpus_stats(args.corpus)
    print(json.dumps(stats, indent=1, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(stats, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
