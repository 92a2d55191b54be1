"""A question's clauses: split at relative pronouns, and at prepositions or "and" before a lowercase word only."""

from __future__ import annotations

from orc_ai.retrieve.clauses import query_clauses


def test_a_compositional_question_splits_into_its_clauses_and_names_stay_whole() -> None:
    question = "Who was the first president of the association which published Journal of Psychotherapy Integration?"
    assert query_clauses(question) == [
        "Who was the first president",
        "the association",
        "published Journal of Psychotherapy Integration",
    ]
    assert query_clauses("Who wrote a song about the island of Oahu in the Pacific?") == [
        "Who wrote a song about the island of Oahu",
        "the Pacific",
    ]


def test_a_one_clause_question_and_one_word_pieces_give_no_clauses() -> None:
    assert query_clauses("Are Christopher Nolan and Sathish Kalathil both film directors?") == []
    assert query_clauses("snowflake warehouse suspended") == []
    assert query_clauses("Which team owns the orders pipeline?") == []  # an opening "Which" splits nothing
    assert query_clauses("") == []
