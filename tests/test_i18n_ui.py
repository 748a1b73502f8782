"""Windows, notifications, tray and reports in German, Spanish and French: real commands, real windows on a
private 1280x720 Xvfb, a real daemon on dunst. English stays English under LANG=C.

Screenshots go to the test's folder; with ``BREAKER_SCREENSHOTS=DIR`` they are also written to DIR (that is
how docs/screenshots/guide-de.png and chart-de.png are made).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from breaker import i18n
from breaker.catalogue import load_catalogue
from breaker.core.models import Hold, PromptShown
from breaker.core.weekly import Week
from breaker.store.session import Shown
from tests.daemonkit import Daemon, Desktop, NotifyMonitor, Typist, daemon, session, wait_until  # noqa: F401
from tests.desktop import XDisplay, stop_process

ROOT = Path(__file__).resolve().parent.parent
TRACES = Path(__file__).resolve().parent / "traces"
BERLIN = ZoneInfo("Europe/Berlin")
ENGLISH_IN_REPORTS = ("Moved ", "Compliance", "Against", " sitting in ", "Nothing recorded", "Week 2026")


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    yield
    i18n.setup({})


def keep(path: Path) -> None:
    """Copy a screenshot to $BREAKER_SCREENSHOTS when it is set."""
    target = os.environ.get("BREAKER_SCREENSHOTS")
    if target:
        shutil.copy(path, Path(target) / path.name)


def breaker(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("LANG", "LC_"))}
    return subprocess.run([sys.executable, "-m", "breaker", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**base, "TZ": "Europe/Berlin", "PYTHONIOENCODING": "utf-8", **env}, timeout=60)


@pytest.fixture(scope="module")
def two_weeks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("i18n") / "two.db"
    sim = breaker("simulate", str(TRACES / "two_weeks.jsonl"), "--db", str(db), LANG="C.UTF-8")
    assert sim.returncode == 0, sim.stderr
    return db


@pytest.fixture(scope="module")
def screen720() -> Iterator[XDisplay]:
    """A private Xvfb of 1280x720, the smallest common laptop screen (no window manager)."""
    from tests.conftest import need

    need(shutil.which("Xvfb") is not None, "Xvfb is not installed (apt-get install xvfb)")
    need(shutil.which("import") is not None, "ImageMagick's import is not installed (apt-get install imagemagick)")
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x720x24", "-nolisten",
                               "tcp", "-noreset"], pass_fds=(write_fd,), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    os.close(write_fd)
    try:
        with os.fdopen(read_fd, "rb") as ready:
            number = ready.readline()
        assert number.strip(), "Xvfb did not report its display number"
        yield XDisplay(f":{int(number)}")
    finally:
        stop_process(server)


# ---- the weekly text: `breaker stats` --------------------------------------------------------------------


def test_stats_reads_german(two_weeks: Path) -> None:
    done = breaker("stats", "--db", str(two_weeks), "--week", "2026-W48", LANGUAGE="de", LANG="C.UTF-8")
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert text.startswith("Woche 2026-W48  Mo. 23. Nov. – So. 29. Nov. 2026  (Europe/Berlin)\n"), text
    assert "1 von 1 Mal bewegt, als gefragt wurde" in text  # "Moved 1 of 1 time asked"
    assert "Quote 33\u00a0%" in text  # German percent: a no-break space before the sign
    assert "Gegenüber der Vorwoche:" in text
    for row in ("Mo. 23. Nov.", "Di. 24. Nov.", "Mi. 25. Nov."):
        assert any(line.startswith(row) for line in text.splitlines()), row
    assert "Sitzen" in text and "Hinweise" in text  # the column headings
    assert all(word not in text for word in ENGLISH_IN_REPORTS), text
    assert max(len(line) for line in text.splitlines()) <= 80  # longer headings, the same 80 columns


def test_stats_reads_french_and_spanish(two_weeks: Path) -> None:
    fr = breaker("stats", "--db", str(two_weeks), "--week", "2026-W48", LANGUAGE="fr").stdout
    assert fr.startswith("Semaine 2026-W48  lun. 23 nov. – dim. 29 nov. 2026") and "Taux de suivi 33\u00a0%" in fr
    es = breaker("stats", "--db", str(two_weeks), "--week", "2026-W48", LANG="es_ES.UTF-8").stdout
    assert es.startswith("Semana 2026-W48  lun 23 nov – dom 29 nov 2026") and "Te moviste 1 de 1 vez" in es
    for text in (fr, es):
        assert all(word not in text for word in ENGLISH_IN_REPORTS), text
        assert max(len(line) for line in text.splitlines()) <= 80


def test_stats_stays_english_under_c(two_weeks: Path) -> None:
    text = breaker("stats", "--db", str(two_weeks), "--week", "2026-W48", LANG="C.UTF-8").stdout
    assert text.startswith("Week 2026-W48  Mon 23 Nov – Sun 29 Nov 2026  (Europe/Berlin)\n"
                           "Moved 1 of 1 time asked;")
    assert "Compliance 33%" in text and "Woche" not in text


def test_trend_reads_german(two_weeks: Path) -> None:
    done = breaker("stats", "--db", str(two_weeks), "--week", "2026-W48", "--trend", "4", LANGUAGE="de")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Sitzen Woche für Woche, 2026-W45 – 2026-W48 (4 Wochen)")
    assert "nichts erfasst" in done.stdout and "Woche " in done.stdout and "sitting" not in done.stdout


# ---- the chart -------------------------------------------------------------------------------------------


def test_chart_draws_german_words(two_weeks: Path, tmp_path: Path) -> None:
    from breaker.store.report_queries import load_report
    from breaker.store.storage import Storage
    from breaker.ui.chart import layout, write_png
    from breaker.ui.shapes import Text

    i18n.setup({"LANGUAGE": "de"})
    storage = Storage.open(two_weeks, readonly=True)
    try:
        report = load_report(storage, Week.parse("2026-W48"), BERLIN, timedelta(minutes=45), today=date(2026, 11, 30))
    finally:
        storage.close()
    words = [s.text for s in layout(report) if isinstance(s, Text)]
    assert words[0] == "Woche 2026-W48  (23. Nov. – 29. Nov. 2026)"
    assert {"Mo. 23.", "Di. 24.", "So. 29."} <= set(words)  # the days under the bars
    assert "bewegt 1/1" in words and "gleicher Tag letzte Woche" in words
    assert not [w for w in words if any(e in w for e in ("Mon", "moved", "sitting", "Week", "same day"))], words
    path = tmp_path / "chart-de.png"
    write_png(report, path, zoom=2.0)  # 192 dpi
    from PIL import Image

    with Image.open(path) as image:
        assert image.size == (1800, 920)
    keep(path)


def test_report_window_in_german_on_a_small_screen(screen720: XDisplay, two_weeks: Path, tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "breaker.ui.report", "--week", "2026-W48", "--db", str(two_weeks)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env={**screen720.env, "TZ": "Europe/Berlin", "LANGUAGE": "de", "PYTHONPATH": str(ROOT)})
    try:
        assert proc.stdout is not None
        assert json.loads(proc.stdout.readline()) == {"event": "shown", "week": "2026-W48"}
        window = screen720.wait_window("^breaker: Woche 2026-W48$", timeout=30)
        x, y, width, height = screen720.geometry(window)
        assert x + width <= 1280 and y + height <= 720  # the whole window fits the screen
        time.sleep(1.0)  # the chart draws after the first Configure
        shot = tmp_path / "report-de-1280x720.png"
        screen720.screenshot(str(shot))
        keep(shot)
    finally:
        proc.kill()
        proc.wait(timeout=10)


# ---- the guided-break window ------------------------------------------------------------------------------


def test_guide_window_speaks_german(screen720: XDisplay, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISPLAY", screen720.name)
    from breaker.ui.flow import Flow
    from breaker.ui.guide_window import GuideWindow
    from breaker.ui.nofocus import map_with_focus

    i18n.setup({"LANGUAGE": "de"})
    catalogue = load_catalogue()
    exercise = catalogue.get("wall-hinge")
    flow = Flow(exercise, 2, [catalogue.checks[c] for c in exercise.checks], auto=True)
    events: list[dict[str, object]] = []
    window = GuideWindow(flow, events.append, notice=True)
    root = window.root

    def settle(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            root.update()
            time.sleep(0.02)

    try:
        map_with_focus(root)
        window._show_notice()
        settle(0.5)
        assert window.title.cget("text") == "Vor deiner ersten geführten Pause"
        assert window.next_button.cget("text") == "Gelesen  (Leertaste)"
        assert window.hint.cget("text") == "Esc: jetzt nicht"
        assert_hint_clear(window)
        notice = tmp_path / "guide-notice-de.png"
        screen720.screenshot(str(notice))
        keep(notice)
        window.press()  # "I have read it": the break begins
        settle(1.5)
        assert window.step_label.cget("text").startswith("Schritt 1 von ")
        assert "Leertaste" in window.hint.cget("text") and "Esc: abbrechen" in window.hint.cget("text")
        assert window.stop_button.cget("text") == "Abbrechen  (Esc)"
        assert window.note.cget("text").startswith("Stufe 2 von ")
        shot = tmp_path / "guide-de.png"
        screen720.screenshot(str(shot))
        keep(shot)
        words = " ".join(w.cget("text") for w in (window.step_label, window.hint, window.note, window.next_button))
        assert not any(e in words for e in ("Step ", "Space", "Level ", "Next")), words
        assert_hint_clear(window)
        for _press in range(200):  # on to the self-check
            if flow.phase == "check":
                break
            window.next()
            settle(0.02)
        settle(0.5)
        assert window.step_label.cget("text").startswith("Kurze Frage 1 von ")
        assert window.stop_button.cget("text") == "Überspringen  (Esc)"
        assert_hint_clear(window)
        check = tmp_path / "guide-check-de.png"
        screen720.screenshot(str(check))
        keep(check)
    finally:
        window.closing = True
        root.destroy()
    assert events[0] == {"event": "notice", "id": "safety"}  # the report lines stay data, in English


def test_prompt_and_status_windows_in_german(screen720: XDisplay, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """breaker's own prompt window (no notification server) and the status window, in German."""
    from breaker.core.i18n import _

    i18n.setup({"LANGUAGE": "de"})
    title = _("{sitting} in your chair: time to move").format(sitting="1 h 55 min")
    prompt = subprocess.Popen([sys.executable, "-m", "breaker.ui.prompt_window", "--title", title, "--body",
                               "Zeit für: 15–20 Wiederholungen. Eine kurze Bewegungspause."],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
                              env={**screen720.env, "LANGUAGE": "de", "PYTHONPATH": str(ROOT)})
    try:
        assert prompt.stdout is not None
        assert json.loads(prompt.stdout.readline())["event"] == "ready"
        window = screen720.wait_window("^breaker: Zeit f", timeout=30)  # xdotool's regex is not UTF-8 aware
        assert screen720.xdotool("getwindowname", str(window)) == "breaker: Zeit für eine Pause"
        x, y, width, height = screen720.geometry(window)
        assert x >= 0 and x + width <= 1280 and y + height <= 720
        shot = tmp_path / "prompt-de.png"
        screen720.screenshot(str(shot))
        keep(shot)
    finally:
        prompt.kill()
        prompt.wait(timeout=10)

    monkeypatch.setenv("DISPLAY", screen720.name)
    import tkinter as tk

    from breaker.ui.status_window import StatusWindow

    root = tk.Tk(className="breaker")
    try:
        status = StatusWindow(root, [sys.executable, "-c", "pass"], [sys.executable, "-c", "pass"])
        status._show({"sitting": True, "sitting_s": 6900, "next_prompt_in_s": 300})
        root.update()
        assert status.headline.cget("text").startswith("Sitzt seit ")
        assert status.detail.cget("text").startswith("Nächster Pausenhinweis in ")
        texts = [b.cget("text") for b in (status.break_button, status.pause_button, status.week_button)]
        assert texts == ["Jetzt Pause", "30 Min. aussetzen", "Diese Woche"]
        shot = tmp_path / "status-de.png"
        screen720.screenshot(str(shot))
        keep(shot)
    finally:
        root.destroy()


