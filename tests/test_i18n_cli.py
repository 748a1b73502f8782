"""The command line in German, Spanish and French: real ``breaker`` processes with LANGUAGE set, and English
under LANG=C. Output a person reads is translated; JSON, config keys and command names stay as they are."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from breaker import i18n
from breaker.store.faults import explain, reason
from breaker.timefmt import human_duration, human_time
from tests.daemonkit import LONG_CONFIG, Daemon, Desktop, Typist, daemon, session, wait_until  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
TRACES = ROOT / "tests" / "traces"
DAEMON_CONFIG = LONG_CONFIG
DURATION = re.compile(r"\d+ (?:Std\.|Min\.|Sek\.)(?: \d+ (?:Min\.|Sek\.))?(?=  )")


def breaker(*args: str, tmp: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """``breaker args`` in a fresh process; ``env`` adds LANGUAGE, LANG... to the test's English environment."""
    full = {**os.environ, "TZ": "Europe/Berlin", "XDG_RUNTIME_DIR": str(tmp), "PYTHONIOENCODING": "utf-8", **env}
    return subprocess.run([sys.executable, "-m", "breaker", *args], capture_output=True, text=True, env=full,
                          cwd=ROOT, timeout=60)


def absent(text: str, *english: str) -> None:
    for word in english:
        assert word not in text, f"English {word!r} left in:\n{text}"


def test_exercises_list_has_german_durations_and_notes(tmp_path: Path) -> None:
    done = breaker("exercises", tmp=tmp_path, LANGUAGE="de")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert " Min." in out and " Sek." in out and "(statt " in out and "wenn das wehtat)" in out
    absent(out, " min ", " s  ", "instead of", "once that hurt")
    rows = [line for line in out.splitlines() if not line.startswith(" ")]
    # the duration column ends in one place however long the German units are
    ends = {match.end() for line in rows if (match := DURATION.search(line))}
    assert len(rows) >= 5 and len(ends) == 1, rows[:4]
    data = json.loads(breaker("exercises", "--json", tmp=tmp_path, LANGUAGE="de").stdout)
    assert "duration_s" in data["exercises"][0]  # JSON keys are a contract: never translated


def test_help_and_argument_errors_read_german(tmp_path: Path) -> None:
    top = breaker("--help", tmp=tmp_path, LANGUAGE="de")
    assert top.returncode == 0
    assert top.stdout.startswith("Aufruf: breaker ") and "Optionen:" in top.stdout
    assert "Misst, wie lange du wirklich sitzt" in top.stdout and "diese Hilfe zeigen und beenden" in top.stdout
    absent(top.stdout, "usage:", "options:", "show this help", "Measures how long", "start the daemon")
    stats = breaker("stats", "--help", tmp=tmp_path, LANGUAGE="de").stdout
    assert "Aufruf: breaker stats" in stats and "Eine Woche Sitzen" in stats and "--week YYYY-Www" in stats
    absent(stats, "machine-readable", "show last week")
    wrong = breaker("stats", "--bogus", tmp=tmp_path, LANGUAGE="de")
    assert wrong.returncode == 2 and wrong.stderr == "breaker: unbekannte Argumente: --bogus (siehe breaker --help)\n"
    choice = breaker("autostart", "print", "nonsense", tmp=tmp_path, LANGUAGE="es")
    assert choice.returncode == 2 and choice.stderr.count("\n") == 1
    assert "opción no válida: 'nonsense'" in choice.stderr and "invalid choice" not in choice.stderr


