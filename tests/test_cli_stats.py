"""`lapor-sandbox catalogue check --stats` and `generate --messiness` (issue 15)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from sandbox.cli import main


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_catalogue_check_prints_the_variety_of_every_shipped_region():
    result = run("catalogue", "check", "--stats", "--sample", "300")
    assert result.exit_code == 0, result.output
    assert result.output.count("  sample: 300 complaints") == 2
    for label in ("channels:", "registers:", "distinct money amounts:",
                  "distinct months named:", "most repeated 5-word phrases"):
        assert result.output.count(f"  {label}") == 2, label


def test_catalogue_check_without_stats_stays_short():
    result = run("catalogue", "check")
    assert result.exit_code == 0
    assert "sample:" not in result.output


def test_generate_takes_a_messiness():
    clean = run("generate", "--count", "60", "--seed", "4", "--messiness", "0")
    messy = run("generate", "--count", "60", "--seed", "4", "--messiness", "1")
    assert clean.exit_code == messy.exit_code == 0
    clean_rows = [json.loads(line) for line in clean.output.splitlines()]
    messy_rows = [json.loads(line) for line in messy.output.splitlines()]
    assert [r["expected_target"] for r in clean_rows] == [r["expected_target"] for r in messy_rows]
    assert [r["text"] for r in clean_rows] != [r["text"] for r in messy_rows]
    bad = run("generate", "--count", "5", "--seed", "4", "--messiness", "2")
    assert bad.exit_code == 2 and "--messiness" in bad.output