def assert_hint_clear(window: object) -> None:
    """The key hint ends before the buttons beside it begin (German words are longer than English ones)."""
    hint, stop = window.hint, window.stop_button  # type: ignore[attr-defined]
    assert hint.winfo_x() + hint.winfo_reqwidth() <= stop.winfo_x(), (hint.cget("text"), hint.winfo_reqwidth())


# ---- the daemon: prompt, tray and status texts -------------------------------------------------------------


def test_prompt_titles_stay_short_in_every_language() -> None:
    """GNOME cuts a long notification title: the detail is in the body, the title fits in 40 characters."""
    from breaker.daemon.views import prompt_text

    catalogue = load_catalogue()
    at = datetime(2026, 11, 30, 12, tzinfo=UTC)
    for language in ("en", "de", "es", "fr"):
        i18n.setup({"LANGUAGE": language})
        for sitting in (timedelta(minutes=45), timedelta(hours=1, minutes=55), timedelta(hours=10, minutes=55)):
            for exercise in catalogue.exercises.values():
                shown = Shown(PromptShown(1, at, at - sitting), 1, exercise.id, 2 if exercise.levels else None)
                text = prompt_text(shown, catalogue)
                assert len(text.title) <= 40, (language, text.title)
                assert text.body and len(text.body) > len(text.title)


