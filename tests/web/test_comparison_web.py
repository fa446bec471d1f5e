"""The studi komparasi page (GET /fasilitator/studi) and its workbook: two sessions of one
scenario and seed side by side, a mismatched pair refused (then shown with a warning),
charts drawn on the server without any outside address, and nothing written by a read."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import delete, func, select

from sandbox.extensions import db
from sandbox.models import ScoreCard
from sandbox.web.charts import bar_chart, distribution_chart, shown
from tests.comparison_kit import IDLE, RIGHT, WRONG, play_session
from tests.web.kit import create_session, login

KOTABARU = (("Siti Rahmawati", "Dinas Kesehatan", RIGHT), ("Andi Saputra", "Dinas PUPR", WRONG),
            ("Rina Wati", "Dinas Sosial", WRONG), ("Dodi", "Bappeda", IDLE))
BANJAR = (("Ni Luh Putu", "Dinas Kesehatan", RIGHT), ("Yusuf", "Dinas PUPR", RIGHT))


@pytest.fixture
def studi(app, clock, accounts):
    """Bu Ratna's client and three of her sessions: Kotabaru and Banjar ran bimtek-dasar
    with its own seed, «Lain» with seed 7."""
    kotabaru = play_session(app, clock, KOTABARU, title="Bimtek Kotabaru")
    banjar = play_session(app, clock, BANJAR, title="Bimtek Banjar")
    other = play_session(app, clock, BANJAR[:1], seed="7", title="Bimtek seed lain")
    return login(app, "ratna"), kotabaru, banjar, other


def _cards(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ScoreCard))


def _cells(html: str, table: str) -> list[list[str]]:
    """The text of each row of the table with this id (tags dropped, spaces squeezed)."""
    body = re.search(rf'<table[^>]*id="{table}".*?</table>', html, re.S)
    assert body, table
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(0), re.S)
    return [[" ".join(re.sub(r"<[^>]+>", " ", cell).split())
             for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)] for row in rows]


def _compared(html: str) -> str:
    """The text of the list of the sessions compared, at the top of the result."""
    body = re.search(r'<ul class="compared-sessions">(.*?)</ul>', html, re.S)
    assert body, html
    return " ".join(re.sub(r"<[^>]+>", " ", body.group(1)).split())


def test_the_home_page_links_to_the_comparison(studi):
    ratna = studi[0]
    assert 'href="/fasilitator/studi"' in ratna.get("/fasilitator/").get_data(as_text=True)


def test_the_form_lists_the_facilitators_sessions_to_choose(studi):
    ratna, kotabaru, banjar, other = studi
    html = ratna.get("/fasilitator/studi").get_data(as_text=True)
    for code in (kotabaru, banjar, other):
        assert f'name="sesi" value="{code}"' in html
    assert 'id="groups"' not in html  # nothing compared yet


def test_columns_are_headed_by_the_place_each_session_was_held(app, clock, accounts):
    """A province compares districts: each column names the district (the workshop's
    «Tempat») before its code, so the printed page reads without a list of codes."""
    kotabaru = play_session(app, clock, BANJAR, title="Bimtek", location="Kab. Kotabaru")
    banjar = play_session(app, clock, BANJAR, title="Bimtek", location="  Kab.   Banjar ")
    plain = play_session(app, clock, BANJAR, title="Bimtek")
    ratna = login(app, "ratna")
    html = ratna.get(f"/fasilitator/studi?sesi={kotabaru}&sesi={banjar}&sesi={plain}"
                     ).get_data(as_text=True)
    assert _cells(html, "groups")[0] == [
        "Angka", f"Kab. Kotabaru · {kotabaru}", f"Kab. Banjar · {banjar}", plain]
    # The workbook's file name stays plain ASCII: the codes, not the places.
    response = ratna.get(f"/fasilitator/studi.xlsx?sesi={kotabaru}&sesi={banjar}&sesi={plain}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="studi-{kotabaru}-{banjar}-{plain}.xlsx"')


@pytest.fixture
def kept(app, monkeypatch):
    """The cards kept (services.scoring.keep_cards) from here on, after forgetting every
    kept card: a page must compute them all, and a read must keep none."""
    import sandbox.services.scoring as scoring

    with app.app_context():
        db.session.execute(delete(ScoreCard))
        db.session.commit()
    calls = []
    real = scoring.keep_cards

    def keeping(exercise, cards, *args):
        calls.append(sorted(cards))
        return real(exercise, cards, *args)

    monkeypatch.setattr(scoring, "keep_cards", keeping)
    return calls


def test_two_sessions_of_one_scenario_and_seed_side_by_side(app, studi, kept):
    ratna, kotabaru, banjar, _ = studi
    response = ratna.get(f"/fasilitator/studi?sesi={kotabaru}&sesi={banjar.lower()}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert kept == [] and _cards(app) == 0  # a read computes cards but keeps none
    assert 'id="same-work"' in html and 'id="refused"' not in html

    groups = _cells(html, "groups")
    assert groups[0] == ["Angka", kotabaru, banjar]
    assert groups[1] == ["Peserta dihitung", "3", "2"]  # Dodi never acted: not counted
    # The same schedule: per trainee as many reports to route in both sessions. Banjar's
    # two right trainees routed exactly twice as many as Kotabaru's one (its two wrong ones
    # none); reports that arrived after they acted count as not routed, as on the card.
    (exact_k, routed_k), (exact_b, routed_b) = [
        tuple(map(int, re.search(r"\((\d+)/(\d+)\)", cell).groups())) for cell in groups[2][1:]]
    assert routed_k / 3 == routed_b / 2 and exact_k > 0 and exact_b == 2 * exact_k
    assert groups[2][1].startswith(f"{100 * exact_k / routed_k:.1f}%".replace(".", ","))

    # Every disposition report: Banjar all right, Kotabaru trapped (1 of 3 right).
    traps = _cells(html, "traps")[1:]
    assert traps
    trapped = [row for row in traps if row[3].startswith("33,3%")]
    assert trapped and all(row[4].startswith("100%") for row in trapped)
    assert re.search(r'<td class="num weak">33,3%', html)
    # Reports that arrived after everyone acted: nobody fell into them, nobody handled them.
    untouched = [row for row in traps if row[3] == "0% (0/3, 3 belum)"]
    assert untouched and all(row[4] == "0% (0/2, 2 belum)" for row in untouched)
    assert not re.search(r'<td class="num weak">0%', html)
    assert _cells(html, "topics")[1:]

    # Groups of 3 and 2: the statistic says plainly they are too small, and never more.
    differences = _cells(html, "differences")[1:]
    assert differences == [[f"{kotabaru} – {banjar}", "Semua angka",
                            "kelompok terlalu kecil untuk disimpulkan",
                            f"Kelompok terlalu kecil untuk disimpulkan: {kotabaru} 3 peserta, "
                            f"{banjar} 2 peserta dengan angka ini; perlu minimal 5 di tiap "
                            "kelompok."]]


def test_the_charts_are_inline_svg_with_no_outside_address(studi):
    ratna, kotabaru, banjar, _ = studi
    html = ratna.get(f"/fasilitator/studi?sesi={kotabaru}&sesi={banjar}").get_data(as_text=True)
    svgs = re.findall(r"<svg\b.*?</svg>", html, re.S)
    assert len(svgs) == 7  # five figures as bars, two time distributions
    for svg in svgs:
        assert "http" not in svg and "href" not in svg and "style=" not in svg
        assert kotabaru in svg and banjar in svg
    bars = re.findall(r'<rect class="series-(\d)"[^>]*width="([\d.]+)"', svgs[0])
    assert [b[0] for b in bars] == ["0", "1"]
    assert float(bars[1][1]) > float(bars[0][1]) > 0  # Banjar routed better than Kotabaru
    assert "<circle" in svgs[5] and 'class="median"' in svgs[5]
    # The page loads nothing from elsewhere: every address is the app's own.
    assert re.findall(r'(?:src|href)="(https?:[^"]*)"', html) == []
    assert "http" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_the_tables_fold_on_a_phone_and_counts_sit_under_their_share(studi):
    """On a phone each difference is a block of labelled lines (css/comparison.css shows
    data-label before each cell); a count sits on its own line under its percentage, so
    seven groups' columns fit a 1280 px screen and an A4 sheet (checked in a browser)."""
    ratna, kotabaru, banjar, _ = studi
    html = ratna.get(f"/fasilitator/studi?sesi={kotabaru}&sesi={banjar}").get_data(as_text=True)
    table = re.search(r'<table[^>]*id="differences".*?</table>', html, re.S).group(0)
    cells = re.findall(r"<td\b[^>]*>", table)
    assert cells and all("data-label=" in cell for cell in cells)
    assert re.findall(r'data-label="([^"]+)"', table)[:4] == ["Sesi", "Angka", "Besarnya",
                                                             "Penjelasan"]
    for name in ("topics", "traps"):
        body = re.search(rf'<table[^>]*id="{name}".*?</table>', html, re.S).group(0)
        counts = re.findall(r'<span class="([^"]*)">\(\d+/\d+', body)
        assert counts and all("count" in css.split() for css in counts)


