"""The last English a person read: doctor's details, autostart, simulate's warnings, save problems.

Each is a ``Said``: English as a str (JSON, logs), translated where a person reads it."""

from __future__ import annotations

import copy
import gettext
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from breaker.core.i18n import N_, Said, from_parts, localized, said, said_n, use
from tests.daemonkit import ROOT

ENGLISH = {"LANGUAGE": "", "LANG": "C.UTF-8"}


class Catalogue(gettext.NullTranslations):
    """A tiny German catalogue, so the unit tests need no compiled one."""

    WORDS = {"no X display ({name} is not set)": "kein X-Display ({name} ist nicht gesetzt)",
             "cannot save: {reason}": "kann nicht speichern: {reason}",
             "the disk is full": "die Festplatte ist voll"}

    def gettext(self, message: str) -> str:
        return self.WORDS.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return "{count} Änderung wartet" if n == 1 else "{count} Änderungen warten"


@pytest.fixture
def german() -> Any:
    use(Catalogue())
    yield
    use(gettext.NullTranslations())


def test_said_is_english_as_a_str_and_german_when_localized(german: None) -> None:
    text = said(N_("no X display ({name} is not set)"), name="DISPLAY")
    assert text == "no X display (DISPLAY is not set)"
    assert json.dumps({"detail": text}) == '{"detail": "no X display (DISPLAY is not set)"}'
    assert str(RuntimeError(text)) == "no X display (DISPLAY is not set)"
    assert localized(text) == "kein X-Display (DISPLAY ist nicht gesetzt)"
    assert localized(RuntimeError(text)) == "kein X-Display (DISPLAY ist nicht gesetzt)"
    assert localized("[Errno 2] No such file or directory") == "[Errno 2] No such file or directory"


def test_nested_said_and_exceptions_are_localized_inside_the_frame(german: None) -> None:
    inner = said(N_("the disk is full"))
    outer = said(N_("cannot save: {reason}"), reason=inner)
    assert outer == "cannot save: the disk is full"
    assert localized(outer) == "kann nicht speichern: die Festplatte ist voll"
    foreign = said(N_("cannot save: {reason}"), reason=OSError(2, "No such file or directory"))
    assert localized(foreign) == "kann nicht speichern: [Errno 2] No such file or directory"
    wrapped = said(N_("cannot save: {reason}"), reason=RuntimeError(inner))
    assert localized(wrapped) == "kann nicht speichern: die Festplatte ist voll"


def test_said_survives_copies_pickles_and_its_json_parts(german: None) -> None:
    text = said(N_("cannot save: {reason}"), reason=said(N_("the disk is full")))
    for again in (copy.deepcopy(text), copy.copy(text), pickle.loads(pickle.dumps(text))):
        assert isinstance(again, Said) and localized(again) == "kann nicht speichern: die Festplatte ist voll"
    back = from_parts(json.loads(json.dumps(text.parts())))
    assert back == text and localized(back) == "kann nicht speichern: die Festplatte ist voll"
    assert from_parts("plain words") == "plain words" and from_parts(None) == ""
    assert from_parts({"template": "{missing}", "args": {}}) == "{missing}"  # bad parts: no crash


def test_plural_said_takes_the_form_of_its_count(german: None) -> None:
    one, many = (said_n(N_("{count} change waits"), N_("{count} changes wait"), n) for n in (1, 12))
    assert (one, many) == ("1 change waits", "12 changes wait")
    assert (localized(one), localized(many)) == ("1 Änderung wartet", "12 Änderungen warten")
    assert localized(from_parts(many.parts())) == "12 Änderungen warten"


def _breaker(args: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "breaker", *args], env={**env, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT)
