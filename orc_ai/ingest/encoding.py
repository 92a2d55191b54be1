"""Bytes to text: UTF-8 first, then a detected legacy encoding; only content no text encoding fits is binary."""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from orc_ai.errors import IngestError

# Short Western texts decode without any "mess" under many single-byte code pages, and charset-normalizer then
# breaks the tie arbitrarily ("café crème" came out as cp1006 'cafﻠ crﻟme'). Windows-1252 (a superset of
# Latin-1's printable range) is by far the most common legacy encoding, so it wins whenever the detector finds
# it plausible (a match that it would decode identically counts); text it rules out (Cyrillic, Greek, CJK, ...)
# gets the detector's best guess.
_PREFERRED = "cp1252"
_SURROGATES = re.compile("[\ud800-\udfff]")


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), BOM-marked UTF-16, or a detected legacy encoding; else ``IngestError``."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise IngestError("undecodable", f"UTF-16 byte-order mark but invalid UTF-16: {exc}") from exc
    if b"\x00" in data[:8192]:
        raise IngestError("binary", "NUL bytes in the first 8 KiB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8_error = exc.start
    matches = charset_normalizer.from_bytes(data)
    plausible = {name for match in matches for name in match.could_be_from_charset}
    for encoding in [_PREFERRED] * (_PREFERRED in plausible) + [match.encoding for match in matches]:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise IngestError("binary", f"invalid UTF-8 at byte {utf8_error} and no other text encoding fits")


def replace_surrogates(text: str) -> str:
    """Lone surrogates (from JSON escapes like '\\ud800', or undecodable file names) cannot be encoded as UTF-8:
    replace each with U+FFFD so that hashing and writing the text never fail."""
    return _SURROGATES.sub("\ufffd", text)
