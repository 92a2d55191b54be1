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


def chunk_embedding_text(title: str, text: str) -> str:
    """The chunk with its document title as a header (unless the chunk already starts with it), so that a
    passage whose text never repeats its subject still matches questions about that subject."""
    if not title or text.lstrip("# ").startswith(title):
        return text
    return f"{title}\n{text}"
