"""Variables are masked by generic shape only."""

import pytest

from orc_ai.logs.tokens import mask_token, tokenize


@pytest.mark.parametrize(("token", "masked"), [
    ("42", "<*>"), ("-3.5", "<*>"), ("12ms", "<*>"), ("0x1f3a", "<*>"), ("10.251.31.5:50010", "<*>"),
    ("/var/log/app.log", "<*>"), ("https://example.com/a?b=1", "<*>"), ("[173.234.31.186]", "[<*>]"),
    ("rhost=218.188.2.4", "rhost=<*>"), ("uid=0", "uid=<*>"), ("blk_-6952295868487656571", "<*>"),
    ("550e8400-e29b-41d4-a716-446655440000", "<*>"), ("(uid=0)", "(uid=<*>)"),
    ("password", "password"), ("user=root", "user=root"), ("[preauth]", "[preauth]"),
    ("ssh2", "ssh2"), ("com.amazonaws.AmazonS3Exception:", "com.amazonaws.AmazonS3Exception:"),
    ("broadcast_9_piece0", "<*>"), ("instruction......0", "instruction......<*>"),
    ("fx-api-01.internal:443", "<*>.internal:<*>"),
])
def test_mask_token(token: str, masked: str) -> None:
    assert mask_token(token) == masked


def test_dates_and_sizes_spanning_words_are_one_variable() -> None:
    assert tokenize("connection from 1.2.3.4 at Fri Jun 17 07:07:00 2005") == [
        "connection", "from", "<*>", "at", "<*>"]
    assert tokenize("Block broadcast_9 stored (estimated size 5.2 KB, free 317.5 MB)") == [
        "Block", "<*>", "stored", "(estimated", "size", "<*>,", "free", "<*>)"]
