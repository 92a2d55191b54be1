"""Prompt files under ``orc_ai/extract/prompts/<version>.txt``: turns split at '### <role>' lines."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from orc_ai.errors import ConfigError
from orc_ai.hashing import stable_hash

_ROLE_LINE = re.compile(r"^### (system|user|assistant)\s*$", flags=re.MULTILINE)


@dataclass(frozen=True)
class Prompt:
    """A versioned prompt; ``content_hash`` (of the file's text) goes into every cache key built on it."""

    version: str
    turns: tuple[tuple[str, str], ...]
    content_hash: str

    def messages(self, **values: str) -> list[dict[str, str]]:
        """Chat messages with ``{placeholders}`` filled in."""
        return [{"role": role, "content": template.format(**values)} for role, template in self.turns]


def parse_prompt(text: str, version: str, placeholders: Sequence[str] = ("text",)) -> Prompt:
    """A ``Prompt`` from file text; it must end with a user turn naming every placeholder."""
    parts = _ROLE_LINE.split(text)
    turns = tuple((role, body.strip()) for role, body in zip(parts[1::2], parts[2::2], strict=True))
    if not turns or turns[-1][0] != "user" or any(f"{{{p}}}" not in turns[-1][1] for p in placeholders):
        names = ", ".join(f"{{{p}}}" for p in placeholders)
        raise ConfigError(f"prompt {version} must end with a '### user' turn containing {names}")
    return Prompt(version=version, turns=turns, content_hash=stable_hash(text, length=16))


def load_prompt(version: str, placeholders: Sequence[str] = ("text",)) -> Prompt:
    """Read ``orc_ai/extract/prompts/<version>.txt``; a missing file is a ``ConfigError`` naming the folder."""
    path = resources.files("orc_ai.extract").joinpath("prompts", f"{version}.txt")
    if not path.is_file():
        raise ConfigError(f"no prompt file {version}.txt under orc_ai/extract/prompts")
    return parse_prompt(path.read_text("utf-8"), version, placeholders)
