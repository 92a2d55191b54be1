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


PARAGRAPH = 'Dr. Smith restarted step_{i} at 3.5 GB, e.g. twice. Why did it lag? "J. Doe paged SRE!" It recovered.'


def _shifted(pieces: list[str], sep: str) -> list[tuple[int, int]]:
    spans, offset = [], 0
    for piece in pieces:
        spans += [(start + offset, end + offset) for start, end in sentence_spans(piece)]
        offset += len(piece) + len(sep)
    return spans


def test_a_long_single_paragraph_splits_exactly_like_its_pieces() -> None:
    pieces = [PARAGRAPH.format(i=i) for i in range(3000)]  # ~300k characters, no line break
    text = " ".join(pieces)
    assert "\n" not in text
    assert sentence_spans(text) == _shifted(pieces, " ")
    assert len(sentence_spans(text)) == 4 * len(pieces)


def test_a_long_text_of_paragraphs_splits_exactly_like_its_paragraphs() -> None:
    pieces = [PARAGRAPH.format(i=i) + (" and so on" if i % 3 else "\n- check logs") for i in range(1000)]
    assert sentence_spans("\n\n".join(pieces)) == _shifted(pieces, "\n\n")
