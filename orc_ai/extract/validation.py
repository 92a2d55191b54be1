"""Validate an LLM's extraction answer: keep what is well-formed and grounded, count what is rejected."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection
from typing import Any

from pydantic import ValidationError

from orc_ai.extract.models import ChunkExtraction, ExtractedEntity, ExtractedRelation, ExtractionAnswer
from orc_ai.extract.names import clean_name, name_key


def _inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    """The schema with every local ``$ref`` replaced by its definition (self-contained for any decoder)."""
    if isinstance(node, dict):
        if "$ref" in node:
            return _inline_refs(defs[node["$ref"].rsplit("/", 1)[-1]], defs)
        # pydantic's titles and defaults say nothing to a decoder (every field is required)
        return {
            k: _inline_refs(v, defs)
            for k, v in node.items()
            if k != "$defs" and not (k in ("title", "default") and not isinstance(v, dict))
        }
    if isinstance(node, list):
        return [_inline_refs(v, defs) for v in node]
    return node


def extraction_json_schema(entity_types: Collection[str], relation_types: Collection[str]) -> dict:
    """JSON schema given to the model, derived from ``ExtractionAnswer`` with the type fields as enums.

    A constrained decoder can then only emit the allowed shape and types; the bounded lists and strings stop a
    small model from repeating itself until it runs out of tokens.
    """
    raw = ExtractionAnswer.model_json_schema(mode="serialization")
    schema = _inline_refs(raw, raw.get("$defs", {}))
    schema["properties"]["entities"]["items"]["properties"]["type"]["enum"] = sorted(entity_types)
    schema["properties"]["relations"]["items"]["properties"]["type"]["enum"] = sorted(relation_types)
    return schema


def validate_extraction(
    raw: str, text: str, entity_types: Collection[str], relation_types: Collection[str]
) -> ChunkExtraction:
    """Parse ``raw`` and keep entities of allowed types that occur in ``text`` and relations between them.

    Malformed JSON or a wrong top-level shape marks the whole answer failed; bad items are dropped and counted.
    """
    rejected: Counter[str] = Counter()
    try:
        payload = json.loads(raw)
    except (json.JSONDecodeError, TypeError):
        return ChunkExtraction(failed=True, rejected={"malformed_json": 1})
    if (
        not isinstance(payload, dict)
        or not isinstance(payload.get("entities", []), list)
        or not isinstance(payload.get("relations", []), list)
    ):
        return ChunkExtraction(failed=True, rejected={"wrong_shape": 1})

    folded_text = text.casefold()
    entities: dict[str, ExtractedEntity] = {}
    for item in payload.get("entities", []):
        try:
            entity = ExtractedEntity.model_validate(item)
        except ValidationError:
            rejected["malformed_entity"] += 1
            continue
        name = clean_name(entity.name)
        if not name:
            rejected["empty_name"] += 1
        elif entity.type not in entity_types:
            rejected["unknown_entity_type"] += 1
        elif name.casefold() not in folded_text:
            rejected["entity_not_in_text"] += 1
        elif name_key(name) not in entities:
            entities[name_key(name)] = ExtractedEntity(
                name=name, type=entity.type, description=entity.description.strip()[:500]
            )

    relations: dict[tuple[str, str, str], ExtractedRelation] = {}
    for item in payload.get("relations", []):
        try:
            rel = ExtractedRelation.model_validate(item)
        except ValidationError:
            rejected["malformed_relation"] += 1
            continue
        source, target = entities.get(name_key(rel.source)), entities.get(name_key(rel.target))
        if rel.type not in relation_types:
            rejected["unknown_relation_type"] += 1
        elif source is None or target is None:
            rejected["dangling_relation"] += 1
        elif source.name == target.name:
            rejected["self_relation"] += 1
        else:
            relations[(source.name, target.name, rel.type)] = ExtractedRelation(
                source=source.name,
                target=target.name,
                type=rel.type,
                description=rel.description.strip()[:500],
                strength=min(max(rel.strength, 1.0), 10.0),
            )
    return ChunkExtraction(
        entities=list(entities.values()), relations=list(relations.values()), rejected=dict(rejected)
    )
