"""Message catalogues: complete, placeholders intact, compiled, and chosen from the environment."""

from __future__ import annotations

import importlib.util
import io
from datetime import date, datetime
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo, write_mo

from breaker import i18n
from breaker.core.i18n import _

ROOT = Path(__file__).resolve().parent.parent
SPEC = importlib.util.spec_from_file_location("i18n_tool", ROOT / "packaging" / "i18n.py")
assert SPEC and SPEC.loader
tool = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(tool)


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    i18n.setup({})


def test_template_lists_every_marked_string() -> None:
    committed = {(m.id if isinstance(m.id, str) else m.id[0], m.context) for m in tool._read(tool.POT) if m.id}
    fresh = {(m.id if isinstance(m.id, str) else m.id[0], m.context) for m in tool.extract() if m.id}
    assert fresh - committed == set(), "run: python3 packaging/i18n.py update"
    assert committed - fresh == set(), "run: python3 packaging/i18n.py update"


@pytest.mark.parametrize("language", tool.LANGUAGES)
def test_catalogue_is_complete_with_matching_placeholders(language: str) -> None:
    assert tool.problems(language, tool.extract()) == []


@pytest.mark.parametrize("language", tool.LANGUAGES)
def test_compiled_catalogue_matches_its_source(language: str) -> None:
    path = tool.LOCALE / language / "LC_MESSAGES" / "breaker.po"
    fresh = io.BytesIO()
    write_mo(fresh, tool._read(path))
    fresh.seek(0)
    with path.with_suffix(".mo").open("rb") as stream:
        committed = {(_hashable(m.id), m.context): m.string for m in read_mo(stream) if m.id}
    assert {(_hashable(m.id), m.context): m.string for m in read_mo(fresh) if m.id} == committed, (
        "run: python3 packaging/i18n.py compile"
    )


def _hashable(msgid: str | list[str]) -> str | tuple[str, ...]:
    """A plural entry's id comes back from a .mo file as a list (singular, plural)."""
    return msgid if isinstance(msgid, str) else tuple(msgid)


def test_placeholder_check_catches_a_renamed_field() -> None:
    assert tool.placeholders("{count} of {total}") == ["{count}", "{total}"]
    assert tool.placeholders("{count} von {gesamt}") != tool.placeholders("{count} of {total}")


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANGUAGE": "de"}, "de"),
        ({"LANGUAGE": "sv:fr", "LANG": "en_US.UTF-8"}, "fr"),
        ({"LANG": "es_ES.UTF-8"}, "es"),
        ({"LC_ALL": "C", "LANG": "de_DE.UTF-8"}, "en"),
        ({"LC_MESSAGES": "fr_CA.UTF-8@euro"}, "fr"),
        ({"LANG": "sv_SE.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_language_follows_the_environment(environ: dict[str, str], expected: str) -> None:
    assert i18n.setup(environ) == expected


def test_catalogue_text_is_translated_and_english_is_the_source() -> None:
    source = "Stand up and push your chair away."
    i18n.setup({"LANGUAGE": "de"})
    german = _(source)
    i18n.setup({"LANG": "C.UTF-8"})
    assert _(source) == source
    assert german != source and german.strip()


def test_dates_and_numbers_follow_the_language_and_region() -> None:
    day = date(2026, 11, 30)
    i18n.setup({"LANGUAGE": "de", "LANG": "C.UTF-8"})
    assert i18n.weekday(day, "wide") == "Montag"
    assert i18n.number(1234.5, 1) == "1.234,5"
    assert i18n.clock(datetime(2026, 11, 30, 14, 5)) == "14:05"
    i18n.setup({"LANG": "de_CH.UTF-8"})
    assert i18n.number(1234.5, 1) in ("1’234.5", "1'234.5")  # CLDR: Swiss German groups with an apostrophe
    i18n.setup({"LANG": "en_US.UTF-8"})
    assert i18n.weekday(day) == "Mon"
    assert i18n.clock(datetime(2026, 11, 30, 14, 5)).replace("\u202f", " ") == "2:05 PM"
    i18n.setup({"LANG": "en_GB.UTF-8"})
    assert i18n.clock(datetime(2026, 11, 30, 14, 5)) == "14:05"
    i18n.setup({"LANGUAGE": "fr"})
    assert i18n.weekday(day, "wide") == "lundi"
