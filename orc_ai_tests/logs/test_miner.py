"""Clustering: one cluster per event, templates with <*>, ids from templates, headers optional."""

import random

from orc_ai.logs.miner import MinerParams, cluster_messages

SSH = [
    "Failed password for root from 5.36.59.76 port 42393 ssh2",
    "Failed password for root from 112.95.230.3 port 45378 ssh2",
    "Failed password for admin from 103.99.0.122 port 50880 ssh2",
    "Failed password for test from 52.80.34.196 port 36060 ssh2",
    "Failed password for oracle from 187.141.143.180 port 41230 ssh2",
    "Accepted password for fztu from 119.137.62.142 port 49116 ssh2",
    "Connection closed by 173.234.31.186 [preauth]",
    "Connection closed by 5.188.10.180 [preauth]",
    "Received disconnect from 103.99.0.122: 11: Bye Bye [preauth]",
    "Received disconnect from 5.36.59.76: 11: Bye Bye [preauth]",
    "cupsd startup succeeded",
    "cupsd startup succeeded",
    "cupsd shutdown succeeded",
]
HEADERS = [
    "Dec 10 06:55:46 LabSZ sshd[24200]: ", "2026-12-01 10:00:00,001 INFO [main] org.example.Auth: ",
    "[2026-11-30T10:00:01.123+0000] {taskinstance.py:301} WARNING - ",
]


def _groups(clusters: list) -> set[frozenset[int]]:
    by: dict = {}
    for i, cid in enumerate(clusters):
        by.setdefault(cid, set()).add(i)
    return {frozenset(v) for k, v in by.items() if k is not None}


def test_lines_of_one_event_share_a_cluster_and_events_stay_apart() -> None:
    result = cluster_messages(SSH)
    assert _groups(result.clusters) == {
        frozenset({0, 1, 2, 3, 4}), frozenset({5}), frozenset({6, 7}), frozenset({8, 9}), frozenset({10, 11}),
        frozenset({12}),
    }
    templates = set(result.templates.values())
    assert "Failed password for <*> from <*> port <*> ssh2" in templates
    assert "Connection closed by <*> [preauth]" in templates
    assert {"cupsd startup succeeded", "cupsd shutdown succeeded"} <= templates


def test_a_rare_constant_word_is_not_taken_for_a_variable() -> None:
    result = cluster_messages(SSH)
    assert result.clusters[5] != result.clusters[0]
    assert result.templates[result.clusters[5]].startswith("Accepted password for")


def test_without_the_constant_split_few_words_are_variables() -> None:
    result = cluster_messages(SSH, MinerParams(max_constant_values=0))
    assert result.clusters[10] == result.clusters[12]
    assert result.templates[result.clusters[10]] == "cupsd <*> succeeded"


def test_headers_do_not_change_the_clusters() -> None:
    with_headers = [HEADERS[i % len(HEADERS)] + line for i, line in enumerate(SSH)]
    assert cluster_messages(with_headers).clusters == cluster_messages(SSH).clusters
    kept = cluster_messages(with_headers, MinerParams(strip_headers=False))
    assert kept.clusters != cluster_messages(SSH).clusters


def test_ids_come_from_templates_not_order() -> None:
    first = cluster_messages(SSH)
    order = list(range(len(SSH)))
    random.Random(7).shuffle(order)
    shuffled = cluster_messages([SSH[i] for i in order])
    assert [shuffled.clusters[order.index(i)] for i in range(len(SSH))] == first.clusters
    assert shuffled.templates == first.templates
    assert cluster_messages(SSH) == first


def test_blank_lines_belong_to_no_cluster_and_keep_the_alignment() -> None:
    result = cluster_messages(["", SSH[6], "   ", SSH[7]])
    assert result.clusters[0] is None and result.clusters[2] is None
    assert result.clusters[1] == result.clusters[3] is not None
    assert result.counts() == {result.clusters[1]: 2}
    assert cluster_messages([]).clusters == []


def test_a_word_that_fills_the_variables_of_two_templates_is_a_value() -> None:
    lines = ["session opened for user news by (uid=0)", "session closed for user news",
             "session opened for user cyrus by (uid=0)", "session closed for user cyrus",
             "session opened for user news by (uid=0)", "session closed for user news"]
    result = cluster_messages(lines)
    assert result.clusters[0] == result.clusters[2] != result.clusters[1] == result.clusters[3]
    assert set(result.templates.values()) == {"session opened for user <*> by (uid=<*>)",
                                              "session closed for user <*>"}
    alone = cluster_messages(lines[::2])  # only one template: two plain words are constants of two events
    assert alone.clusters[0] != alone.clusters[1]
