"""The one number parser (sandbox/domain/numbers.py) and the control-character rule
(sandbox/domain/text.py): what a person may type, and what every hostile variant gets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox.domain.errors import ValidationError
from sandbox.domain.numbers import (
    SEED_MAX,
    TEXT_MAX,
    parse_decimal,
    parse_int,
    parse_optional_int,
)
from sandbox.domain.text import forbidden_character, printable

SEED_MESSAGE = f"Seed harus bilangan bulat 0 sampai {SEED_MAX}."


@pytest.mark.parametrize(("text", "expected"), [
    ("0", 0), ("7", 7), (" 42 ", 42), ("007", 7), (str(SEED_MAX), SEED_MAX), (12, 12),
])
def test_plain_ascii_digits_are_read(text, expected):
    assert parse_int(text, "seed", "Seed", 0, SEED_MAX) == expected


@pytest.mark.parametrize("text", [
    "²",                       # a digit to str.isdigit(), not to int()
    "١٢",                      # Arabic-Indic digits: int() reads them as 12
    "１２",                    # full-width digits: int() reads them too
    "-1", "+1", "1 2", "1_000", "1.0", "1e3", "0x10", "", "   ", "abc",
    str(SEED_MAX + 1),         # one past a 32-bit INTEGER column
    "9" * 20,                  # past SQLite's 64-bit integer
    "9" * 5000,                # past int()'s own 4,300-digit limit
    "1\x00",
    True,                      # a bool is not a number a person typed
])
def test_everything_else_is_refused_with_the_range(text):
    with pytest.raises(ValidationError) as caught:
        parse_int(text, "seed", "Seed", 0, SEED_MAX)
    assert caught.value.errors == {"seed": SEED_MESSAGE}


def test_a_long_text_is_refused_before_conversion():
    """int() itself would raise ValueError past 4,300 digits: the cap must come first."""
    with pytest.raises(ValidationError):
        parse_int("1" * 4301, "count", "Jumlah", 1, 200)
    with pytest.raises(ValidationError):
        parse_int("1" * (TEXT_MAX + 1), "count", "Jumlah", 0, 10 ** (TEXT_MAX + 5))


def test_a_minus_is_read_only_where_the_range_goes_below_zero():
    assert parse_int("-3", "x", "Geser", -5, 5) == -3
    with pytest.raises(ValidationError):
        parse_int("-0", "x", "Jumlah", 0, 5)


def test_a_custom_message_replaces_the_standard_one():
    with pytest.raises(ValidationError) as caught:
        parse_int("6", "rubric", "Nilai", 1, 5, message="Nilai rubrik harus 1 sampai 5.")
    assert caught.value.errors == {"rubric": "Nilai rubrik harus 1 sampai 5."}


def test_an_optional_field_left_empty_is_none():
    assert parse_optional_int(None, "seed", "Seed", 0, 9) is None
    assert parse_optional_int("  ", "seed", "Seed", 0, 9) is None
    assert parse_optional_int("3", "seed", "Seed", 0, 9) == 3
    with pytest.raises(ValidationError):
        parse_optional_int("²", "seed", "Seed", 0, 9)


@pytest.mark.parametrize(("text", "expected"), [
    ("1,5", 1.5), ("1.5", 1.5), ("0,25", 0.25), ("60", 60.0), (" 8 ", 8.0), (0.5, 0.5),
])
def test_decimals_take_a_comma_or_a_point(text, expected):
    assert parse_decimal(text, "minutes_per_hk", "Kecepatan", 0.25, 60) == expected


@pytest.mark.parametrize("text", [
    "nan", "inf", "-inf", "1e1", "1,5,0", "1.", ",5", "١", "1 5", "0,1", "61", "-1",
    "9" * 5000, float("nan"), float("inf"),
])
def test_hostile_decimals_are_refused_with_the_range(text):
    with pytest.raises(ValidationError) as caught:
        parse_decimal(text, "minutes_per_hk", "Kecepatan", 0.25, 60)
    assert caught.value.errors == {
        "minutes_per_hk": "Kecepatan harus angka 0,25 sampai 60 (mis. 1,5)."}


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.text(alphabet="0123456789²³١٢３-+., \t", max_size=5000)))
def test_any_text_is_a_number_in_range_or_a_validation_error(text):
    for parse in (lambda: parse_int(text, "n", "N", 0, 1000),
                  lambda: parse_decimal(text, "n", "N", 0, 1000)):
        try:
            value = parse()
        except ValidationError as error:
            assert set(error.errors) == {"n"}
            assert "0 sampai 1000" in error.errors["n"]
        else:
            assert 0 <= value <= 1000
            assert text.strip().isascii()


@pytest.mark.parametrize(("text", "found"), [
    ("a\x00b", "U+0000 (NUL)"), ("\x1b[31m", "U+001B (ESC)"), ("x\x7f", "U+007F (DEL)"),
    ("\x0b", "U+000B (kontrol)"), ("\ud800", "U+D800 (surrogat)"),
])
def test_control_characters_are_found_and_named(text, found):
    assert forbidden_character(text) == found
    assert "?" in printable(text)


@pytest.mark.parametrize("text", ["baris satu\nbaris dua", "kolom\tkolom", "a\r\nb",
                                  "Jl. Merdeka № 5 — ٣", "\u202eRTL", ""])
def test_tab_newlines_and_all_printable_text_pass(text):
    assert forbidden_character(text) is None


@pytest.mark.parametrize("stars", ["²", "١", "9" * 5000, "99999999999999999999", "-1", "5.0"])
def test_a_star_rating_goes_through_the_one_parser(stars):
    """A reporter's rating (workflow's pelapor_menilai) refuses every hostile number."""
    from sandbox.domain.workflow import Action, Actor, Directory, State, apply

    with pytest.raises(ValidationError) as caught:
        apply(State.SELESAI, Action.PELAPOR_MENILAI, {"bintang": stars},
              Directory(units={}, agencies={}), actor=Actor.NASKAH)
    assert caught.value.errors == {"bintang": "Bintang harus bilangan 1 sampai 5."}
    outcome = apply(State.SELESAI, Action.PELAPOR_MENILAI, {"bintang": " 4 "},
                    Directory(units={}, agencies={}), actor=Actor.NASKAH)
    assert outcome.payload == {"bintang": 4}
