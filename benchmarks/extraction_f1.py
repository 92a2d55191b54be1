"""Entity / relation extraction quality against the hand-labelled gold file (benchmarks/data/extraction_gold.json).

Each gold document is read from the sample corpus with the real readers, chunked with the default settings and
extracted chunk by chunk; the document's predictions are the union over its chunks. Entities match on
(``name_key``, type), with one type per name (the most frequent specific type, as resolution picks it).
Relations match on (source key, type, target key), directed. Only the gold vocabulary's types are scored:
untyped ``Concept`` / ``Identifier`` entities and ``CO_OCCURS`` relations are left out.

    .venv/bin/python benchmarks/extraction_f1.py --extractor nlp --split dev
    .venv/bin/python benchmarks/extraction_f1.py --extractor llm --llm-url http://127.0.0.1:8791/v1
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script from any directory: import this checkout's package
    sys.path.insert(0, str(REPO))

from orc_ai import defaults  # noqa: E402
from orc_ai.extract.models import ChunkExtraction, Extractor  # noqa: E402
from orc_ai.extract.names import name_key  # noqa: E402
from orc_ai.ingest.documents import ingest_folder  # noqa: E402
from orc_ai.text.chunking import chunk_text, load_tokenizer  # noqa: E402

GOLD = REPO / "benchmarks/data/extraction_gold.json"
CORPUS = REPO / "orc_ai/sample_corpus"
UNSCORED_ENTITY_TYPES = {"Concept", "Identifier"}

Triple = tuple[str, str, str]


def load_gold(path: Path = GOLD) -> dict:
    return json.loads(path.read_text("utf-8"))


def document_texts(paths: list[str], corpus: Path = CORPUS) -> dict[str, str]:
    """The ingested text of each gold document, by its document name."""
    docs = ingest_folder(corpus).documents_frame()
    texts = dict(docs.select("name", "text").iter_rows())
    missing = [p for p in paths if p not in texts]
    if missing:
        raise SystemExit(f"gold documents not in the corpus: {missing}")
    return {p: texts[p] for p in paths}


def extract_document(text: str, extractor: Extractor) -> list[ChunkExtraction]:
    tokenizer = load_tokenizer()
    spans = chunk_text(text, tokenizer, defaults.CHUNK_MAX_TOKENS, defaults.CHUNK_OVERLAP_TOKENS)
    return [extractor.extract(text[s.start_char : s.end_char]) for s in spans]


def predicted_sets(results: list[ChunkExtraction]) -> tuple[set[tuple[str, str]], set[Triple]]:
    """(key, type) entities with one type per key, and (source key, type, target key) typed relations."""
    types: dict[str, Counter[str]] = defaultdict(Counter)
    relations: set[Triple] = set()
    for result in results:
        for entity in result.entities:
            types[name_key(entity.name)][entity.type] += 1
        for rel in result.relations:
            relations.add((name_key(rel.source), rel.type, name_key(rel.target)))
    entities = set()
    for key, counter in types.items():
        specific = [(n, t) for t, n in counter.items() if t not in UNSCORED_ENTITY_TYPES] or list(
            (n, t) for t, n in counter.items()
        )
        entities.add((key, min(specific, key=lambda nt: (-nt[0], nt[1]))[1]))
    return entities, relations


def load_predictions(path: Path | None) -> dict[str, list[ChunkExtraction]]:
    if path is None or not path.exists():
        return {}
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return {r["path"]: [ChunkExtraction.model_validate(c) for c in r["chunks"]] for r in rows}


def save_prediction(path: Path | None, doc_path: str, results: list[ChunkExtraction]) -> None:
    if path is not None:
        with path.open("a", encoding="utf-8") as f:
            f.write(json.dumps({"path": doc_path, "chunks": [r.model_dump() for r in results]}) + "\n")


def gold_sets(doc: dict) -> tuple[set[tuple[str, str]], set[Triple]]:
    entities = {(name_key(n), t) for n, t in doc["entities"]}
    relations = {(name_key(s), t, name_key(o)) for s, t, o in doc["relations"]}
    return entities, relations


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(pairs: list[tuple[set, set]], type_of, scored_types: set[str]) -> dict[str, dict]:
    """Per-type and micro P/R/F1 over (predicted, gold) set pairs; predictions of unscored types are ignored."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for predicted, gold in pairs:
        predicted = {x for x in predicted if type_of(x) in scored_types}
        for x in predicted & gold:
            counts[type_of(x)]["tp"] += 1
        for x in predicted - gold:
            counts[type_of(x)]["fp"] += 1
        for x in gold - predicted:
            counts[type_of(x)]["fn"] += 1
    table = {}
    for type_ in sorted(counts):
        c = counts[type_]
        table[type_] = dict(zip(("p", "r", "f1"), prf(c["tp"], c["fp"], c["fn"]), strict=True)) | dict(c)
    total = Counter()
    for c in counts.values():
        total.update(c)
    table["micro"] = dict(zip(("p", "r", "f1"), prf(total["tp"], total["fp"], total["fn"]), strict=True)) | dict(total)
    return table


