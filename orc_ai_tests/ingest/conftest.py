from __future__ import annotations

import json
from pathlib import Path

import pytest

GOOD_MD = "# Runbook: orders_daily_etl\n\nThe DAG `orders_daily_etl` is owned by the Data Platform team.\n"
GOOD_HTML = (
    "<html><head><title>Kafka service</title><style>p{color:red}</style><script>var x=1;</script></head>"
    "<body><h1>Kafka</h1><p>Topic shipment.events.v2 feeds shipment_events_ingest.</p></body></html>"
)


@pytest.fixture
def hostile_dir(tmp_path: Path) -> Path:
    """Good documents mixed with every kind of bad input the ingest must quarantine."""
    root = tmp_path / "hostile"
    (root / "sub").mkdir(parents=True)
    (root / "good.md").write_text(GOOD_MD)
    (root / "sub" / "kafka.html").write_text(GOOD_HTML)
    (root / "copy_of_good.txt").write_text(GOOD_MD)  # same content: deduplicated, not lost
    (root / "records.json").write_text(
        json.dumps(
            [
                {
                    "id": "r1",
                    "title": "Stripe 429",
                    "text": "Stripe returns 429 when billing_invoice_export retries too fast.",
                },
                {"id": "r2", "title": "No text here"},
                "not an object",
            ]
        )
    )
    (root / "faq.jsonl").write_text(
        '{"title": "Who owns dbt?", "text": "The Analytics Engineering team."}\n{broken json\n'
    )
    (root / "owners.csv").write_text('service,owner\nkafka,"SRE team"\nsnowflake,Data Platform team\n')
    (root / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    (root / "empty.md").write_text("")
    (root / "blank.txt").write_text("   \n\n\t  \n")
    (root / "huge.txt").write_text("x" * 3000)
    (root / "latin1.txt").write_bytes("caf\xe9 cr\xe8me".encode("latin-1"))
    (root / "bad.json").write_text('{"id": 1, "text": "unterminated')
    (root / "ragged.csv").write_text("a,b,c\n1,2,3\n4,5\n")
    (root / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 50)
    (root / ".hidden.md").write_text("hidden files are skipped")
    return root
