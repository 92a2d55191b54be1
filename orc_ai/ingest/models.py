"""Records that cross the ingest boundary."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ParsedDoc(BaseModel):
    """One document a reader got out of a file (a JSON list yields several)."""

    name: str = Field(description="Unique source name: relative path, plus '#<id>' for records of a list file.")
    title: str
    text: str


class Document(BaseModel):
    """A normalised, deduplicated document, the row type of ``raw_docs``."""

    doc_id: str
    name: str
    source_path: str
    format: str
    title: str
    text: str
    n_chars: int
    content_hash: str
    duplicate_names: list[str] = Field(default_factory=list)


class QuarantineRecord(BaseModel):
    """A file, or one record of a file, that was not ingested, with the reason."""

    name: str
    source_path: str
    format: str
    reason: str
    detail: str
    size_bytes: int
