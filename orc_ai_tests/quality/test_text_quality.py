import polars as pl

from orc_ai.quality.chunks import repeated_text_share
from orc_ai.quality.text import text_damage

LIMITS = (0.01, 0.002, 0.2)


def test_clean_text_in_any_script_is_not_damaged() -> None:
    for text in ["Restart the broker when lag grows.", "Café crème, naïve “quotes” – fine.", "Перезапустите брокер."]:
        assert not text_damage(text).damaged(*LIMITS), text


def test_mojibake_replacement_characters_private_use_glyphs_and_non_text_are_damaged() -> None:
    assert text_damage("CafÃ© crÃ¨me â€“ naÃ¯ve " * 5).damaged(*LIMITS)
    assert text_damage("Restart \ufffd\ufffd the broker \ufffd").damaged(*LIMITS)
    assert text_damage("\ue001\ue002\ue003 broker \ue004\ue005").damaged(*LIMITS)
    assert text_damage("0x3f 0x41 0x00 1234 5678 9999 0000 " * 10).damaged(*LIMITS)


def test_repeated_text_counts_chunks_shared_by_several_documents() -> None:
    chunks = pl.DataFrame(
        {
            "doc_id": ["a", "a", "b", "b", "c"],
            "text": ["Confidential.", "Kafka lag runbook.", "confidential. ", "Postgres disk full.", "Other."],
        }
    )
    assert repeated_text_share(chunks) == 2 / 5
    same_doc = pl.DataFrame({"doc_id": ["a", "a"], "text": ["Step one.", "Step one."]})
    assert repeated_text_share(same_doc) == 0.0
