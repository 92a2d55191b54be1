"""Identifier mentions (DAG and task ids, tables, topics, hosts, pools) and how their surroundings type them.

Evidence in order: a type word right before or after ("the DAG `x`", "`x` task", "replica `x`"), a list label
("Tasks: a, b and c"), the header of the markdown-table column the identifier sits in, ``dag.task`` notation,
and last the identifier's own shape (``*_pool``, ``*_WH``, ``*.v2``, a verb first as in ``load_orders``).
"""

from __future__ import annotations

import re

from orc_ai.extract.clauses import table_header

_SNAKE = r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+"
_UPPER_SNAKE = r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+"
_DOTTED = r"[A-Za-z][\w-]*(?:\.[A-Za-z_][\w-]*){1,3}"
_HYPHENATED = r"[a-z][a-z0-9]*(?:-[a-z0-9]+)+"
_IDENT_RE = re.compile(rf"(?<![\w./:@#$-])({_DOTTED}|{_SNAKE}|{_UPPER_SNAKE}|{_HYPHENATED})(?![\w/@-]|\.\w)")
_BACKTICK_RE = re.compile(r"`([a-z][a-z0-9_.-]{2,79})`")
_FILE_OR_CODE = re.compile(r"\.(?:md|csv|tsv|json|jsonl|sql|py|txt|html?|ya?ml|gz|parquet|properties|tf|sh|log)$|\(")

# type words: singular/plural, any case
_TYPE_WORDS = {
    "DAG": ("dag", "dags", "dag_id", "pipeline"),
    "Task": ("task", "tasks", "task_id", "sensor", "operator"),
    "Topic": ("topic", "topics"),
    "Table": ("table", "tables", "view", "views", "model", "models", "source table"),
    "Host": ("host", "hosts", "replica", "cluster", "instance", "server", "deployment", "deployments", "warehouse"),
    "Pool": ("pool", "pools"),
}
_WORD_TYPE = {w: t for t, words in _TYPE_WORDS.items() for w in words}
_TYPE_ALT = "|".join(sorted((re.escape(w) for w in _WORD_TYPE), key=len, reverse=True))
_BEFORE = re.compile(rf"(?<!airflow )(?i:\b({_TYPE_ALT})\b)(?:\s+(?:read|streaming|named|called|of))?[\s`'\"*:=]*$")
_AFTER = re.compile(rf"^[`'\"*]*\s(?i:({_TYPE_ALT}))\b")
_LIST_ITEM = r"[`'\"]?[\w.-]+[`'\"]?"
_LIST = rf"(?:{_LIST_ITEM}\s*(?:,|\band\b|\bor\b)\s*)*"
_LABEL = re.compile(rf"(?<!airflow )(?i:\b({_TYPE_ALT})\b)\**\s*[:|]?\**\s*{_LIST}[`'\"]?$")
# generic operations vocabulary: a task id usually starts with what it does; a DAG id ends with its cadence/kind
TASK_VERBS = set(
    "wait extract load validate check consume fetch generate run build reconcile purge compute send push copy "
    "transform publish refresh sync export import train score notify upload download write read create drop merge "
    "upsert clean dedupe aggregate prepare process parse emit update trigger apply detect backfill sense poll "
    "archive snapshot ingest".split()
)
_CADENCE = {"daily", "hourly", "nightly", "weekly", "monthly"}
DAG_SUFFIXES = set("daily hourly nightly weekly monthly etl elt pipeline ingest sync export import build train".split())
_HOST_TOKENS = set("db pg mysql replica worker workers node nodes cluster broker host server cache".split())


def _header_type(text: str, start: int) -> str | None:
    """Type named by the header of the markdown-table column holding ``start``, if any."""
    header = table_header(text, start)
    line_start = text.rfind("\n", 0, start) + 1
    column = text[line_start:start].count("|") - 1
    return _WORD_TYPE.get(header[column]) if header and 0 <= column < len(header) else None


def _shape_type(name: str) -> str:
    if name.lower().endswith("_pool"):
        return "Pool"
    if re.fullmatch(_UPPER_SNAKE, name):
        return "Host" if name.endswith("_WH") else "Identifier"
    if "." in name:
        parts = name.split(".")
        if re.fullmatch(r"v\d+", parts[-1]):
            return "Topic"
        return "Table" if name.isupper() and len(parts) >= 2 else "Identifier"
    if "-" in name:
        parts = name.split("-")
        hostlike = bool(_HOST_TOKENS & set(parts)) and (len(parts) >= 3 or bool(re.search(r"\d", name)))
        return "Host" if hostlike else "Identifier"
    tokens = name.split("_")
    if tokens[0] in TASK_VERBS:
        return "Task"
    return "DAG" if tokens[-1] in DAG_SUFFIXES or _CADENCE & set(tokens) else "Identifier"


def identifier_type(text: str, start: int, end: int, name: str) -> str:
    """DAG, Task, Topic, Table, Host, Pool, or Identifier when nothing says which."""
    line_start = text.rfind("\n", 0, start) + 1
    before, after = text[max(0, start - 40) : start], text[end : end + 16]
    before = before[before.rfind("\n\n") + 1 :]  # a type word may sit on the line above (HTML text nodes)
    compound = "-" in name and "_" not in name and "." not in name and text[start - 1 : start] != "`"
    if compound and re.search(r"(?:ing|ed)(?:-|$)|^(?:multi|pre|post|non|re|co|self|cross|sub)-", name):
        return "Identifier"  # English compounds: "crash-looping", "multi-cluster"
    after_evidence = None if compound else _AFTER.search(after)  # "multi-cluster warehouse" is no host name
    for evidence in (_BEFORE.search(before), after_evidence, _LABEL.search(text[line_start:start])):
        if evidence:
            return _WORD_TYPE[evidence.group(1).lower()]
    return _header_type(text, start) or _shape_type(name)


def _worth_keeping(name: str, type_: str, backticked: bool) -> bool:
    if _FILE_OR_CODE.search(name):
        return False
    if "-" in name and "_" not in name and "." not in name and not backticked:
        # English compounds ("month-end", "read-only") stay out unless something types them
        return type_ != "Identifier" or bool(re.search(r"\d", name))
    return True


def identifier_mentions(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, name, type) for every identifier; ``dag.task`` yields a DAG and a Task."""
    backticked = {(m.start(1), m.end(1)) for m in _BACKTICK_RE.finditer(text)}
    spans = {(m.start(1), m.end(1)) for m in _IDENT_RE.finditer(text)} | backticked
    found = []
    for start, end in sorted(spans):
        name = text[start:end].rstrip(".")
        end = start + len(name)
        parts = name.split(".")
        if len(parts) == 2 and all(re.fullmatch(_SNAKE, p) for p in parts):
            found.append((start, start + len(parts[0]), parts[0], "DAG"))
            found.append((end - len(parts[1]), end, parts[1], "Task"))
            continue
        type_ = identifier_type(text, start, end, name)
        if _worth_keeping(name, type_, (start, end) in backticked):
            found.append((start, end, name, type_))
    return found
