"""`lapor-sandbox compare` and people over time: people with the same NIP are followed in
the archives automatically; `--match-names` (the analyst's confirmation) adds those with
the same name and OPD."""

from __future__ import annotations

from click.testing import CliRunner
from openpyxl import load_workbook

from sandbox import cli
from sandbox.services.archive import export_archive
from sandbox.services.exports import workshop_by_code
from tests.people_kit import two_sessions


def _archives(app, clock, tmp_path) -> tuple[str, str, list[str]]:
    sessions = two_sessions(app, clock)
    paths = []
    with app.app_context():
        for code in (sessions.first, sessions.played):
            path = tmp_path / f"arsip-{code}.json.gz"
            path.write_bytes(export_archive(workshop_by_code(code)))
            paths.append(str(path))
    return sessions.first, sessions.played, paths


def test_compare_follows_people_by_nip_and_by_name_only_when_told(app, clock, tmp_path):
    first, second, paths = _archives(app, clock, tmp_path)
    runner = CliRunner()
    plain = runner.invoke(cli.main, ["compare", *paths, "--out", str(tmp_path / "a.xlsx")],
                          catch_exceptions=False)
    assert plain.exit_code == 0, plain.output
    assert ("People over time: 2 followed in two or more sessions (2 by NIP); total up for "
            "1, down for 1, same for 0; 1 name+OPD matches not counted (--match-names "
            "accepts them).\n") in plain.output
    rows = list(load_workbook(tmp_path / "a.xlsx")["Peserta lintas sesi"].iter_rows(
        min_row=2, values_only=True))
    assert sorted({(r[2], r[4]) for r in rows}) == [
        ("NIP", "Andi Saputra"), ("NIP", "Siti Rahmawati"), ("NIP", "Siti Rahmawati, S.Kom")]

    named = runner.invoke(cli.main, ["compare", *paths, "--match-names", "--out",
                                     str(tmp_path / "b.xlsx")], catch_exceptions=False)
    assert named.exit_code == 0, named.output
    assert ("People over time: 3 followed in two or more sessions (2 by NIP, 1 by "
            "name+OPD); total up for 2, down for 1, same for 0.\n") in named.output
    rows = list(load_workbook(tmp_path / "b.xlsx")["Peserta lintas sesi"].iter_rows(
        min_row=2, values_only=True))
    assert [(r[0], r[2], r[4]) for r in rows if "Rina" in r[4]] == [
        (first, "nama+OPD dikonfirmasi", "Rina Wati"),
        (second, "nama+OPD dikonfirmasi", "Drs. Rina Wati")]


def test_the_help_says_the_flag_is_a_confirmation():
    result = CliRunner().invoke(cli.main, ["compare", "--help"])
    text = " ".join(result.output.split())
    assert "--match-names" in text
    assert "Passing this flag is your confirmation that those are the same people" in text