def print_table(title: str, table: dict[str, dict]) -> None:
    print(f"\n{title}")
    print(f"{'type':<14}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}")
    for type_, row in table.items():
        print(
            f"{type_:<14}{row['p']:>7.2f}{row['r']:>7.2f}{row['f1']:>7.2f}"
            f"{row.get('tp', 0):>6}{row.get('fp', 0):>6}{row.get('fn', 0):>6}"
        )


def make_extractor(args: argparse.Namespace) -> Extractor:
    if args.extractor == "nlp":
        from orc_ai.extract.nlp import NlpExtractor

        return NlpExtractor(max_entities_per_chunk=defaults.MAX_ENTITIES_PER_CHUNK)
    import openai

    from orc_ai.extract.llm import LlmExtractor

    client = openai.OpenAI(base_url=args.llm_url, api_key="unused", timeout=600)
    return LlmExtractor(client, model=args.llm_model)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extractor", choices=("nlp", "llm"), default="nlp")
    parser.add_argument("--split", choices=("dev", "heldout", "all"), default="dev")
    parser.add_argument("--llm-url", default="http://127.0.0.1:8765/v1")
    parser.add_argument("--llm-model", default="gemma3-270m")
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--json", type=Path, help="also write the tables here")
    parser.add_argument("--show-errors", action="store_true", help="print false positives / negatives per doc")
    parser.add_argument(
        "--predictions",
        type=Path,
        help="JSONL of per-document extractions, appended as documents finish and reused on the next run "
        "(a slow LLM run can be resumed; documents not yet extracted are left out of the scores)",
    )
    parser.add_argument("--time-budget-s", type=float, help="stop extracting new documents after this many seconds")
    args = parser.parse_args()

    gold = load_gold(args.gold)
    docs = [d for d in gold["documents"] if args.split == "all" or d["split"] == args.split]
    texts = document_texts([d["path"] for d in docs])
    extractor = make_extractor(args)
    entity_types = {t for d in gold["documents"] for _, t in d["entities"]} - UNSCORED_ENTITY_TYPES
    relation_types = {t for d in gold["documents"] for _, t, _ in d["relations"]}
    entity_pairs: dict[str, list] = defaultdict(list)
    relation_pairs: dict[str, list] = defaultdict(list)
    if args.time_budget_s is not None:  # short documents first, so a budget covers as many as it can
        docs = sorted(docs, key=lambda d: len(texts[d["path"]]))
    cached = load_predictions(args.predictions)
    started = time.monotonic()
    for doc in docs:
        if doc["path"] in cached:
            results = cached[doc["path"]]
        elif args.time_budget_s is not None and time.monotonic() - started > args.time_budget_s:
            print(f"time budget spent: {doc['path']} not extracted", file=sys.stderr)
            continue
        else:
            results = extract_document(texts[doc["path"]], extractor)
            save_prediction(args.predictions, doc["path"], results)
        predicted_entities, predicted_relations = predicted_sets(results)
        gold_entities, gold_relations = gold_sets(doc)
        for split in (doc["split"], "all"):
            entity_pairs[split].append((predicted_entities, gold_entities))
            relation_pairs[split].append((predicted_relations, gold_relations))
        if args.show_errors:
            print(f"\n## {doc['path']}")
            scored = {e for e in predicted_entities if e[1] in entity_types}
            print("  entity FP:", sorted(scored - gold_entities))
            print("  entity FN:", sorted(gold_entities - predicted_entities))
            typed = {r for r in predicted_relations if r[1] in relation_types}
            print("  relation FP:", sorted(typed - gold_relations))
            print("  relation FN:", sorted(gold_relations - predicted_relations))
    results = {}
    splits = ["dev", "heldout", "all"] if args.split == "all" else [args.split]
    for split in splits:
        entities = score(entity_pairs[split], lambda e: e[1], entity_types)
        relations = score(relation_pairs[split], lambda r: r[1], relation_types)
        label = f"{args.extractor} / {split} ({len(entity_pairs[split])} documents, extractor {extractor.extractor_id})"
        print_table(f"Typed entities: {label}", entities)
        print_table(f"Typed relations: {label}", relations)
        results[split] = {"label": label, "entities": entities, "relations": relations}
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
