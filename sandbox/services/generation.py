"""Writing generated complaints to JSONL or CSV, one record at a time (flat memory)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import IO, Any

from sandbox.domain.generator import GeneratedComplaint

CSV_COLUMNS = (
    "position", "tracking_no", "channel", "arrived_at", "text",
    "reporter_name", "reporter_gender", "reporter_title", "reporter_nik", "reporter_phone",
    "reporter_address", "reporter_requested_anonim", "attachments",
    "topic", "expected_action", "expected_target", "acceptable_targets", "partial_targets",
    "klasifikasi", "kategori", "rahasia", "anonim", "archive_reason", "question_hint",
    "duplicate_of", "tunda_answer", "explanation",
)


def _csv_row(record: dict[str, Any]) -> dict[str, Any]:
    row = {key: value for key, value in record.items() if key != "reporter"}
    for key, value in record["reporter"].items():
        row[f"reporter_{key}"] = value
    row["attachments"] = ";".join(f"{a['name']}:{a['kind']}" for a in record["attachments"])
    row["acceptable_targets"] = ";".join(record["acceptable_targets"])
    row["partial_targets"] = ";".join(record["partial_targets"])
    return row


def write_complaints(complaints: Iterable[GeneratedComplaint], fmt: str, out: IO[str]) -> int:
    """Stream complaints to `out` as JSONL or CSV; return how many were written."""
    written = 0
    if fmt == "jsonl":
        for complaint in complaints:
            out.write(json.dumps(complaint.to_record(), ensure_ascii=False) + "\n")
            written += 1
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="raise")
        writer.writeheader()
        for complaint in complaints:
            writer.writerow(_csv_row(complaint.to_record()))
            written += 1
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return written