def test_tray_menu_and_tooltip_in_german() -> None:
    from breaker.adapters.ports import TrayView, action_labels
    from breaker.adapters.trayitems import MENU, label

    i18n.setup({"LANGUAGE": "de"})
    view = TrayView(1.0, "x", prompt_open=True, snooze_s=300)
    labels = {item.key: label(item.key, view) for item in MENU}
    assert labels["break"] == "Jetzt eine Pause machen" and labels["quit"] == "Beenden"
    assert labels["snooze"].endswith(" später") and labels["pause:tomorrow"] == "Bis morgen aussetzen"
    assert action_labels() == {"start": "Starten", "snooze": "Später", "skip": "Auslassen"}
    assert all(len(text) <= 28 for key, text in labels.items() if key != "status")  # a tray menu is narrow
    i18n.setup({"LANG": "C.UTF-8"})
    assert label("break", view) == "Start a break now" and action_labels()["snooze"] == "Snooze"


def test_status_window_words_in_german() -> None:
    from breaker.ui.status_window import describe

    i18n.setup({"LANGUAGE": "de"})
    headline, detail = describe({"sitting": True, "sitting_s": 600, "waiting_because": [Hold.LOCKED.value]})
    assert headline.startswith("Sitzt seit ") and detail == "Der nächste Hinweis wartet: Bildschirm gesperrt."
    paused = describe({"sitting": False, "paused": True, "paused_until": "2026-11-30T13:05:00+00:00"})[1]
    assert paused.startswith("Hinweise ausgesetzt bis ") and "PM" not in paused  # German clock: 24 hours


def test_daemon_prompts_in_german_on_dunst(session: tuple[Desktop, Typist], daemon: Daemon) -> None:
    desk, typist = session
    daemon.extra_env = {"LANGUAGE": "de", "LANG": "C.UTF-8"}
    monitor = NotifyMonitor(desk.bus)
    try:
        typist.work()
        daemon.start()
        wait_until(lambda: monitor.count() >= 1, 60, "the prompt's Notify call")
        wait_until(lambda: "gesessen: beweg dich" in monitor.text and "Auslassen" in monitor.text, 10,
                   "the whole Notify call")
        for button in ("Starten", "Später", "Auslassen"):
            assert f'string "{button}"' in monitor.text
        for english in ('string "Snooze"', 'string "Skip"', "in your chair", "Time for", "reps of the"):
            assert english not in monitor.text, english
        assert "Zeit für: " in monitor.text  # the movement, in the body
        status = daemon.status()
        assert "babel" not in status["backends"]["modules"]  # the daemon writes no dates: no Babel in memory
        typist.work(False)
    finally:
        monitor.stop()
        daemon.stop()
    assert "breaker läuft: Leerlaufzeit von " in daemon.output()
