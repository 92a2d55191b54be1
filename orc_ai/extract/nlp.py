"""Offline extractor: typed patterns for operations vocabulary plus proper-noun phrases, co-occurrence relations.

The NLP default of GraphRAG's "fast" indexing: no model, noun phrases and named things per chunk, every pair
of entities in a chunk linked by a CO_OCCURS relation (weighted later by PMI over the corpus).
"""

from __future__ import annotations

import re
from itertools import combinations

from orc_ai.extract.models import ChunkExtraction, ExtractedEntity, ExtractedRelation
from orc_ai.extract.names import clean_name, name_key
from orc_ai.extract.vocabulary import CO_OCCURS
from orc_ai.text.sentences import sentence_spans

RULES_VERSION = "nlp-v2"

SYSTEMS = (
    "Airflow",
    "Snowflake",
    "Postgres",
    "PostgreSQL",
    "Kafka",
    "S3",
    "Spark",
    "dbt",
    "Kubernetes",
    "Redis",
    "BigQuery",
    "Looker",
    "Salesforce",
    "Stripe",
    "Vault",
    "PagerDuty",
    "Datadog",
    "MLflow",
    "Neo4j",
    "Dagster",
    "Great Expectations",
    "Trino",
    "Redshift",
    "MySQL",
    "Elasticsearch",
    "GCS",
    "Slack",
    "Jira",
    "Prometheus",
    "Grafana",
    "Fivetran",
    "Airbyte",
    "Databricks",
    "Kinesis",
    "RabbitMQ",
    "Celery",
    "Docker",
    "Terraform",
    "GitHub",
    "Okta",
    "Tableau",
    "Metabase",
    "Debezium",
    "Flink",
    "Hive",
    "Presto",
    "ClickHouse",
    "DuckDB",
    "Prophet",
    "Sentry",
    "OpsGenie",
    "Confluence",
    "ZooKeeper",
    "HDFS",
    "YARN",
    "EMR",
    "Athena",
    "Glue",
)
_SYSTEM_RE = re.compile(
    r"(?<![\w.])(" + "|".join(re.escape(s) for s in sorted(SYSTEMS, key=len, reverse=True)) + r")(?![\w])"
)
_IDENT_RE = re.compile(r"(?<![\w./-])([a-z][a-z0-9]*(?:_[a-z0-9]+)+|[a-z][a-z0-9_]+(?:\.[a-z0-9_]{2,}){1,3})(?![\w/-])")
_BACKTICK_RE = re.compile(r"`([^`\n]{2,80})`")
_TEAM_RE = re.compile(r"\b((?:[A-Z][\w&]*[ -]){1,3})[Tt]eam\b")
_PERSON_CUE_RE = re.compile(
    r"(?i:owner|owned by|on-call|oncall|on call|commander|reported by|assigned to|author|lead|engineer|"
    r"manager|contact|escalate to|primary|secondary|paged|by)\s*[:=,-]?\s*"
    r"([A-Z][a-z]+(?: [A-Z][a-z'-]+){1,2})\b"
)
_TICKET_RE = re.compile(r"\b((INC)-\d{4}-\d{2,4}|[A-Z][A-Z0-9]{1,9}-\d{1,6})\b")
_ERROR_RE = re.compile(r"\b([A-Z][A-Za-z]+(?:Error|Exception|Timeout|Killed)|OOMKilled|SlowDown)\b")
_PROPER_RE = re.compile(r"\b([A-Z][\w'&]*(?:[ -](?:of|de|del|la|von|van|der|the|and|[A-Z][\w'&]*))*)")
_CONTEXT_TYPES = (
    (re.compile(r"\b(?:DAGs?|dag_id|dag)\W{0,3}$"), re.compile(r"^\W{0,3}(?:DAG|dag)\b"), "DAG"),
    (re.compile(r"\b(?:[Tt]asks?|task_id)\W{0,3}$"), re.compile(r"^\W{0,3}tasks?\b"), "Task"),
    (re.compile(r"\b(?:[Tt]opics?)\W{0,3}$"), re.compile(r"^\W{0,3}topic\b"), "Topic"),
    (
        re.compile(r"\b(?:[Tt]ables?|[Vv]iews?|[Mm]odels?|[Ss]chemas?)\W{0,3}$"),
        re.compile(r"^\W{0,3}(?:table|view|model)\b"),
        "Table",
    ),
)
_LEADING_STOP = {
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "if",
    "when",
    "then",
    "and",
    "or",
    "but",
    "for",
    "in",
    "on",
    "at",
    "to",
    "of",
    "by",
    "with",
    "from",
    "as",
    "is",
    "it",
    "its",
    "we",
    "our",
    "they",
    "he",
    "she",
    "his",
    "her",
    "after",
    "before",
    "during",
    "while",
    "since",
    "until",
    "all",
    "each",
    "every",
    "no",
    "not",
    "do",
    "does",
    "see",
    "use",
    "check",
    "run",
    "note",
    "also",
    "there",
    "here",
    "what",
    "why",
    "how",
    "who",
    "where",
    "which",
}
_SECTION_WORDS = {
    "overview",
    "purpose",
    "summary",
    "impact",
    "timeline",
    "root cause",
    "action items",
    "symptoms",
    "diagnosis",
    "remediation",
    "escalation",
    "owner",
    "schedule",
    "dependencies",
    "notes",
    "background",
    "resolution",
    "status",
    "steps",
    "contents",
    "introduction",
    "references",
    "appendix",
    "utc",
    "sla",
    "todo",
    "faq",
    "tldr",
    "yes",
    "none",
    "true",
    "false",
    "n/a",
    "ok",
    "dag",
    "dags",
    "task",
    "tasks",
    "runbook",
    "dag_id",
    "task_id",
    "run_id",
    "map_index",
    "try_number",
    "logical_date",
    "execution_date",
    "inc",
    "incident",
    "team",
    "table",
    "topic",
    "note",
    "warning",
    "error",
    "id",
    "api",
    "url",
    "sql",
}


