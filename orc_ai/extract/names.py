"""Name normalisation shared by extractors, validation and resolution."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_EDGE_PUNCT = " \t\n`'\"“”‘’*_()[]{}<>:;,.!?-"
_SPACES = re.compile(r"\s+")


def clean_name(name: str) -> str:
    """Surface form without wrapping quotes/backticks/punctuation and with single spaces."""
    name = unicodedata.normalize("NFKC", name)
    return _SPACES.sub(" ", name.strip(_EDGE_PUNCT)).strip(_EDGE_PUNCT)


@lru_cache(maxsize=200_000)
def name_key(name: str) -> str:
    """Case- and punctuation-insensitive key; two names with the same key are the same entity."""
    key = clean_name(name).casefold()
    if key.startswith("the "):
        key = key[4:]
    return key.replace("-", " ") if " " in key else key
