"""The text that represents an entity when it is embedded."""

from __future__ import annotations


def entity_text(entity: dict) -> str:
    """'name (type): description' — aliases help matching other surface forms."""
    text = f"{entity['name']} ({entity['type']})"
    if entity.get("aliases"):
        text += f", also {', '.join(entity['aliases'][:5])}"
    if entity.get("description"):
        text += f": {entity['description']}"
    return text
