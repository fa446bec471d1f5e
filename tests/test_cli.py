"""The command line: generate, catalogue check, and their errors."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess
import sys

import pytest
from click.testing import CliRunner

from sandbox.cli import main
from sandbox.services.generation import CSV_COLUMNS

KEYS = {"expected_action", "expected_target", "acceptable_targets", "partial_targets",
        "klasifikasi", "kategori", "rahasia", "anonim", "topic", "explanation", "text",
        "tracking_no", "channel", "reporter", "attachments", "arrived_at"}


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_generate_jsonl_has_visible_fields_and_ground_truth():
    result = run("generate", "--count", "25", "--seed", "3")
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 25
    for record in records:
        assert record.keys() >= KEYS


def test_generate_is_deterministic_by_seed():
    first = run("generate", "--count", "20", "--seed", "11").stdout
    again = run("generate", "--count", "20", "--seed", "11").stdout
    other = run("generate", "--count", "20", "--seed", "12").stdout
    assert first == again
    assert first != other


def test_generate_csv_with_header_and_flat_columns():
    result = run("generate", "--count", "7", "--seed", "5", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 7
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    assert all(row["reporter_nik"].isdigit() and len(row["reporter_nik"]) == 16 for row in rows)


def test_generate_to_file_and_for_the_kota(tmp_path):
    out = tmp_path / "kota.jsonl"
    result = run("generate", "--count", "10", "--seed", "1", "--region", "kota-mekarsari.toml",
                 "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "Wrote 10 complaints" in result.stderr
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == 10
    assert all(r["reporter"]["nik"].startswith("6479") for r in records)
    assert all("Kota Mekarsari" in r["reporter"]["address"] for r in records)


@pytest.mark.parametrize(("args", "message"), [
    (["--count", "0", "--seed", "1"], "Invalid value for '--count'"),
    (["--count", "x", "--seed", "1"], "Invalid value for '--count'"),
    (["--count", "5"], "Missing option '--seed'"),
    (["--count", "5", "--seed", "1", "--format", "xml"], "Invalid value for '--format'"),
    (["--count", "5", "--seed", "1", "--region", "tidak-ada.toml"],
     "region file not found: tidak-ada.toml"),
])
def test_generate_bad_arguments_exit_nonzero_with_one_clear_line(args, message):
    result = run("generate", *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_generate_with_a_broken_region_names_file_field_and_problem(tmp_path):
    region = tmp_path / "rusak.toml"
    region.write_text('format = 1\n[region]\nkind = "provinsi"\nname = "X"\n')
    result = run("generate", "--count", "5", "--seed", "1", "--region", str(region))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert any(line.startswith(f"error: {region} [region], kind: harus kabupaten atau kota")
               for line in lines), lines
    assert all(line.startswith("error: ") for line in lines)


def test_generate_to_an_unwritable_place_is_a_clear_error(tmp_path):
    result = run("generate", "--count", "5", "--seed", "1", "--out",
                 str(tmp_path / "no" / "such" / "dir.jsonl"))
    assert result.exit_code != 0
    assert "Traceback" not in result.output


def test_progress_bar_on_a_terminal_only(tmp_path):
    out = tmp_path / "big.jsonl"
    command = [sys.executable, "-m", "sandbox.cli", "generate", "--count", "1500", "--seed", "2",
               "--out", str(out)]
    leader, follower = pty.openpty()
    subprocess.run(command, stdout=follower, stderr=follower, check=True, timeout=120)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert b"Generating" in shown
    piped = subprocess.run(command, capture_output=True, check=True, timeout=120)
    assert b"Generating" not in piped.stderr
    assert len(out.read_text().splitlines()) == 1500


def test_catalogue_check_passes_on_the_shipped_regions():
    result = run("catalogue", "check")
    assert result.exit_code == 0, result.output
    assert "OK kabupaten-sukamaju.toml" in result.stdout
    assert "OK kota-mekarsari.toml" in result.stdout


def test_catalogue_check_reports_every_problem(tmp_path):
    region = tmp_path / "r.toml"
    region.write_text('format = 1\n[region]\nkind = "kota"\nname = "Kota Uji"\nshort = "Uji"\n'
                      'province = "P"\ntimezone = "WIB"\nnik_prefix = "12"\ninstansi = "I"\n'
                      'admin_unit = "x"\nwarna = "merah"\n')
    result = run("catalogue", "check", str(region))
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert any("nik_prefix: harus 4 angka" in line for line in errors)
    assert any("warna: kunci tidak dikenal" in line for line in errors)
    assert any("minimal satu [[kecamatan]]" in line for line in errors)
    assert f"FAILED {region.name}" in result.stderr


@pytest.mark.parametrize("command", [["generate"], ["catalogue"], ["catalogue", "check"]])
def test_help(command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output
