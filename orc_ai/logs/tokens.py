"""Split a message into tokens and mask the variable parts of each token as ``<*>``.

First, variables that span several words are masked in the whole message: dates written with a month name
(``Fri Jun 17 07:07:00 2005``) and numbers with a unit after a space (``5.2 KB``, ``30 ms``). Tokens are then the
message's whitespace-separated words. A word that is wholly a variable (a number, hex value,
IP address with or without port, UUID, path, URL, e-mail, date or time) becomes ``<*>``; inside any other word,
every piece between delimiters (``= : , ; . ( ) [ ] { } < > ' "``) that contains a digit becomes ``<*>``
(``rhost=10.0.0.1`` -> ``rhost=<*>``, ``blk_-42`` -> ``<*>``, ``db-7.internal`` -> ``<*>.internal``), unless it
is a name with one digit inside letters (``ssh2``, ``AmazonS3Exception``). Only generic shapes
are masked: nothing here knows a particular system's log format.
"""

from __future__ import annotations

import re
from functools import lru_cache

from orc_ai.logs.models import WILDCARD

_WHOLE = re.compile(
    r"""^[\[(<'"]*(?:
      [-+]?(?:\d+(?:[.,:]\d+)*|\d*\.\d+)(?:[eE][-+]?\d+)?[a-zA-Z%]{0,3}  # numbers, with a short unit (12ms, 3.5s, 42%)
    | (?:0x)?[0-9a-fA-F]*\d[0-9a-fA-F]*(?:[:-][0-9a-fA-F]+)*           # hex values, MAC addresses, UUIDs
    | \d{1,3}(?:\.\d{1,3}){3}(?::\d+)?                                  # IPv4, with port
    | [a-zA-Z][a-zA-Z0-9+.-]*://\S*                                     # URLs
    | [\w.+-]+@[\w-]+\.[\w.-]+                                          # e-mail addresses
    | (?:[a-zA-Z]:)?(?:[~.]{0,2}/[^\s/]*){2,}/?                         # paths with at least two parts
    )[\])>'",.;:]*$""",
    re.VERBOSE,
)
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*"
_DATE = re.compile(
    rf"\b(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s+)?{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?"
    r"\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s+\d{4})?\b"
)
_UNIT = re.compile(
    r"(?<![\w.])[-+]?\d+(?:\.\d+)?\s+(?:[KMGTP]i?B|B|bytes|[mun]?s|secs?|seconds|minutes|[KMG]B/s)(?=[\s,;:)\]]|$)"
)
_DELIMITERS = re.compile(r"([=:,;()\[\]{}<>'\"\s.])")
_HAS_DIGIT = re.compile(r"\d")
# a name with one digit inside letters is a name, not a value: ssh2, log4j, AmazonS3Exception, IPv4
_NAME_WITH_DIGIT = re.compile(r"^[A-Za-z]{2,}\d[A-Za-z]*$")
_RUNS = re.compile(r"(?:<\*>[./:_#@-]*){2,}")


@lru_cache(maxsize=1 << 16)  # words repeat: a log has far fewer distinct words than words
def mask_token(token: str) -> str:
    """``token`` with its variable parts replaced by ``<*>`` (delimiters around them kept)."""
    if token == WILDCARD:
        return token
    if _WHOLE.match(token):
        return _keep_brackets(token)
    parts = _DELIMITERS.split(token)
    masked = "".join(WILDCARD if p and (_HAS_DIGIT.search(p) and not _NAME_WITH_DIGIT.match(p) or _WHOLE.match(p))
                     else p for p in parts)
    return _RUNS.sub(WILDCARD, masked)


def _keep_brackets(token: str) -> str:
    lead = len(token) - len(token.lstrip("[(<'\""))
    trail = len(token) - len(token.rstrip("])>'\",.;:"))
    return token[:lead] + WILDCARD + (token[len(token) - trail:] if trail else "")


def mask_phrases(message: str) -> str:
    """``message`` with multi-word variables (month-name dates, numbers with a unit) replaced by ``<*>``."""
    return _UNIT.sub(WILDCARD, _DATE.sub(WILDCARD, message))


def tokenize(message: str) -> list[str]:
    """The message's whitespace-separated words after :func:`mask_phrases`, each masked."""
    return [mask_token(t) for t in mask_phrases(message).split()]