@pytest.mark.parametrize(("value", "unit", "text"), [
    (0.25, "HK", "0,25\u00a0HK"),  # no-break: «HK» never wraps away from its number
    (2.5, "HK", "2,5\u00a0HK"), (0.0, "HK", "0\u00a0HK"), (94.44, "%", "94,4%"),
    (1.333, "", "1,3"), (-0.01, "", "0"), (None, "HK", "–"),
])
def test_numbers_are_shown_the_indonesian_way_and_keep_their_unit(value, unit, text):
    assert shown(value, unit) == text


# A session and cohort label, and its width in px at the charts' 11 px as Chromium draws
# it in its sans-serif (measured with getComputedTextLength): drawn right-aligned left of
# the bars, it must start inside the chart, or «EKVCTZ» prints as «KVCTZ».
COHORT_LABEL, COHORT_LABEL_PX = "EKVCTZ · Angkatan 1", 117
MIXED_PX = 6.2  # that label's width per character


def test_a_session_and_cohort_label_is_drawn_whole_inside_the_chart():
    bars = bar_chart("Disposisi tepat", "%", [(COHORT_LABEL, 90.0), ("CR65GU", 60.0)])
    assert [b.label for b in bars.bars] == [COHORT_LABEL, "CR65GU"]
    assert bars.label_x >= COHORT_LABEL_PX
    times = distribution_chart("Waktu verifikasi (HK)", [(COHORT_LABEL, [0.5, 1.0], 0.75, 1.0)])
    assert times.rows[0].label == COHORT_LABEL and times.label_x >= COHORT_LABEL_PX