def _context_type(text: str, start: int, end: int, default: str) -> str:
    before, after = text[max(0, start - 24) : start], text[end : end + 16]
    for before_re, after_re, type_ in _CONTEXT_TYPES:
        if before_re.search(before) or after_re.search(after):
            return type_
    return default


class NlpExtractor:
    """Deterministic, offline entity extractor (no model, no network)."""

    def __init__(self, max_entities_per_chunk: int = 40):
        self.max_entities_per_chunk = max_entities_per_chunk

    @property
    def extractor_id(self) -> str:
        return f"{RULES_VERSION}:max{self.max_entities_per_chunk}"

    def extract(self, text: str) -> ChunkExtraction:
        """Entities typed where a pattern allows, plus CO_OCCURS (and a few typed) relations."""
        found: dict[str, ExtractedEntity] = {}
        occupied: list[tuple[int, int]] = []
        counts: dict[str, int] = {}

        def add(name: str, type_: str, start: int, end: int) -> None:
            name = clean_name(name)
            key = name_key(name)
            if len(key) < 2 or key in _SECTION_WORDS or any(s < end and start < e for s, e in occupied):
                return
            occupied.append((start, end))
            counts[key] = counts.get(key, 0) + 1
            if key not in found or found[key].type in ("Concept", "Identifier"):
                found[key] = ExtractedEntity(name=name, type=type_)

        for m in _BACKTICK_RE.finditer(text):
            inner = m.group(1).strip()
            if _IDENT_RE.fullmatch(inner) or re.fullmatch(r"[a-z][a-z0-9_.-]{2,}", inner):
                add(inner, _context_type(text, m.start(), m.end(), "Identifier"), m.start(), m.end())
        for m in _IDENT_RE.finditer(text):
            add(m.group(1), _context_type(text, m.start(), m.end(), "Identifier"), m.start(1), m.end(1))
        for m in _TEAM_RE.finditer(text):
            words = m.group(1).strip(" -").split()
            while words and words[0].lower() in _LEADING_STOP:
                words.pop(0)
            if words:
                add(" ".join(words) + " team", "Team", m.start(1), m.end())
        for m in _PERSON_CUE_RE.finditer(text):
            add(m.group(1), "Person", m.start(1), m.end(1))
        for m in _SYSTEM_RE.finditer(text):
            add(m.group(1), "System", m.start(1), m.end(1))
        for m in _TICKET_RE.finditer(text):
            add(m.group(1), "Incident" if m.group(2) else "Ticket", m.start(1), m.end(1))
        for m in _ERROR_RE.finditer(text):
            add(m.group(1), "Error", m.start(1), m.end(1))
        self._proper_phrases(text, add)

        entities = sorted(found.values(), key=lambda e: (-counts[name_key(e.name)], name_key(e.name)))
        entities = entities[: self.max_entities_per_chunk]
        return ChunkExtraction(entities=entities, relations=self._relations(text, entities))

    @staticmethod
    def _proper_phrases(text: str, add) -> None:
        sentence_starts = {s for s, _ in sentence_spans(text)}
        for m in _PROPER_RE.finditer(text):
            words = m.group(1).replace("-", " - ").split()
            start = m.start(1)
            while words and (words[0].lower() in _LEADING_STOP or words[0] == "-"):
                start = text.find(words[0], start) + len(words[0])
                words.pop(0)
            while words and (words[-1].lower() in _LEADING_STOP or words[-1] == "-"):
                words.pop()
            if not words:
                continue
            phrase = " ".join(words).replace(" - ", "-")
            begin = text.find(words[0], start)
            single = len(words) == 1
            sentence_initial = begin in sentence_starts or (begin > 0 and text[begin - 1] in "\n#>*")
            distinctive = phrase.isupper() and len(phrase) >= 2 or re.search(r"[a-z][A-Z]|\d", phrase)
            if single and sentence_initial and not distinctive:
                continue
            add(phrase, "Concept", begin, begin + len(phrase))

    @staticmethod
    def _relations(text: str, entities: list[ExtractedEntity]) -> list[ExtractedRelation]:
        relations = [
            ExtractedRelation(source=a.name, target=b.name, type=CO_OCCURS)
            for a, b in combinations(sorted(entities, key=lambda e: name_key(e.name)), 2)
        ]
        by_type: dict[str, list[ExtractedEntity]] = {}
        for entity in entities:
            by_type.setdefault(entity.type, []).append(entity)
        for start, end in sentence_spans(text):
            sentence = text[start:end]
            present = {t: [e for e in es if e.name in sentence] for t, es in by_type.items()}
            for task in present.get("Task", []):
                for dag in present.get("DAG", []):
                    relations.append(ExtractedRelation(source=task.name, target=dag.name, type="PART_OF"))
            if re.search(r"\bown(?:s|ed|er|ership)?\b", sentence, re.IGNORECASE):
                for team in present.get("Team", []):
                    for thing in present.get("DAG", []):
                        relations.append(ExtractedRelation(source=thing.name, target=team.name, type="OWNED_BY"))
        unique = {(r.source, r.target, r.type): r for r in relations}
        return list(unique.values())
