"""Query → entity linking: entity names, aliases and document titles written in the query, and entities near
the query vector."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import polars as pl

from orc_ai.extract.names import name_key

_WORD = re.compile(r"[\w][\w.&'’-]*")
_DISAMBIGUATION = re.compile(r"\s*\([^)]*\)\s*$")  # "Brand (play)" is written "Brand" in a question
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)  # "Hello Love's performer" names "Hello Love"
MAX_NAME_WORDS = 8


def link_key(name: str) -> str:
    """``name_key`` without accents, so a query that writes "Akinoshu" finds "Akinoshū"."""
    decomposed = unicodedata.normalize("NFKD", name_key(name))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class EntityLink:
    entity_id: str
    score: float  # 1.0 for a name found in the query, the cosine for a vector link, the fact seed for a fact
    how: str  # "name", "vector" or "fact" (named by a sentence near the query)


@dataclass(frozen=True)
class QueryLinks:
    entities: list[EntityLink]
    doc_ids: list[str]  # documents whose title the query names


class NameLinker:
    """Finds entity names, aliases and document titles in a query: word n-grams looked up by ``link_key``,
    longest match first ("Journal of Psychotherapy Integration" wins over "Psychotherapy"). An n-gram must hold
    a capital letter or a digit: names are written so in a question, and lower-case words ("brand") are not
    names."""

    def __init__(self, entities: pl.DataFrame, titles: dict[str, str]):
        self._entities: dict[str, list[str]] = {}
        self._docs: dict[str, list[str]] = {}
        for entity_id, name, aliases in entities.select("entity_id", "name", "aliases").iter_rows():
            for surface in [name, *(aliases or [])]:
                self._add(self._entities, surface, entity_id)
        for doc_id, title in titles.items():
            if title:
                self._add(self._docs, _DISAMBIGUATION.sub("", title), doc_id)
        for table in (self._entities, self._docs):
            for ids in table.values():
                ids.sort()

    @staticmethod
    def _add(table: dict[str, list[str]], surface: str, item: str) -> None:
        key = link_key(surface)
        if key and len(key.split()) <= MAX_NAME_WORDS:
            table.setdefault(key, []).append(item)

    def _lookup(self, phrase: list[str]) -> tuple[list[str], list[str]]:
        """Entities and documents named by ``phrase``; a possessive last word is tried without its "'s" when
        the phrase as written names nothing (a name that ends in "'s", "McDonald's", is still found)."""
        candidates = [phrase]
        if _POSSESSIVE.search(phrase[-1]):
            candidates.append([*phrase[:-1], _POSSESSIVE.sub("", phrase[-1])])
        for words in candidates:
            key = link_key(" ".join(words))
            entity_ids, doc_ids = self._entities.get(key, []), self._docs.get(key, [])
            if entity_ids or doc_ids:
                return entity_ids, doc_ids
        return [], []

    def link(self, query: str) -> QueryLinks:
        words = [m.group(0).strip(".'’-") for m in _WORD.finditer(query)]
        covered = [False] * len(words)
        entities: dict[str, EntityLink] = {}
        docs: set[str] = set()
        for size in range(min(MAX_NAME_WORDS, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                phrase = words[start : start + size]
                if any(covered[start : start + size]) or not any(c.isupper() or c.isdigit() for c in "".join(phrase)):
                    continue
                entity_ids, doc_ids = self._lookup(phrase)
                if not entity_ids and not doc_ids:
                    continue
                covered[start : start + size] = [True] * size
                for entity_id in entity_ids:
                    entities.setdefault(entity_id, EntityLink(entity_id, 1.0, "name"))
                docs.update(doc_ids)
        return QueryLinks(sorted(entities.values(), key=lambda link: link.entity_id), sorted(docs))
