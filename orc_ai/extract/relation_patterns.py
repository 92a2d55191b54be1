"""Typed relations from the phrasing operations documents use, clause by clause, direction-aware.

Conventions (source -> target): "X depends on / waits on / runs after Y", "Y is upstream of X", "Y triggers /
blocks / feeds X", "Downstream: X" under Y -> X DEPENDS_ON Y; "X is owned by T", "T owns X", "owner: T" ->
X OWNED_BY T; "X reads from / extracts from / consumes T" -> X READS_FROM T; "X writes to / loads into T" ->
X WRITES_TO T; "X runs on H", "X ... in pool P" -> X RUNS_ON H; "X fails with E" -> X FAILED_WITH E;
"escalation: P", "X ... assigned to / pages P" -> X ESCALATES_TO P; a task next to its DAG -> PART_OF.
The subject is the first fitting mention before the cue, else the record's subject (``key: value`` records),
else, after a pronoun ("It", "This DAG"), the subject of an earlier clause.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from orc_ai.extract.clauses import clause_spans, table_header
from orc_ai.extract.entity_patterns import Mention

ACTORS = ("DAG", "Task", "System", "Host")  # things that read, write, run, fail, depend
DEPENDENTS = (*ACTORS, "Identifier")  # an untyped id in a dependency phrase is a job the text has not typed here
OWNERS = ("Team", "Person")
DATA = ("Table", "Topic", "Host", "System")
ANYTHING = ("DAG", "Task", "System", "Host", "Table", "Topic", "Pool", "Incident")


@dataclass(frozen=True)
class Cue:
    pattern: re.Pattern[str]
    relation: str
    forward: bool  # True: subject -> each target; False: each target -> subject
    subject_types: tuple[str, ...]
    target_types: tuple[str, ...]


def _cue(regex: str, relation: str, forward: bool, subjects: tuple[str, ...], targets: tuple[str, ...]) -> Cue:
    return Cue(re.compile(regex, re.IGNORECASE), relation, forward, subjects, targets)


CUES = (
    _cue(r"\b(?:is |are )?(?:owned|maintained|managed|run) by\b|\bbelongs? to\b", "OWNED_BY", True, ANYTHING, OWNERS),
    _cue(r"\b(?:owns|own|maintains|is responsible for)\b", "OWNED_BY", False, OWNERS, ANYTHING),
    _cue(
        r"\b(?:depends? on|depending on|waits? (?:on|for)|needs|requires|is downstream of|(?:runs?|starts?) after|"
        r"upstream\**\s*[:|])",
        "DEPENDS_ON",
        True,
        DEPENDENTS,
        ("DAG", "Task", "System", "Host", "Table", "Topic", "Identifier"),
    ),
    _cue(
        r"\b(?:is upstream of|triggers|blocks|feeds(?: into)?|is (?:required|needed) by|downstream\**\s*[:|])",
        "DEPENDS_ON",
        False,
        DEPENDENTS,
        ("DAG", "Task", "System", "Table", "Identifier"),
    ),
    _cue(
        r"\b(?:reads?(?: from)?(?! replica| only|-only)|extracts?|fetch(?:es)?|pulls?|consumes?|quer(?:y|ies)|"
        r"ingests?|subscribes? to)\b",
        "READS_FROM",
        True,
        ACTORS,
        DATA,
    ),
    _cue(
        r"\b(?:writes?(?: to)?|loads?(?: \w+)? into|loads|stores?|upserts?|inserts?(?: into)?|publish(?:es)? to|"
        r"produces? to|sinks? to|exports? to|lands? in|stages?|into)\b",
        "WRITES_TO",
        True,
        ACTORS,
        DATA,
    ),
    _cue(
        r"\b(?:runs?|running|executes?|scheduled) (?:on|in)\b|\b(?:on|in)\b(?= (?:the )?\S+ (?:pool|cluster|host))"
        r"|\bpool\b",
        "RUNS_ON",
        True,
        ACTORS,
        ("Host", "Pool"),
    ),
    _cue(r"\bon\b", "RUNS_ON", True, ("DAG", "Task"), ("Host", "Pool")),  # "loads X on LOAD_WH"
    _cue(
        r"\b(?:fail(?:s|ed|ing)?|errors?(?: out)?|crash(?:es|ed)?|ends?|exit(?:s|ed)?|died|dies|abort(?:s|ed)?|"
        r"rais(?:es|ed)|throws?|threw|timed out|times out)\b",
        "FAILED_WITH",
        True,
        ("Task", "DAG", "System", "Host"),
        ("Error",),
    ),
    _cue(r"\b(?:escalat\w* to|assigned to|pages?|paged|paging|notif(?:y|ies))\b", "ESCALATES_TO", True, ACTORS, OWNERS),
)
_ALL_CUES = re.compile("|".join(f"(?:{c.pattern.pattern})" for c in CUES), re.IGNORECASE)
# immediate-adjacency cues: only the next mention, within a few characters
_ADJACENT = {"RUNS_ON"}
_OPENING = re.compile(r"[\s#*>|+-]*(?![\w ]{1,40}:\s)")  # markup, and not a 'label:' field
_KEY = re.compile(r"(?<![\w-])[\"'*]*([A-Za-z][\w-]*(?: [\w-]+){0,2})[\"'*]*\s*:(?!//)[\"'*]*\s")
_OWNER_KEYS = re.compile(
    r"^(?:(?:primary |service |dag |data )?owners?(?: team)?|owner_team|owning team|backup|"
    r"maintainers?)$",
    re.I,
)
_ESCALATION_KEYS = re.compile(r"^(?:escalation(?:_path| path)?|on-?call|on_call|escalate to)$", re.I)
_SUBJECT_KEYS = re.compile(r"^(?:dag_id|dag|name|service|system|id|task_id)$", re.I)
_TASKS_KEY = re.compile(r"^tasks?$", re.I)
_OWNER_MAP_KEY = re.compile(r"_owners$|^owners$", re.I)

Relation = tuple[Mention, str, Mention]


def _in(ms: Iterable[Mention], start: int, end: int) -> list[Mention]:
    return [m for m in ms if start <= m.start and m.end <= end]


def _title_subject(text: str, mentions: list[Mention]) -> Mention | None:
    """The DAG/System a chunk is about when its first line is a title ('# Runbook: x', 'Airflow (...) - ...')."""
    for line_start in [0, *(m.end() for m in re.finditer(r"\n(?=#)", text))][:2]:
        line_end = text.find("\n", line_start)
        line_end = len(text) if line_end < 0 else line_end
        if line_end - line_start > 100:
            continue
        for m in _in(mentions, line_start, line_end):
            if m.type in ("DAG", "System"):
                return m
    return None


def _record_relations(text: str, start: int, end: int, ms: list[Mention], subject: Mention | None) -> list[Relation]:
    """``key: value`` records (JSON rendered as lines, CSV rows, markdown fields)."""
    keys = [m for m in _KEY.finditer(text, start, end)]
    if not keys:
        return []
    line_subject = next(
        (m for m in ms if m.start - start <= 2 and text[m.end : m.end + 3].lstrip("\"'*").startswith(":")), None
    )
    for k, key in enumerate(keys):
        if _SUBJECT_KEYS.match(key.group(1).strip()):
            value_end = keys[k + 1].start() if k + 1 < len(keys) else end
            line_subject = next((m for m in _in(ms, key.end(), value_end) if m.type in ANYTHING), line_subject)
            break
    subject = line_subject or subject
    out: list[Relation] = []
    owner_map_end = -1
    for k, key in enumerate(keys):
        name = key.group(1).strip()
        value_end = keys[k + 1].start() if k + 1 < len(keys) else end
        value = _in(ms, key.end(), value_end)
        if _OWNER_MAP_KEY.search(name) and "{" in text[key.end() : key.end() + 3]:
            owner_map_end = text.find("}", key.end(), end)
            continue
        keyed = next((m for m in ms if m.start <= key.start(1) and key.end(1) <= m.end), None)
        if key.start() < owner_map_end and keyed:  # "warehouse_owners": {"X_WH": "Person"}
            out += [(keyed, "OWNED_BY", v) for v in value if v.type in OWNERS]
        elif subject is None:
            continue
        elif _OWNER_KEYS.match(name):
            out += [(subject, "OWNED_BY", v) for v in value if v.type in OWNERS]
        elif _ESCALATION_KEYS.match(name):
            out += [(subject, "ESCALATES_TO", v) for v in value if v.type in OWNERS]
        elif _TASKS_KEY.match(name) and subject.type == "DAG":
            out += [(v, "PART_OF", subject) for v in value if v.type == "Task"]
    return out


# markdown-table columns that name how a row's subject (its first cell) relates to the cell's entities
_COLUMN_RELATIONS = (
    (re.compile(r"^(?:owners?|owner team|owning team|maintainers?|team)$"), "OWNED_BY", True, OWNERS),
    (re.compile(r"^(?:used by|consumers?|consumed by|downstream|dependents|read by)$"), "DEPENDS_ON", False, ACTORS),
    (re.compile(r"^(?:upstream|depends on|dependencies|requires|sources?)$"), "DEPENDS_ON", True, ANYTHING),
    (re.compile(r"^(?:runs on|hosts?|pool|queue|cluster|warehouse)$"), "RUNS_ON", True, ("Host", "Pool")),
    (re.compile(r"^(?:reads?|reads from|inputs?)$"), "READS_FROM", True, DATA),
    (re.compile(r"^(?:writes?|writes to|outputs?|targets?|sinks?)$"), "WRITES_TO", True, DATA),
    (re.compile(r"^(?:escalation|escalate to|on-?call|contact)$"), "ESCALATES_TO", True, OWNERS),
)


def _table_row_relations(text: str, start: int, end: int, ms: list[Mention]) -> list[Relation]:
    """'| oms-db-01 | replica | `orders_daily_etl` |' under '| Host | Role | Used by |'."""
    header = table_header(text, start)
    if not header or not text[start:end].lstrip().startswith("|"):
        return []
    bars = [i for i in range(start, end) if text[i] == "|"]
    cells = list(zip(bars, bars[1:], strict=False))
    if not cells:
        return []
    subject = next((m for m in _in(ms, *cells[0]) if m.type in ANYTHING), None)
    out: list[Relation] = []
    for column, (c_start, c_end) in enumerate(cells[1:], start=1):
        if subject is None or column >= len(header):
            break
        for pattern, relation, forward, types in _COLUMN_RELATIONS:
            if pattern.match(header[column]):
                for m in _in(ms, c_start, c_end):
                    if m.type in types and m != subject:
                        out.append((subject, relation, m) if forward else (m, relation, subject))
    return out


def _part_of(text: str, ms: list[Mention]) -> list[Relation]:
    """A task and a DAG a few words apart with no verb between ('task x of y', 'x in the DAG y')."""
    out = []
    for i, a in enumerate(ms):
        for b in ms[i + 1 : i + 3]:
            pair = {a.type, b.type}
            gap = text[a.end : b.start]
            if pair == {"Task", "DAG"} and len(gap) <= 30 and not _ALL_CUES.search(gap.replace("task", "")):
                task, dag = (a, b) if a.type == "Task" else (b, a)
                out.append((task, "PART_OF", dag))
    return out


def _cue_relations(text: str, start: int, end: int, ms: list[Mention], fallback: Mention | None) -> list[Relation]:
    out: list[Relation] = []
    used: set[Mention] = set()
    cues = []
    for cue in CUES:
        cues += [
            (m.start(), m.end(), cue)
            for m in cue.pattern.finditer(text, start, end)
            if text[m.end() : m.end() + 1] not in ("-", "_") and text[m.start() - 1 : m.start()] not in ("-", "_")
        ]
    cues.sort(key=lambda c: (c[0], -c[1]))
    first_cue = cues[0][0] if cues else end
    for index, (c_start, c_end, cue) in enumerate(cues):
        if any(s <= c_start < e for s, e, _ in cues[:index] if (s, e) != (c_start, c_end)):
            continue  # inside a longer cue that starts earlier
        stop = next((s for s, _, _ in cues[index + 1 :] if s >= c_end), end)
        semicolon = text.find(";", c_end, stop)
        stop = semicolon if semicolon >= 0 else stop  # "Depends on X; INC-1": a list ends at a semicolon
        subject = next((m for m in ms if m.end <= first_cue and m.type in cue.subject_types and m not in used), None)
        subject = subject or (fallback if fallback and fallback.type in cue.subject_types else None)
        if subject is None:
            continue
        targets = [m for m in ms if c_end <= m.start < stop and m.type in cue.target_types and m != subject]
        if cue.relation in _ADJACENT:
            targets = [m for m in targets if m.start - c_end <= 14 or m.type == "Pool"][:1]
        if cue.relation == "FAILED_WITH":
            targets = targets[:1]
            if not targets and re.search(r"with:?\s*$", text[c_end:end]):  # "fails with:" then a code block
                targets = [m for m in ms if m.start >= end and m.type == "Error" and m.start - end < 200][:1]
        if cue.relation == "READS_FROM" or cue.relation == "WRITES_TO":
            targets = [t for t in targets if not _modifier(text, t, ms)]
        for target in targets:
            used.add(target)
            out.append((subject, cue.relation, target) if cue.forward else (target, cue.relation, subject))
    return out


def _modifier(text: str, m: Mention, ms: list[Mention]) -> bool:
    """'the Postgres read replica `x`': a system named just before the thing it qualifies."""
    following = next((n for n in ms if n.start >= m.end), None)
    return (
        m.type == "System"
        and following is not None
        and following.start - m.end <= 16
        and "," not in text[m.end : following.start]
        and following.type in ("Host", "Table", "Topic")
    )


def _grammatical_subject(text: str, start: int, ms: list[Mention]) -> Mention | None:
    """A DAG or system that opens the clause ('The DAG `x` copies ...'), not one named in a label or list."""
    opening = _OPENING.match(text, start)
    if opening is None or not ms:
        return None
    first = ms[0]
    if first.type in ("DAG", "System") and first.start - opening.end() <= 12:
        return first
    return None


def typed_relations(text: str, mentions: list[Mention]) -> list[Relation]:
    """Typed relations between mentions of ``text`` (mentions sorted by position)."""
    title = _title_subject(text, mentions)
    previous: Mention | None = title
    out: list[Relation] = []
    for start, end in clause_spans(text):
        ms = _in(mentions, start, end)
        fallback = previous or title
        out += _record_relations(text, start, end, ms, fallback)
        lookahead = ms + [m for m in mentions if m.start >= end][:3]
        out += _cue_relations(text, start, end, lookahead, fallback)
        out += _part_of(text, ms)
        out += _table_row_relations(text, start, end, ms)
        head = _grammatical_subject(text, start, ms)
        if head is not None:  # a clause opening with its own DAG/system; "It ..." keeps the earlier one
            previous = head
    seen: set[tuple[str, str, str]] = set()
    unique = []
    for s, r, t in out:
        key = (s.name, r, t.name)
        if s.name != t.name and key not in seen:
            seen.add(key)
            unique.append((s, r, t))
    return unique
