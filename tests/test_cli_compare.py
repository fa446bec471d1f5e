"""`lapor-sandbox compare ARCHIVE...`: session archives compared in a throwaway database,
a short table in the terminal, the workbook on request, and one `error:` line (exit 2)
for an unreadable archive or sessions that did not do the same work."""

from __future__ import annotations

import gzip
import io

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import func, select

from sandbox import cli
from sandbox.extensions import db
from sandbox.models import Exercise
from sandbox.services.archive import export_archive
from sandbox.services.exports import workshop_by_code
from tests.comparison_kit import IDLE, RIGHT, WRONG, play_session
from tests.web.kit import login

DISTRICTS = {
    "kotabaru": (("Siti", "Dinas Kesehatan", RIGHT), ("Andi", "Dinas PUPR", WRONG),
                 ("Dodi", "Bappeda", IDLE)),
    "banjar": (("Yusuf", "Dinas PUPR", RIGHT), ("Rina", "Dinas Sosial", RIGHT)),
    "tanah-laut": (("Made", "Dinas Kesehatan", WRONG), ("Ayu", "Dinas Sosial", RIGHT),
                   ("Budi", "Bappeda", WRONG)),
}


def compare(*args: str):
    return CliRunner().invoke(cli.main, ["compare", *args], catch_exceptions=False)


def _export(app, code: str, path) -> str:
    with app.app_context():
        path.write_bytes(export_archive(workshop_by_code(code)))
    return str(path)


@pytest.fixture
def archives(app, clock, tmp_path):
    """Three districts' sessions of bimtek-dasar with its own seed, each as an archive file,
    keyed by district: (code, file)."""
    found = {}
    for district, trainees in DISTRICTS.items():
        code = play_session(app, clock, trainees, title=f"Bimtek {district}")
        found[district] = (code, _export(app, code, tmp_path / f"arsip-{district}.json.gz"))
    return found


def _exercises(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Exercise))


