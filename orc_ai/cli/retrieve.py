"""``orc-ai retrieve``: ranked context chunks for one query or a JSONL file of questions, one JSON line each."""

from __future__ import annotations

import json
from pathlib import Path

import click

from orc_ai.cli import main
from orc_ai.progress import BarProgress


def _queries(query: str | None, queries: Path | None) -> list[tuple[str | None, str | None]]:
    """(question, error) per input, in order; a bad line becomes an error for that line only."""
    if (query is None) == (queries is None):
        raise click.UsageError('give either a QUERY or --queries FILE.jsonl')
    if query is not None:
        return [(query, None)]
    out: list[tuple[str | None, str | None]] = []
    for number, line in enumerate(queries.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            out.append((None, f"line {number}: not JSON ({exc.msg})"))
            continue
        question = record.get("question") if isinstance(record, dict) else None
        if not isinstance(question, str) or not question.strip():
            out.append((None, f"line {number}: no non-empty string 'question' field"))
        else:
            out.append((question, None))
    return out


@main.command("retrieve")
@click.argument("query", required=False)
@click.option("--queries", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="JSONL, one {question}.")
@click.option("-k", "k", type=click.IntRange(min=1), default=10, show_default=True, help="Chunks per query.")
@click.option("--token-budget", type=click.IntRange(min=1), default=None, help="Most context tokens per query.")
@click.option("--json", "as_json", is_flag=True, help="One JSON line per query (the default output is text).")
def retrieve(query: str | None, queries: Path | None, k: int, token_budget: int | None, as_json: bool) -> None:
    """Ranked chunks (dense, BM25 and entity PageRank, fused) from the graph under $ORC_AI_HOME."""
    from orc_ai.retrieve.loading import load_retriever

    inputs = _queries(query, queries)
    bar = BarProgress("retrieve")  # on stderr: the answers on stdout stay one JSON line each
    with load_retriever() as retriever:
        bar.start(len(inputs), "queries")
        for question, error in inputs:
            if error is not None:
                line = {"question": None, "items": [], "error": error}
            else:
                result = retriever.retrieve(question, k=k, token_budget=token_budget)
                items = [item.model_dump() for item in result.items]
                line = {"question": question, "items": items}
            if as_json:
                click.echo(json.dumps(line, ensure_ascii=False))
            elif error is not None:
                click.echo(f"error: {error}")
            else:
                click.echo(question)
                for rank, item in enumerate(line["items"], start=1):
                    click.echo(f"  {rank:>2}. {item['score']:.4f}  {item['doc_name']}  {item['chunk_id']}")
            bar.advance()
        bar.finish()
