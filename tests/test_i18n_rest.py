"""The last English a person read: doctor's details, autostart, simulate's warnings, save problems.

Each is a ``Said``: English as a str (JSON, logs), translated where a person reads it."""

from __future__ import annotations

import copy
import gettext
import json
import os
import pickle
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from breaker.core.i18n import N_, Said, from_parts, localized, said, said_n, use
from tests.daemonkit import ROOT
from tests.dbus_fixtures import Dunst

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


def test_joined_localizes_each_item(german: None) -> None:
    from breaker.core.i18n import joined

    row = joined([said(N_("the disk is full")), "x11: [Errno 2] gone"])
    assert row == "the disk is full; x11: [Errno 2] gone"
    assert localized(row) == "die Festplatte ist voll; x11: [Errno 2] gone"
    assert joined([]) == "" and localized(joined([])) == ""


GERMAN = {"LANGUAGE": "de", "LANG": "de_DE.UTF-8"}


def test_doctor_reads_german_on_a_real_desktop_and_its_json_stays_english(dunst: Dunst, tmp_path: Path) -> None:
    env = {**dunst.env, "XDG_SESSION_TYPE": "x11"}
    args = ["doctor", "--db", str(tmp_path / "b.db")]
    german, english = _breaker(args, {**env, **GERMAN}), _breaker(args, {**env, **ENGLISH})
    assert "notifications with Start/Snooze/Skip buttons" in english.stdout, english.stdout
    for words in ("Benachrichtigungen mit Knöpfen Start/Später/Überspringen",  # the notify row, from dunst
                  "Uhrzeit gegen monotone Uhr",  # the clock-gap row
                  "läuft nicht auf dem Sitzungsbus (wird trotzdem abgehört)",  # no screensaver on this bus
                  "von auto gewählt", "breaker startet nicht bei der Anmeldung"):
        assert words in german.stdout, german.stdout
    for words in ("notifications with", "running on the", "chosen by auto", "does not start at login",
                  "wall clock", "not set)"):
        assert words not in german.stdout, german.stdout
    as_json = [_breaker([*args, "--json"], {**env, **language}) for language in (GERMAN, ENGLISH)]
    same = [re.sub(r"idle [0-9.]+ s", "idle N s", done.stdout) for done in as_json]  # seconds since input vary
    assert "idle N s" in same[0] and same[0] == same[1] and as_json[0].returncode == as_json[1].returncode
    details = [p["detail"] for p in json.loads(as_json[0].stdout)["probes"]]
    assert any("notifications with Start/Snooze/Skip buttons" in d for d in details), details


def test_autostart_speaks_german_and_spanish_and_english_under_c(tmp_path: Path) -> None:
    env = dict(os.environ)
    off = _breaker(["autostart", "off"], {**env, **GERMAN})
    assert off.stdout.strip() == "Autostart war schon aus", off.stdout + off.stderr
    status = _breaker(["autostart", "status"], {**env, **GERMAN})
    assert "breaker startet nicht bei der Anmeldung (einschalten: breaker autostart on)" in status.stdout
    on = _breaker(["autostart", "on"], {**env, "LANGUAGE": "es", "LANG": "es_ES.UTF-8"})
    assert "breaker se inicia en tu próximo inicio de sesión (para iniciarlo ahora: breaker run)" in on.stdout, on.stdout
    assert on.stdout.startswith("escrito ") and "wrote" not in on.stdout, on.stdout
    status = _breaker(["autostart", "status"], {**env, **GERMAN})
    assert "(von breaker geschrieben)" in status.stdout and "written" not in status.stdout, status.stdout
    off = _breaker(["autostart", "off"], {**env, **ENGLISH})
    assert off.stdout.startswith("removed "), off.stdout


def test_a_simulate_warning_reads_german_and_french(tmp_path: Path) -> None:
    trace = ROOT / "tests" / "traces" / "workday.jsonl"
    sims = {name: _breaker(["simulate", str(trace), "--db", str(tmp_path / f"{name}.db")], {**os.environ, **env})
            for name, env in (("de", GERMAN), ("fr", {"LANGUAGE": "fr", "LANG": "fr_FR.UTF-8"}), ("en", ENGLISH))}
    assert "workday.jsonl:16: answer 'snooze' ignored: no prompt is open" in sims["en"].stderr
    assert ("breaker: Warnung: " in sims["de"].stderr
            and "workday.jsonl:16: Antwort 'snooze' ignoriert: kein Hinweis ist offen" in sims["de"].stderr), sims["de"]
    assert "ignored" not in sims["de"].stderr and "no prompt" not in sims["de"].stderr
    assert "réponse 'snooze' ignorée : aucun rappel n’est ouvert" in sims["fr"].stderr, sims["fr"].stderr


def test_a_save_problem_is_english_data_and_german_where_shown(tmp_path: Path) -> None:
    from breaker import i18n
    from breaker.cli.daemon import describe
    from breaker.daemon.views import TrayView, with_save_problem
    from breaker.store.storage import Storage

    storage = Storage.open(tmp_path / "b.db")
    holder = sqlite3.connect(tmp_path / "b.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program holds the database: the real SQLite refusal
    storage.write_wait_s = 0.05
    storage.set_state("heartbeat", "1")
    problem = storage.save_problem
    assert problem == "cannot save: the database is locked by another program (1 change waits in memory)"
    i18n.setup(GERMAN)
    status = json.loads(json.dumps({"save_problem": problem, "save_problem_said": problem.parts()}))
    assert status["save_problem"] == problem  # the JSON value stays English
    shown = describe({**status, "sitting": False})
    assert "Einträge warten im Speicher: kann nicht speichern: die Datenbank ist von einem anderen Programm " \
           "gesperrt (1 Änderung wartet im Speicher)." in shown, shown
    tooltip = with_save_problem(TrayView(0.1, "Sitzen 5 Min."), problem).tooltip
    assert tooltip.startswith("Sitzen 5 Min. · kann nicht speichern: die Datenbank"), tooltip
    assert "locked" not in shown and "locked" not in tooltip
    older = describe({"save_problem": str(problem), "sitting": False})  # an older daemon's JSON: English, no crash
    assert "Einträge warten im Speicher: cannot save: the database is locked" in older, older
    holder.execute("ROLLBACK")
    storage.close()
