from orc_ai.text.sentences import sentence_spans


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def test_splits_on_terminal_punctuation_and_line_breaks() -> None:
    text = "Task failed at 02:00. Retry it! Why?\n- check logs\n- page SRE"
    assert _sentences(text) == ["Task failed at 02:00.", "Retry it!", "Why?", "- check logs", "- page SRE"]


def test_keeps_abbreviations_initials_and_decimals_inside_a_sentence() -> None:
    text = "Dr. Smith saw e.g. the J. Doe case at 3.5 GB. Then it recovered."
    assert _sentences(text) == ["Dr. Smith saw e.g. the J. Doe case at 3.5 GB.", "Then it recovered."]


def test_spans_point_into_the_original_text() -> None:
    text = "  First one.   Second one.  "
    assert sentence_spans(text) == [(2, 12), (15, 26)]
