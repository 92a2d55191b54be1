"""Is a document's text readable? Encoding damage, extraction garbage and non-text that got through ingest."""

from __future__ import annotations

import re
from dataclasses import dataclass

# U+FFFD (decode failures), C0/C1 controls except tab/newline, private-use code points (PDF fonts without a
# ToUnicode map come out as these)
_BAD_CHARS = re.compile(r"[\ufffd\x00-\x08\x0b-\x1f\x7f-\x9f\ue000-\uf8ff]")
# UTF-8 read as cp1252/latin-1: 'Ã©', 'â€™', 'Â '
_MOJIBAKE = re.compile(r"Ã[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u2013-\u203a]|â€|Â[\u00a0-\u00bf ]")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class TextDamage:
    bad_chars: float
    mojibake: float
    letters: float

    def damaged(self, max_bad_chars: float, max_mojibake: float, min_letters: float) -> bool:
        return self.bad_chars > max_bad_chars or self.mojibake > max_mojibake or self.letters < min_letters


def text_damage(text: str) -> TextDamage:
    """Shares of damaged characters, mojibake sequences (per character) and letters among non-space characters."""
    visible = len(text) - sum(1 for c in text if c.isspace())
    if not visible:
        return TextDamage(0.0, 0.0, 0.0)
    return TextDamage(
        bad_chars=len(_BAD_CHARS.findall(text)) / len(text),
        mojibake=len(_MOJIBAKE.findall(text)) / len(text),
        letters=len(_LETTER.findall(text)) / visible,
    )
