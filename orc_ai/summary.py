"""Print what the last materialisation produced and where to look (``python -m orc_ai.summary``)."""

from __future__ import annotations

import sys

import polars as pl

from orc_ai import settings

ASSETS = ("raw_docs", "quarantined_docs", "chunks", "entities", "relations", "embeddings", "communities")


def main() -> int:
    home = settings.orc_home()
    out = settings.asset_dir(home)
    missing = [a for a in ASSETS if not (out / f"{a}.parquet").exists()]
    if missing:
        print(f"No output yet for {', '.join(missing)} under {out}: run scripts/run-sample first.", file=sys.stderr)
        return 1
    tables = {a: pl.read_parquet(out / f"{a}.parquet") for a in ASSETS}
    print("\nORC AI knowledge graph")
    print(f"  documents folder : {settings.docs_dir()}")
    for name, frame in tables.items():
        print(f"  {name:<17}: {frame.height:>7} rows   {out / f'{name}.parquet'}")
    quarantined = tables["quarantined_docs"]
    if quarantined.height:
        for reason, n in quarantined.group_by("reason").len().sort("reason").rows():
            print(f"    quarantined ({reason}): {n}")
    types = tables["entities"].group_by("type").len().sort("len", descending=True).rows()
    print("  entity types     : " + ", ".join(f"{t} {n}" for t, n in types))
    from orc_ai.definitions import build_resources  # the graph store the runs use, from the same environment

    graph_store = build_resources()["graph_store"]
    with graph_store.open_store() as store:
        stats = store.stats()
    print(f"  graph store      : {graph_store.backend} ({stats.model_dump()})")
    top = tables["communities"].filter(pl.col("level") == 0).sort("size", descending=True).head(5)
    print("  largest communities:")
    for title, size in top.select("title", "size").iter_rows():
        print(f"    [{size:>4}] {title}")
    print("\nWhere to look:")
    print("  Dagster UI (assets, check results, run history): scripts/ui  ->  http://127.0.0.1:3000")
    print(f"  Outputs (parquet): {out}")
    print(f"  Caches (content-hash, make re-runs incremental): {settings.cache_dir(home)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