def test_a_label_too_long_for_the_chart_is_cut_with_an_ellipsis():
    long = "EKVCTZ · Kelompok Kecamatan Wilayah Utara dan Selatan"
    bars = bar_chart("Mutu TL rata-rata", "%", [(long, 50.0)])
    times = distribution_chart("Waktu verifikasi (HK)", [(long, [0.5], 0.5, 0.5)])
    for drawn, room in ((bars.bars[0].label, bars.label_x), (times.rows[0].label, times.label_x)):
        assert drawn.endswith("…") and long.startswith(drawn[:-1].rstrip())
        assert len(drawn) * MIXED_PX <= room


def test_a_mismatched_pair_is_refused_then_shown_with_a_warning(studi):
    ratna, kotabaru, _, other = studi
    response = ratna.get(f"/fasilitator/studi?sesi={kotabaru}&sesi={other}")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="refused"' in html and 'id="groups"' not in html
    assert f"Seed (laporan yang diterima peserta) berbeda: {kotabaru} «" in html
    assert f"{other} «7»" in html
    # A refused pair is not scored, so it says nothing of who took part (never «0 peserta»).
    assert "dihitung" not in _compared(html)
    anyway = re.search(r'id="compare-anyway" href="([^"]+)"', html)
    assert anyway, html
    link = anyway.group(1).replace("&amp;", "&")
    assert f"sesi={kotabaru}" in link and f"sesi={other}" in link and "izinkan=1" in link

    shown = ratna.get(link)
    warned = shown.get_data(as_text=True)
    assert shown.status_code == 200
    assert 'id="mismatch-warning"' in warned and "Seed (laporan yang diterima" in warned
    assert _cells(warned, "groups")[0] == ["Angka", kotabaru, other]
    assert f"{kotabaru} · Bimtek Kotabaru" in _compared(warned)
    assert "3 peserta dihitung" in _compared(warned)  # Dodi never acted


@pytest.mark.parametrize(("query", "status", "message"), [
    ("sesi={a}", 422, "Pilih minimal dua sesi untuk dibandingkan."),
    ("sesi={a}&sesi={a}", 422, "Pilih minimal dua sesi untuk dibandingkan."),
    ("sesi={a}&sesi=ZZZZZZ", 404, "Sesi «ZZZZZZ» tidak ditemukan di daftar sesi Anda."),
])
def test_a_bad_choice_is_said_on_the_form(studi, query, status, message):
    ratna, kotabaru, _, _ = studi
    response = ratna.get("/fasilitator/studi?" + query.format(a=kotabaru))
    html = response.get_data(as_text=True)
    assert response.status_code == status
    assert message in html and 'id="compare-form"' in html


def test_another_facilitators_session_is_as_good_as_missing(app, studi):
    _, kotabaru, banjar, _ = studi
    budi = login(app, "budi")
    response = budi.get(f"/fasilitator/studi?sesi={kotabaru}&sesi={banjar}")
    assert response.status_code == 404
    assert "tidak ditemukan di daftar sesi Anda" in response.get_data(as_text=True)
    assert budi.get(f"/fasilitator/studi.xlsx?sesi={kotabaru}&sesi={banjar}").status_code == 404