def test_config_error_is_one_german_line_naming_file_and_key(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[breaks]\nsit_limit = "soon"\n')
    done = breaker("config", "check", str(config), tmp=tmp_path, LANGUAGE="de")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == (f'breaker: {config}: [breaks] sit_limit = "soon": keine Dauer '
                           '(nimm z. B. "90s", "5m" oder "1h30m")\n')
    config.write_text('[breaks]\nsit_limit = "1h"\nnatural_break = "5m"\n[hours]\nmon = "9-5"\n')
    hours = breaker("config", "check", str(config), tmp=tmp_path, LANGUAGE="fr")
    assert hours.returncode == 2 and hours.stderr.count("\n") == 1
    assert f"{config} : " not in hours.stderr and f"{config}: [hours] mon = \"9-5\" : plages attendues" in hours.stderr
    config.write_text('[breaks]\nsit_limit = "45m"\n')
    ok = breaker("config", "check", str(config), tmp=tmp_path, LANGUAGE="de")
    assert ok.returncode == 0 and ok.stdout.startswith(f"{config}: in Ordnung - Hinweis nach 45m Sitzen")


def test_quit_and_stats_without_anything_read_german(tmp_path: Path) -> None:
    done = breaker("quit", tmp=tmp_path, LANGUAGE="de")  # told apart by type, not by its English words
    assert (done.returncode, done.stdout, done.stderr) == (0, "breaker läuft nicht: nichts zu beenden.\n", "")
    stats = breaker("stats", "--db", str(tmp_path / "none.db"), tmp=tmp_path, LANGUAGE="de")
    assert stats.returncode == 0 and stats.stdout.startswith("Noch nichts erfasst: breaker schreibt seinen Verlauf")
    week = breaker("stats", "--week", "2026-W60", tmp=tmp_path, LANGUAGE="de")
    assert week.returncode == 2 and week.stderr == "breaker: --week 2026-W60: 2026 hat keine Woche 60\n"
    trend = breaker("stats", "--trend", "0", tmp=tmp_path, LANGUAGE="es")
    assert trend.returncode == 2 and "'0': se esperaba un número de semanas de 1 a 520" in trend.stderr
    status = breaker("status", tmp=tmp_path, LANGUAGE="de")
    assert status.returncode == 2 and status.stderr == "breaker: breaker läuft nicht (starte es mit: breaker run)\n"


def test_simulate_and_log_read_german_with_german_dates(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    sim = breaker("simulate", str(TRACES / "workday.jsonl"), "--db", str(db), tmp=tmp_path, LANGUAGE="de")
    assert sim.returncode == 0, sim.stderr
    assert " Ereignisse abgespielt: " in sim.stdout and " Sitzphasen, " in sim.stdout
    assert "Hinweise: " in sim.stdout and "geschrieben nach" in sim.stdout
    absent(sim.stdout, "replayed", "bouts", "sitting;", "completed", "skipped")
    text = breaker("log", "--db", str(db), tmp=tmp_path, LANGUAGE="de").stdout
    lines = text.splitlines()
    i18n.setup({"LANGUAGE": "de"})
    monday = i18n.day_text(date(2026, 11, 23))
    assert monday == "Mo., 23. Nov."  # Babel's German day
    first_bout = next(line for line in lines if "  saß " in line)
    first_prompt = next(line for line in lines if "  Hinweis " in line)
    assert first_bout.startswith(monday + " ") and first_prompt.startswith(monday + " ")
    assert len({line.index("  saß ") for line in lines if "  saß " in line}) == 1  # one column for the times
    assert " Std." in text or " Min." in text
    absent(text, " sat ", " prompt ", "Mon ", "Nov ", " AM", " PM")
    english = breaker("log", "--db", str(db), tmp=tmp_path).stdout
    assert english.startswith("Mon 23 Nov ") and " sat " in english  # LANG=C: the English of before


def test_c_locale_stays_english_and_lang_alone_chooses(tmp_path: Path) -> None:
    c = breaker("--help", tmp=tmp_path, LANG="C.UTF-8")
    assert c.stdout.startswith("usage: breaker ") and "Measures how long you really sit" in c.stdout
    absent(c.stdout, "Aufruf", "Optionen", "utilisation")
    posix = breaker("exercises", tmp=tmp_path, LANG="POSIX")
    assert " min" in posix.stdout and "Min." not in posix.stdout
    german = breaker("quit", tmp=tmp_path, LANG="de_DE.UTF-8")
    assert german.stdout == "breaker läuft nicht: nichts zu beenden.\n"
    french = breaker("quit", tmp=tmp_path, LANGUAGE="sv:fr")  # the first language breaker has
    assert french.stdout == "breaker n'est pas lancé : rien à arrêter.\n"


def test_pause_and_status_in_french_against_a_real_daemon(daemon: Daemon) -> None:  # noqa: F811
    daemon.start()
    daemon.extra_env = {"LANGUAGE": "fr", "LANG": "fr_FR.UTF-8"}  # the commands speak French; the daemon did not
    paused = daemon.cli("pause", "1h")
    assert paused.returncode == 0, paused.stderr
    status = daemon.status()
    assert status["paused"] is True
    until = datetime.fromisoformat(status["paused_until"]).astimezone()
    i18n.setup({"LANGUAGE": "fr", "LANG": "fr_FR.UTF-8"})
    shown = human_time(until)  # "lun. 23/11 15:07": French weekday, day before month, 24-hour clock
    assert shown.split()[0].endswith(".") and shown.endswith(f"{until:%H:%M}"), shown
    assert f"Rappels suspendus jusqu'à {shown} (breaker resume y met fin)." in paused.stdout, paused.stdout
    absent(paused.stdout, "Prompts paused", "until", "resume ends")
    text = daemon.cli("status").stdout
    assert ("Assis depuis " in text or "Vous n'êtes pas assis en ce moment." in text) and "Rappels suspendus" in text
    absent(text, "Sitting for", "Not sitting", "Prompts paused")
    assert daemon.cli("resume").returncode == 0
    wait_until(lambda: not daemon.status()["paused"], 10, "the pause to end")
    daemon.extra_env = {}
    assert "Prompts paused" not in daemon.cli("status").stdout and daemon.cli("status").returncode == 0
    assert daemon.stop() == 0


@pytest.mark.parametrize(("language", "expected"), [
    ("en", ["20 s", "1 min 30 s", "45 min", "2 h", "1 h 5 min", "3 days"]),
    ("de", ["20 Sek.", "1 Min. 30 Sek.", "45 Min.", "2 Std.", "1 Std. 5 Min.", "3 Tage"]),
    ("es", ["20 s", "1 min 30 s", "45 min", "2 h", "1 h 5 min", "3 días"]),
    ("fr", ["20 s", "1 min 30 s", "45 min", "2 h", "1 h 5 min", "3 jours"]),
])
def test_durations_in_each_language(language: str, expected: list[str]) -> None:
    i18n.setup({"LANGUAGE": language})
    assert [human_duration(s) for s in (20, 90, 2700, 7200, 3900, 3 * 86400)] == expected


def test_fault_text_is_translated_for_people_and_english_as_data(tmp_path: Path) -> None:
    err = sqlite3.OperationalError("database or disk is full")
    err.sqlite_errorcode = 13  # type: ignore[attr-defined]  # SQLITE_FULL, as SQLite sets it
    i18n.setup({"LANGUAGE": "de"})
    assert explain(err) == "die Festplatte ist voll; gib auf diesem Datenträger etwas Platz frei"
    assert reason(err) == "the disk is full"  # the status JSON's save_problem stays English
    i18n.setup({"LANG": "C.UTF-8"})
    assert explain(err) == "the disk is full; free some space on that disk"
