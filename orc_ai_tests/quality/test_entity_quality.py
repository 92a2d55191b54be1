import pytest

from orc_ai.quality.entities import compact_key, junk_reason, lowercase_usage, near_duplicate_groups


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("May 2024", "date"),
        ("Monday", "date"),
        ("April-May", "date"),
        ("42", "number"),
        ("3.2.1", "number"),
        ("10%", "number"),
        ("5 min", "number"),
        ("Done", "generic_word"),
        ("European de", "fragment"),
        ("Department of", "fragment"),
        ("of Kafka", "fragment"),
    ],
)
def test_junk_names_are_recognised(name: str, reason: str) -> None:
    assert junk_reason(name) == reason


@pytest.mark.parametrize(
    "name",
    ["Kafka", "Apache Airflow", "Bank of America", "orders_daily", "S3", "INC-1234", "The Hague", "De Niro", "US"],
)
def test_real_names_are_not_junk(name: str) -> None:
    assert junk_reason(name) is None


def test_a_capitalised_word_the_corpus_writes_in_lower_case_is_generic() -> None:
    usage = lowercase_usage(
        [
            "Alert: lag is high. Page the on-call when an alert fires; an alert that repeats is noise.",
            "Kafka stores the lag. Run `kafka-topics --describe` or kafka.cfg to see the Kafka brokers.",
        ]
    )
    assert junk_reason("Alert", usage) == "generic_word"
    assert usage["kafka"] == 0.0  # code spans, paths and options are not prose
    assert junk_reason("Kafka", usage) is None


def test_near_duplicates_differ_only_by_case_separators_or_a_plural() -> None:
    names = ["Kafka Connect", "kafka-connect", "KafkaConnect", "Kafka broker", "Kafka brokers", "class", "glass"]
    assert near_duplicate_groups(names) == [
        ["Kafka Connect", "KafkaConnect", "kafka-connect"],
        ["Kafka broker", "Kafka brokers"],
    ]
    assert compact_key("Access") == "access"  # 'ss' is not a plural


@pytest.mark.parametrize(
    "name", ["billed_at", "in_progress", "ON_ERROR", "fx.rates", "s3://bucket/of", "us-west-2", "FP&A"]
)
def test_identifiers_are_not_read_as_phrases(name: str) -> None:
    assert junk_reason(name) is None


@pytest.mark.parametrize(
    "name", ["Charles I", "Only You", "Will Hay", "Mac and Me", "Into the Light", "Series E", "Per Kleiva"]
)
def test_titles_and_regnal_names_are_not_fragments(name: str) -> None:
    assert junk_reason(name) is None
