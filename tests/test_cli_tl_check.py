"""`lapor-sandbox tl-check`: one JSON verdict per TL line, from a file or standard input."""

from __future__ import annotations

import json

from click.testing import CliRunner

from sandbox.cli import main
from sandbox.domain.tl_quality import CHECK_NAMES, VAGUE_CAP

VAGUE = "Terima kasih, laporan Anda akan segera ditindaklanjuti."
CONCRETE = ("Yth. Bapak/Ibu, terima kasih atas laporan Anda. Dinas PUPR telah menambal lubang "
            "di Jalan Poros Kecamatan Sukamaju pada Selasa, 3 Maret 2026. Pengaspalan ulang "
            "dijadwalkan paling lambat 20 Maret 2026.")


def run(args: list[str], stdin: bytes | None = None):
    return CliRunner().invoke(main, args, input=stdin, catch_exceptions=False)


def test_standard_input_one_object_per_line_empty_lines_skipped():
    result = run(["tl-check"], f"{VAGUE}\n\n   \n{CONCRETE}\n".encode())
    assert result.exit_code == 0, result.output
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert (first["line"], second["line"]) == (1, 4)
    assert first["concrete"] is False and first["quality"] <= VAGUE_CAP
    assert first["stock_phrases"] == ["akan segera ditindaklanjuti"]
    assert second["concrete"] is True and second["quality"] == 1.0
    assert second["stock_phrases"] == []
    for verdict in (first, second):
        assert [item["item"] for item in verdict["checklist"]] == list(CHECK_NAMES)
        assert all(isinstance(item["ok"], bool) and item["reason"]
                   for item in verdict["checklist"])


def test_a_file_with_windows_line_ends_and_a_byte_order_mark(tmp_path):
    path = tmp_path / "tl.txt"
    path.write_bytes(f"\ufeff{CONCRETE}\r\n{VAGUE}\r\n".encode())
    result = run(["tl-check", str(path)])
    assert result.exit_code == 0
    texts = [json.loads(line)["text"] for line in result.stdout.splitlines()]
    assert texts == [CONCRETE, VAGUE]
    assert "«akan segera ditindaklanjuti»" in json.loads(result.stdout.splitlines()[1])[
        "checklist"][2]["reason"]


def test_a_line_that_is_not_utf8_gets_an_error_line_and_the_rest_is_judged():
    result = run(["tl-check"], b"\xff\xfe bukan teks\n" + CONCRETE.encode() + b"\n")
    assert result.exit_code == 0
    assert result.stderr.strip() == "error: line 1: not UTF-8 text"
    (verdict,) = (json.loads(line) for line in result.stdout.splitlines())
    assert verdict["line"] == 2 and verdict["concrete"] is True


def test_a_missing_file_is_refused():
    result = run(["tl-check", "/nonexistent/tl.txt"])
    assert result.exit_code == 2
    assert "/nonexistent/tl.txt" in result.stderr
