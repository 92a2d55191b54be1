"""The table IO manager: tables round-trip as parquet; an optional input is None until its asset exists."""

from pathlib import Path

import dagster as dg
import polars as pl
import pytest

from orc_ai.resources.io_manager import OPTIONAL_INPUT, TableIOManager


@dg.asset
def history() -> pl.DataFrame:
    return pl.DataFrame({"n": [1, 2]})


@dg.asset(ins={"history": dg.AssetIn(metadata={OPTIONAL_INPUT: True})})
def summary_optional(history: pl.DataFrame | None) -> dict:
    return {"rows": None if history is None else history.height}


@dg.asset
def summary_required(history: pl.DataFrame) -> dict:
    return {"rows": history.height}


def _run(tmp_path: Path, *assets, selection=None) -> dg.ExecuteInProcessResult:
    return dg.materialize(list(assets), selection=selection,
                          resources={"io_manager": TableIOManager(base_dir=str(tmp_path))}, raise_on_error=False)


def test_an_optional_input_is_none_until_its_asset_is_materialised(tmp_path: Path) -> None:
    before = _run(tmp_path, history, summary_optional, selection=[summary_optional])
    assert before.success and before.output_for_node("summary_optional") == {"rows": None}
    assert _run(tmp_path, history).success
    after = _run(tmp_path, history, summary_optional, selection=[summary_optional])
    assert after.output_for_node("summary_optional") == {"rows": 2}
    assert pl.read_parquet(tmp_path / "history.parquet")["n"].to_list() == [1, 2]


def test_a_required_input_that_was_never_materialised_fails_the_run(tmp_path: Path) -> None:
    result = _run(tmp_path, history, summary_required, selection=[summary_required])
    assert not result.success
    with pytest.raises(FileNotFoundError):
        TableIOManager(base_dir=str(tmp_path)).load_input(
            dg.build_input_context(asset_key=dg.AssetKey("history"))
        )