def test_three_archives_print_a_table_and_write_the_workbook(app, archives, tmp_path,
                                                            monkeypatch):
    out = tmp_path / "studi.xlsx"
    def laptop_database(*args, **kwargs):
        pytest.fail("compare opened the laptop's database")

    monkeypatch.setattr(cli, "_app", laptop_database)
    before = _exercises(app)
    result = compare(*(path for _, path in archives.values()), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert _exercises(app) == before  # this laptop's database is left alone

    lines = result.output.splitlines()
    rows = {line.split()[0]: line.split() for line in lines
            if line[:1].strip() and line.split()[0] in {c for c, _ in archives.values()}}
    codes = {district: code for district, (code, _) in archives.items()}
    assert {codes[d]: rows[codes[d]][1] for d in codes} == {
        codes["kotabaru"]: "2", codes["banjar"]: "2", codes["tanah-laut"]: "3"}
    header = next(line for line in lines if line.startswith("group"))
    assert "routing%" in header and "verify med/p90" in header
    # Banjar's two right trainees route better than Tanah Laut's one right of three.
    assert float(rows[codes["banjar"]][2]) > float(rows[codes["tanah-laut"]][2]) > 0
    assert f"{codes['kotabaru']}: 'Bimtek kotabaru', scenario bimtek-dasar" in result.output
    assert "not a significance test" in result.output
    # Groups of two and three: said once per pair, with no figure claimed.
    assert f"  {codes['kotabaru']} vs {codes['banjar']}: kelompok terlalu kecil untuk " \
           "disimpulkan\n" in result.output
    assert "Nilai total:" not in result.output
    assert "Wrote the comparison workbook" in result.output

    book = load_workbook(out)
    for sheet in book.worksheets:
        assert sheet.cell(1, 1).value == "Sesi", sheet.title
    sessions = [row[0] for row in book["Sesi"].iter_rows(min_row=2, values_only=True)]
    assert sessions == [codes["kotabaru"], codes["banjar"], codes["tanah-laut"]]
    groups = [(row[0], row[3]) for row in book["Kelompok"].iter_rows(min_row=2, values_only=True)]
    assert groups == [(codes["kotabaru"], 2), (codes["banjar"], 2), (codes["tanah-laut"], 3)]


def test_the_same_archive_twice_is_told_apart(archives):
    code, path = archives["banjar"]
    result = compare(path, path)
    assert result.exit_code == 0, result.output
    assert f"{code} (2): 'Bimtek banjar'" in result.output


def test_sessions_of_another_seed_are_refused_unless_allowed(app, clock, archives, tmp_path):
    code, path = archives["kotabaru"]
    other = play_session(app, clock, DISTRICTS["banjar"], seed="7")
    other_path = _export(app, other, tmp_path / "arsip-lain.json.gz")

    refused = compare(path, other_path)
    assert refused.exit_code == 2
    assert refused.output.count("\n") == 1
    assert refused.output.startswith("error: the sessions did not do the same work: Seed "
                                     f"(laporan yang diterima peserta) berbeda: {code} «")
    assert "--allow-mismatch" in refused.output

    allowed = compare(path, other_path, "--allow-mismatch")
    assert allowed.exit_code == 0, allowed.output
    assert "WARNING: Seed (laporan yang diterima peserta) berbeda" in allowed.output
    assert f"{other} " in allowed.output


@pytest.mark.parametrize(("content", "message"), [
    (b"not an archive at all", "Berkas arsip bukan JSON yang sah"),
    (gzip.compress(b'{"format": "something-else"}'), "bukan berkas arsip sesi Sandbox LAPOR!"),
    (b"", "Berkas arsip kosong."),
])
def test_an_unreadable_archive_is_one_error_line(archives, tmp_path, content, message):
    bad = tmp_path / "rusak.json.gz"
    bad.write_bytes(content)
    result = compare(archives["banjar"][1], str(bad))
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert result.output.startswith(f"error: {bad}: ") and message in result.output


def test_a_missing_file_and_a_single_archive_are_refused(archives, tmp_path):
    missing = compare(archives["banjar"][1], str(tmp_path / "tidak-ada.json.gz"))
    assert missing.exit_code == 2
    assert missing.output.startswith("error: cannot read ") and "No such file" in missing.output
    alone = compare(archives["banjar"][1])
    assert alone.exit_code == 2
    assert alone.output == "error: compare needs at least two archive files\n"


def test_an_archive_is_read_as_it_stood_when_exported(app, clock, tmp_path):
    """Sessions still running when exported: the command line scores them at the moment
    of export, so its workbook says what the web page said at that moment."""
    codes = [play_session(app, clock, DISTRICTS[d], end=False) for d in ("banjar", "kotabaru")]
    files = [_export(app, code, tmp_path / f"arsip-{code}.json.gz") for code in codes]
    ratna = login(app, "ratna")
    web = ratna.get(f"/fasilitator/studi.xlsx?sesi={codes[0]}&sesi={codes[1]}")
    assert web.status_code == 200
    clock.advance(minutes=30)  # later, the sessions ran on; the archives did not

    out = tmp_path / "studi.xlsx"
    result = compare(*files, "--out", str(out))
    assert result.exit_code == 0, result.output
    for sheet in ("Kelompok", "Topik", "Laporan", "Perbedaan", "Peserta", "Waktu"):
        assert list(load_workbook(out)[sheet].values) == \
            list(load_workbook(io.BytesIO(web.data))[sheet].values), sheet


def test_sessions_are_compared_in_the_order_they_ran_whatever_the_argument_order(archives):
    """Archives named in any order (a shell's glob sorts by name) are laid out by when
    each session ran, so columns read in time and a person goes from first to last."""
    order = [archives[d][0] for d in ("kotabaru", "banjar", "tanah-laut")]  # as played
    result = compare(*(archives[d][1] for d in ("tanah-laut", "kotabaru", "banjar")))
    assert result.exit_code == 0, result.output
    listed = [line.split(":")[0] for line in result.output.splitlines()[:3]]
    assert listed == order


def test_pre_and_post_tests_are_summed_up_per_group(app, clock, tmp_path):
    """Sessions of a scenario with a tes awal and a tes akhir: a line per session (and
    cohort) with the pairs, the test total before and after, and the size of the change,
    «too small» below five pairs."""
    from tests.learning_kit import Trainee, play_tests

    five = tuple(Trainee(f"Peserta {i}", "Dinas Kesehatan", pre=1, post=3) for i in range(5))
    two = (Trainee("Siti", "Dinas Kesehatan", pre=0, post=4),
           Trainee("Andi", "Dinas PUPR", pre=4, post=0))
    files = [_export(app, play_tests(app, clock, five, title="Bimtek A"), tmp_path / "a.gz"),
             _export(app, play_tests(app, clock, two, title="Bimtek B"), tmp_path / "b.gz")]
    result = compare(*files)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    start = lines.index(next(line for line in lines if line.startswith("Tes awal -> tes akhir")))
    first, second = lines[start + 1], lines[start + 2]
    assert "n=5" in first and "5 up, 0 same, 0 down" in first and "change" in first
    assert "n=2" in second and "1 up, 0 same, 1 down" in second
    assert "kelompok terlalu kecil untuk disimpulkan" in second


def test_no_test_lines_without_pre_and_post_tests(archives):
    result = compare(*(file for _, file in archives.values()))
    assert result.exit_code == 0, result.output
    assert "Tes awal -> tes akhir" not in result.output