def test_the_workbook_has_a_session_column_in_every_sheet(app, studi, kept):
    ratna, kotabaru, banjar, _ = studi
    response = ratna.get(f"/fasilitator/studi.xlsx?sesi={kotabaru}&sesi={banjar}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == \
        f'attachment; filename="studi-{kotabaru}-{banjar}.xlsx"'
    assert kept == [] and _cards(app) == 0
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Kelompok", "Topik", "Laporan", "Perbedaan", "Peserta", "Waktu",
                               "Sesi", "Catatan"]
    for sheet in book.worksheets:
        assert sheet.cell(1, 1).value == "Sesi", sheet.title
        assert sheet.max_row > 1, sheet.title
    groups = list(book["Kelompok"].iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[3]) for row in groups] == [(kotabaru, 3), (banjar, 2)]
    people = {row[2]: row[0] for row in book["Peserta"].iter_rows(min_row=2, values_only=True)}
    assert people == {"Siti Rahmawati": kotabaru, "Andi Saputra": kotabaru,
                      "Rina Wati": kotabaru, "Ni Luh Putu": banjar, "Yusuf": banjar}
    # Each figure in its own format: a count of errors reads «1», not «1.00».
    header, first = book["Peserta"][1], book["Peserta"][2]
    formats = {h.value: cell.number_format for h, cell in zip(header, first, strict=True)}
    assert formats["Nilai total (%)"] == "0.0"
    assert formats["Waktu verifikasi (median per peserta) (HK)"] == "0.00"
    assert formats["Batas waktu terlewati"] == formats["Kesalahan kerahasiaan"] == "0"
    sessions = list(book["Sesi"].iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[2], row[5]) for row in sessions] == [
        (kotabaru, "bimtek-dasar", "individu"), (banjar, "bimtek-dasar", "individu")]


def test_the_workbook_of_a_mismatched_pair_is_refused_unless_allowed(studi):
    ratna, kotabaru, _, other = studi
    refused = ratna.get(f"/fasilitator/studi.xlsx?sesi={kotabaru}&sesi={other}")
    assert refused.status_code == 422
    assert "Seed (laporan yang diterima peserta) berbeda" in refused.get_data(as_text=True)
    allowed = ratna.get(f"/fasilitator/studi.xlsx?sesi={kotabaru}&sesi={other}&izinkan=1")
    assert allowed.status_code == 200
    notes = [row[1] for row in load_workbook(io.BytesIO(allowed.data))["Catatan"]
             .iter_rows(min_row=2, values_only=True)]
    assert notes[0].startswith("Peringatan:")
    assert any(note.startswith("Seed (laporan yang diterima peserta) berbeda") for note in notes)


def test_sessions_nobody_has_acted_in_yet_compare_without_figures(app, accounts):
    ratna = login(app, "ratna")
    first, second = create_session(ratna), create_session(ratna)
    response = ratna.get(f"/fasilitator/studi?sesi={first}&sesi={second}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    groups = _cells(html, "groups")
    assert groups[1] == ["Peserta dihitung", "0", "0"]
    assert groups[2] == [groups[2][0], "–", "–"]
    assert "belum ada data" in html and "kelompok terlalu kecil untuk disimpulkan" in html
    workbook = ratna.get(f"/fasilitator/studi.xlsx?sesi={first}&sesi={second}")
    assert workbook.status_code == 200


def test_every_session_of_a_studi_is_compared_by_its_name(app, accounts):
    ratna = login(app, "ratna")
    first = create_session(ratna, studi="Studi Kalsel 2026", title="Bimtek Banjar")
    second = create_session(ratna, studi="studi  kalsel 2026", title="Bimtek Tapin")
    create_session(ratna, title="Bimtek lain")  # not in the studi
    chooser = ratna.get("/fasilitator/studi").get_data(as_text=True)
    assert 'id="studies"' in chooser and "(2 sesi)" in chooser  # case and spaces aside
    page = ratna.get("/fasilitator/studi?studi=Studi+Kalsel+2026").get_data(as_text=True)
    compared = _compared(page)
    assert first in compared and second in compared and "Bimtek lain" not in compared



def test_a_cut_chart_label_keeps_the_session_code_and_a_cohort_reads_as_its_own():
    """A district's long name is cut in a chart, never its code; a cohort bar, drawn
    right under its session, is named by its cohort alone."""
    from sandbox.web.charts import BAR_LABEL, fitted_keeping_tail, text_width
    from sandbox.web.comparison import chart_label

    cut = fitted_keeping_tail("Kabupaten Kotabaru Provinsi Kalsel · N8V7GF", BAR_LABEL - 10)
    assert cut.endswith("… · N8V7GF") and cut.startswith("Kabupaten")
    assert text_width(cut) <= BAR_LABEL - 10
    assert fitted_keeping_tail("Kab. Banjar · R5NBZH", BAR_LABEL - 10) == "Kab. Banjar · R5NBZH"

    class Cohort:  # a Group's two fields the label reads
        label, cohort = "Kab. Kotabaru · N8V7GF · Angkatan 1", "Angkatan 1"

    assert chart_label(Cohort) == "↳ Angkatan 1"
