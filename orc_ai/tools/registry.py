"""The tool registry: each tool has a name, a description, a pydantic argument model and an effect class."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from orc_ai.errors import ToolArgumentsError, ToolError, UnknownToolError
from orc_ai.policy.models import Effect

ToolRunner = Callable[[BaseModel, Any], dict[str, Any]]  # (validated arguments, ToolContext) -> JSON-able result


@dataclass(frozen=True)
class ToolSpec:
    name: str
    description: str
    args_model: type[BaseModel]
    effect: Effect
    run: ToolRunner

    def json_schema(self) -> dict[str, Any]:
        return self.args_model.model_json_schema()


class ToolRegistry:
    """Looks tools up by name and validates arguments against their model before anything runs."""

    def __init__(self, specs: Iterable[ToolSpec]):
        self._specs: dict[str, ToolSpec] = {}
        for spec in specs:
            if spec.name in self._specs:
                raise ValueError(f"tool {spec.name!r} registered twice")
            self._specs[spec.name] = spec

    @property
    def names(self) -> list[str]:
        return sorted(self._specs)

    def get(self, name: str) -> ToolSpec:
        try:
            return self._specs[name]
        except KeyError:
            raise UnknownToolError(f"unknown tool {name!r}; known tools: {', '.join(self.names)}") from None

    def validate(self, name: str, arguments: dict[str, Any]) -> BaseModel:
        """The arguments parsed by the tool's model; ``ToolArgumentsError`` naming each bad field otherwise."""
        spec = self.get(name)
        try:
            return spec.args_model.model_validate(arguments)
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or '(root)'}: {e['msg']}" for e in exc.errors())
            raise ToolArgumentsError(f"arguments for {name!r} are invalid: {problems}") from None

    def call(self, name: str, arguments: dict[str, Any], ctx: Any) -> dict[str, Any]:
        """Validate ``arguments``, run the tool with the run's ``ToolContext``, and check the result is a JSON
        object (``ToolError`` naming the tool otherwise). Authorisation is the caller's, before this."""
        args = self.validate(name, arguments)
        result = self._specs[name].run(args, ctx)
        try:
            if not isinstance(result, dict):
                raise TypeError(f"got {type(result).__name__}")
            json.dumps(result, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise ToolError(f"tool {name!r} returned a result that is not a JSON object: {exc}") from None
        return result

    def describe(self) -> list[dict[str, Any]]:
        """Name, description, effect and argument schema of every tool (for prompts and docs)."""
        return [
            {"name": s.name, "description": s.description, "effect": s.effect, "arguments": s.json_schema()}
            for s in (self._specs[n] for n in self.names)
        ]
