"""The policy data file (roles, tools, DAGs, auto-approve rules): one file that OPA and the in-process evaluator
both read, validated here so a bad edit fails with a message naming the field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from orc_ai.errors import PolicyError
from orc_ai.policy.models import Effect

REGO_DIR = Path(__file__).resolve().parent / "rego"
DATA_PATH = REGO_DIR / "data.json"
DATA_ROOT = "orc_ai_policy"  # the data file's top-level key: OPA serves it as data.orc_ai_policy


class AgentRule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    roles: list[str]
    description: str = ""


class RoleRule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    act_tools: list[str] = Field(default_factory=list)


class ToolRule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    effect: Effect
    channels: list[str] | None = None  # notify tools: the allow-listed channels; None: no channel rule
    target_args: list[str] = Field(default_factory=list)  # act tools: what names the one target


class DagRule(BaseModel):
    """A DAG's owning team and its attributes (``retry_safe`` and any other flag an auto-approve rule names)."""

    model_config = ConfigDict(frozen=True, extra="allow")

    team: str

    def flag(self, name: str) -> bool:
        return self.model_dump().get(name) is True


class AutoApproveRule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    tool: str
    event_types: list[str]
    dag_flag: str


class PolicyData(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    target_id_pattern: str
    agents: dict[str, AgentRule]
    roles: dict[str, RoleRule]
    tools: dict[str, ToolRule]
    dags: dict[str, DagRule]
    auto_approve: list[AutoApproveRule] = Field(default_factory=list)

    @model_validator(mode="after")
    def _act_tools_target_a_dag(self) -> PolicyData:
        for name, tool in self.tools.items():
            if tool.effect == "act" and "dag_id" not in tool.target_args:
                raise ValueError(f"act tool {name!r} must list 'dag_id' in target_args")
        return self


def load_policy_data(path: Path = DATA_PATH) -> PolicyData:
    """The validated data file; ``PolicyError`` naming the file and the bad field otherwise."""
    try:
        raw: Any = json.loads(path.read_text(encoding="utf-8"))
        return PolicyData.model_validate(raw[DATA_ROOT])
    except (OSError, json.JSONDecodeError, KeyError, TypeError, ValidationError) as exc:
        raise PolicyError(f"policy data file {path} is invalid: {exc}") from exc
