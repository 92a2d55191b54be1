"""Mine log templates from a batch of messages and cluster each message under one.

Why this method (not drain3, not plain Drain): drain3 cannot live in the project venv (it pins cachetools 4),
and Drain decides online, line by line, with a fixed similarity threshold, so a rare constant word (``Accepted``
against many ``Failed``) or a variable that is a plain word (a user name) lands on the wrong side of the
threshold. Our inputs are batches (a file, a table of failed tries), so the miner can look at the whole batch
before deciding which words are constants:

1. Mask variables by shape (:mod:`orc_ai.logs.tokens`): numbers, hex, IPs, paths, URLs, ids, dates, sizes.
2. Partition the messages by token count and first token (when that is a constant word), as Drain's tree does.
3. Within a partition, count each (position, word). The words of one event's constant part occur in every line
   of that event, so they share one count; in each line, the count most of its words share (the lower count on
   a tie: the more specific event) is taken as its event's size, and words seen less often than that are
   variables (``<*>``). Words seen more often are constants shared with other events (``for``, ``from``).
4. Refine: a masked position that holds only a few distinct plain words (letters, no digits) in a cluster is a
   constant after all (``cupsd startup`` / ``cupsd shutdown``): the cluster splits on it. ``max_constant_values``
   is that limit; the one parameter, the same for every log. A word that fills a variable of two or more
   templates is a value (a user in ``session opened for user news`` and ``session closed for user news``) and
   never splits: in a small batch a variable often takes only a few values.

Cluster ids are a hash of the template (:func:`orc_ai.logs.models.template_id`), never of order.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, Field

from orc_ai import defaults
from orc_ai.logs.headers import strip_header
from orc_ai.logs.models import WILDCARD, LogClusters, template_id
from orc_ai.logs.tokens import tokenize

ALGORITHM = "frequency-partition-v2"
# a word that may be a constant after all: letters, no digits, not already (partly) masked
_PLAIN_WORD = re.compile(r"^[^\d*<>]*[A-Za-z][^\d*<>]*$")


class MinerParams(BaseModel):
    """Parameters of the template miner (logged with every run that uses it)."""

    max_constant_values: int = Field(
        default=defaults.LOG_MAX_CONSTANT_VALUES,
        ge=0,
        description="A masked position with at most this many distinct plain words splits its cluster (the words "
        "are constants of distinct events).",
    )
    strip_headers: bool = Field(default=True, description="Strip a timestamp/level/component header first.")


DEFAULT_PARAMS: dict[str, object] = {"algorithm": ALGORITHM, **MinerParams().model_dump()}


def mine_templates(token_lists: Sequence[Sequence[str]],
                   max_constant_values: int = defaults.LOG_MAX_CONSTANT_VALUES) -> list[tuple[str, ...]]:
    """The template (a token tuple, variables ``<*>``) of each tokenised message, in order."""
    partitions: dict[tuple[int, str | None], list[int]] = defaultdict(list)
    for i, tokens in enumerate(token_lists):
        first = tokens[0] if tokens and WILDCARD not in tokens[0] else None
        partitions[(len(tokens), first)].append(i)
    groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for (length, _), members in partitions.items():
        counts = Counter((p, token_lists[i][p]) for i in members for p in range(length))
        for i in members:
            groups[_frequency_template(token_lists[i], counts)].append(i)
    shared = _values_of_several_templates(groups, token_lists)
    templates: list[tuple[str, ...]] = [()] * len(token_lists)
    for template, group in groups.items():
        for i, refined in zip(group, _split_on_constants(template, group, token_lists, max_constant_values, shared),
                              strict=True):
            templates[i] = refined
    return templates


def _values_of_several_templates(groups: dict[tuple[str, ...], list[int]],
                                 token_lists: Sequence[Sequence[str]]) -> frozenset[str]:
    """Words that fill a variable of more than one template: values (user names, hosts), not event constants."""
    seen: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for template, group in groups.items():
        for p, token in enumerate(template):
            if token == WILDCARD:
                for i in group:
                    seen[token_lists[i][p]].add(template)
    return frozenset(word for word, where in seen.items() if len(where) > 1)


def _frequency_template(tokens: Sequence[str], counts: Counter) -> tuple[str, ...]:
    freqs = [counts[(p, t)] for p, t in enumerate(tokens)]
    if not freqs:
        return ()
    shared = Counter(freqs)
    event_size = max(shared, key=lambda f: (shared[f], -f))
    return tuple(t if f >= event_size else WILDCARD for t, f in zip(tokens, freqs, strict=True))


def _split_on_constants(template: tuple[str, ...], group: list[int], token_lists: Sequence[Sequence[str]],
                        max_values: int, shared: frozenset[str]) -> list[tuple[str, ...]]:
    refined = [list(template) for _ in group]
    for p, token in enumerate(template):
        if token != WILDCARD:
            continue
        values = {token_lists[i][p] for i in group}
        if len(values) <= max_values and all(_PLAIN_WORD.match(v) and v not in shared for v in values):
            for row, i in zip(refined, group, strict=True):
                row[p] = token_lists[i][p]
    return [tuple(row) for row in refined]


def cluster_messages(lines: Iterable[str], params: MinerParams | None = None) -> LogClusters:
    """Cluster log lines: a cluster id per line (``None`` for a blank line) and a template per cluster."""
    params = params or MinerParams()
    lines = list(lines)
    messages = [strip_header(line) if params.strip_headers else line.strip() for line in lines]
    kept = [i for i, m in enumerate(messages) if m]
    mined = mine_templates([tokenize(messages[i]) for i in kept], params.max_constant_values)
    clusters: list[str | None] = [None] * len(lines)
    templates: dict[str, str] = {}
    for i, tokens in zip(kept, mined, strict=True):
        text = " ".join(tokens)
        cid = template_id(text)
        clusters[i] = cid
        templates[cid] = text
    return LogClusters(clusters=clusters, templates=templates)
