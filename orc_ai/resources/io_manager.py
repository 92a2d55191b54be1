"""Persists asset outputs under ``$ORC_AI_HOME/assets``: polars tables as parquet, anything else as JSON.

An input declared ``dg.AssetIn(metadata={OPTIONAL_INPUT: True})`` loads as ``None`` while its asset has never been
materialised (e.g. the agent's events before any Airflow history exists); any other missing input is an error."""

import json
import os
from pathlib import Path
from typing import Any

import dagster as dg
import polars as pl
from pydantic import Field

OPTIONAL_INPUT = "orc_ai/optional"


def _table_schema(frame: pl.DataFrame) -> dg.TableSchema:
    return dg.TableSchema(columns=[dg.TableColumn(name, str(dtype)) for name, dtype in frame.schema.items()])


class TableIOManager(dg.ConfigurableIOManager):
    """``<base_dir>/<asset_key>.parquet`` for DataFrames, ``.json`` for dicts and lists."""

    base_dir: str = Field(description="Folder for asset outputs.")  # type: ignore[assignment]

    def _path(self, context: dg.OutputContext | dg.InputContext, suffix: str) -> Path:
        return Path(self.base_dir) / f"{'__'.join(context.asset_key.path)}{suffix}"

    def handle_output(self, context: dg.OutputContext, obj: Any) -> None:
        if obj is None:
            return
        Path(self.base_dir).mkdir(parents=True, exist_ok=True)
        if isinstance(obj, pl.DataFrame):
            path = self._path(context, ".parquet")
            tmp = path.with_suffix(".tmp")
            obj.write_parquet(tmp)
            os.replace(tmp, path)
            context.add_output_metadata(
                {
                    "path": dg.MetadataValue.path(str(path)),
                    "dagster/row_count": obj.height,
                    "dagster/column_schema": _table_schema(obj),
                }
            )
        else:
            path = self._path(context, ".json")
            path.write_text(json.dumps(obj, indent=2, default=str))
            context.add_output_metadata({"path": dg.MetadataValue.path(str(path))})

    def load_input(self, context: dg.InputContext) -> Any:
        parquet = self._path(context, ".parquet")
        if parquet.exists():
            return pl.read_parquet(parquet)
        path = self._path(context, ".json")
        if not path.exists() and (context.definition_metadata or {}).get(OPTIONAL_INPUT):
            return None
        return json.loads(path.read_text())
