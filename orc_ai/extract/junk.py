"""Names that are not worth a graph node: dates, times, numbers, section words, single generic words, file names."""

from __future__ import annotations

import re

from orc_ai.extract.names import name_key

_MONTHS_DAYS = {
    *"january february march april may june july august september october november december".split(),
    *"jan feb mar apr jun jul aug sep sept oct nov dec".split(),
    *"monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun".split(),
    *"today tomorrow yesterday tonight morning evening night noon midnight week weekend".split(),
}
_NUM = r"[\d\s:./,+%#x×~<>=()-]*"
_NUMBERISH = re.compile(rf"{_NUM}\d{_NUM}(?:[kmgt]i?b?|ms|s|h|m|d|st|nd|rd|th|am|pm|utc)?")
_FILE = re.compile(r"\.(?:md|csv|tsv|json|jsonl|sql|py|txt|html?|ya?ml|gz|parquet|properties|tf|sh|log|cfg|ini|conf)$")
# headings and labels that recur in operations documents and never name a thing
SECTION_WORDS = {
    *"overview purpose summary impact timeline symptoms symptom diagnosis remediation escalation owner owners".split(),
    *"schedule dependencies notes background resolution status steps contents introduction references".split(),
    *"appendix utc sla todo faq tldr yes no none true false n/a ok done closed open resolved pending".split(),
    *"dag dags task tasks runbook inc incident team table topic note warning error id api url sql".split(),
    *"dag_id task_id run_id map_index try_number logical_date execution_date".split(),
    *"root cause action items prevention signature cause fix tier type severity date duration".split(),
}


def lowercase_words(text: str) -> set[str]:
    """Words the text also uses in lower case: evidence that a capitalised one is an ordinary word."""
    return set(re.findall(r"(?<![\w-])[a-z][a-z']+(?![\w-])", text))


def is_junk(name: str, type_: str, common: set[str]) -> bool:
    """True for names no reader would look up: dates, numbers, month/day words, section labels, file names,
    and untyped single words or phrases made only of words the text also uses in lower case."""
    key = name_key(name)
    if len(key) < 2 or key in SECTION_WORDS or _NUMBERISH.fullmatch(key) or _FILE.search(key):
        return True
    words = key.split()
    if all(w in _MONTHS_DAYS or _NUMBERISH.fullmatch(w) for w in words):
        return True
    if type_ not in ("Concept", "Identifier"):
        return False
    if len(words) == 1:
        if key in common:  # "Done", "MERGE": an ordinary word the text also writes in lower case
            return True
        distinctive = (name.isupper() and len(name) >= 2) or re.search(r"[a-z][A-Z]|\d|[_.-]", name)
        return not distinctive
    return all(w in common or w in _MONTHS_DAYS for w in words)
