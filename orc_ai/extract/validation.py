"""Validate an LLM's extraction answer: keep what is well-formed and grounded, count what is rejected."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection

from pydantic import BaseModel, ValidationError

from orc_ai.extract.models import ChunkExtraction, ExtractedEntity, ExtractedRelation
from orc_ai.extract.names import clean_name, name_key


class _RawEntity(BaseModel):
    name: str
    type: str
    description: str = ""


class _RawRelation(BaseModel):
    source: str
    target: str
    type: str
    description: str = ""
    strength: float = 1.0


MAX_ENTITIES = 25
MAX_RELATIONS = 40


def extraction_json_schema(entity_types: Collection[str], relation_types: Collection[str]) -> dict:
    """JSON schema given to the model so a constrained decoder can only emit the allowed shape and types.

    Bounded lists and strings stop a small model from repeating itself until it runs out of tokens.
    """
    return {
        "type": "object",
        "properties": {
            "entities": {
                "type": "array",
                "maxItems": MAX_ENTITIES,
                "items": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string", "minLength": 1, "maxLength": 80},
                        "type": {"type": "string", "enum": sorted(entity_types)},
                        "description": {"type": "string", "maxLength": 200},
                    },
                    "required": ["name", "type", "description"],
                },
            },
            "relations": {
                "type": "array",
                "maxItems": MAX_RELATIONS,
                "items": {
                    "type": "object",
                    "properties": {
                        "source": {"type": "string", "maxLength": 80},
                        "target": {"type": "string", "maxLength": 80},
                        "type": {"type": "string", "enum": sorted(relation_types)},
                        "description": {"type": "string"},
                        "strength": {"type": "number"},
                    },
                    "required": ["source", "target", "type"],
                },
            },
        },
        "required": ["entities", "relations"],
    }


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
            entity = _RawEntity.model_validate(item)
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
            rel = _RawRelation.model_validate(item)
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
