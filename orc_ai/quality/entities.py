"""Entity-table quality: junk names and near-duplicates that resolution left unmerged."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

_MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
).split()
_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun"
_CALENDAR = frozenset(_MONTHS) | frozenset(_WEEKDAYS.split())
_DATE_TOKEN = re.compile(r"^(?:\d{1,4}(?:st|nd|rd|th)?|q[1-4]|h[12]|fy\d{2,4}|am|pm|utc|[0-9:./-]+)$")
_NUMERIC = re.compile(r"^[\d\s.,:/%+\-x×#]*\d[\d\s.,:/%+\-x×#]*(?:[a-zµ]{0,3})$")
# closed-class words (articles, prepositions, conjunctions, pronouns, auxiliaries): never a name on their own
_FUNCTION_WORDS = frozenset(
    """a an the and or nor but if then else so of to in on at by for from with without into onto over under
    about above below between through during before after since until via per as than is are was were be been
    being am do does did done has have had having will would shall should can could may might must not no yes
    this that these those it its he she they we you me him her them us my your our their his what which who
    whom whose when where why how all any each every some such only also just very too here there""".split()
)
# a phrase never ends with an article, preposition or conjunction ('European de', 'Department of'), nor starts
# with a preposition or conjunction; pronouns and auxiliaries do stand at the edges of titles ('Only You',
# 'Will Hay'), and 'I' ends regnal names ('Charles I'). The second line: other languages public corpora mix in.
_CONNECTORS = frozenset(
    """a an the and or nor but of to in on at by for from with without into onto over under about above below
    between through during before after since until via per as than""".split()
    + "de la le les du des del della di da der die das den dem von zu und et y e o".split()
)
# a name may start with an article or a particle ('The Hague', 'De Niro', 'von Neumann')
_NAME_PARTICLES = "the a an de la le les du des del della di da der die das den dem von y e o".split()
_LEADING_CONNECTORS = _CONNECTORS - set(_NAME_PARTICLES)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
# a word in prose: not part of a path, identifier, option or command (`airflow tasks clear`, airflow.cfg)
_PROSE_WORD = re.compile(r"(?<![\w./\\\-`$=:@<])[^\W\d_]+(?![\w./\\\-`(=:@>])")
_CODE = re.compile(r"```.*?```|`[^`\n]*`|^(?: {4}|\t|\$ ).*$", re.DOTALL | re.MULTILINE)


def lowercase_usage(texts: Iterable[str]) -> dict[str, float]:
    """For each word, the share of its occurrences written in lower case: a word mostly written lower case is a
    common word, not a proper name, even where a sentence start or a heading capitalises it ('Done', 'Note')."""
    lower: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for text in texts:
        for token in _PROSE_WORD.findall(_CODE.sub(" ", text)):
            folded = token.casefold()
            total[folded] += 1
            lower[folded] += token == folded
    return {word: lower[word] / n for word, n in total.items()}


def junk_reason(name: str, lowercase_share: dict[str, float] | None = None, common: float = 0.5) -> str | None:
    """Why ``name`` is not an entity worth a graph node ('date', 'number', 'generic_word', 'fragment'), or None.

    ``lowercase_share`` (from ``lowercase_usage`` over the corpus) marks a capitalised single word as generic when
    the corpus writes it in lower case at least ``common`` of the time."""
    lowered = name.casefold().strip()
    words = _WORD.findall(lowered)
    if not words:
        return "number" if any(c.isdigit() for c in lowered) else "fragment"
    if _NUMERIC.match(lowered):
        return "number"
    if any(w in _CALENDAR for w in words) and all(w in _CALENDAR or _DATE_TOKEN.match(w) for w in words):
        return "date"
    if " " not in name.strip() and re.search(r"[_./&-]", name):
        return None  # an identifier (billed_at, fx.rates, ON_ERROR): its parts are not words of a phrase
    if len(words) == 1:
        word = words[0]
        titled = name.strip()[:1].isupper() and name.strip()[1:] == name.strip()[1:].lower()
        acronym = len(name.strip()) > 1 and name.strip().isupper()  # 'US', 'AM': not the pronoun or the verb
        if (word in _FUNCTION_WORDS and not acronym) or (titled and (lowercase_share or {}).get(word, 0.0) >= common):
            return "generic_word"
    else:
        # a connector written in lower case at an edge; capitalised it starts a title ('Into the Light') or is
        # an initial ('Series E')
        first, last = _WORD.findall(name.strip())[0], _WORD.findall(name.strip())[-1]
        if (last.islower() and last in _CONNECTORS) or (first.islower() and first in _LEADING_CONNECTORS):
            return "fragment"
    return None


def compact_key(name: str) -> str:
    """Letters and digits only, casefolded, without a plural 's': 'Kafka-Connect', 'kafka_connect' and
    'KafkaConnects' share one key."""
    key = "".join(c for c in name.casefold() if c.isalnum())
    if key.startswith("the") and len(key) > 6 and name.casefold().startswith("the "):
        key = key[3:]
    return key[:-1] if len(key) > 4 and key.endswith("s") and not key.endswith("ss") else key


def near_duplicate_groups(names: list[str]) -> list[list[str]]:
    """Groups of two or more distinct names that differ only in case, separators, punctuation or a plural."""
    groups: dict[str, list[str]] = defaultdict(list)
    for name in names:
        key = compact_key(name)
        if key:
            groups[key].append(name)
    return sorted(sorted(g) for g in groups.values() if len(g) > 1)
