"""Shared test fixtures. Desktop fixtures start real components; under CI=true a missing one fails."""

from __future__ import annotations

import os

import pytest

pytest_plugins = ["tests.reliability_conftest"]  # --full / BREAKER_FULL=1 for the reliability tests

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def need(condition: bool, why: str) -> None:
    """Skip locally when a real component is missing; fail in CI, where a skip would hide it."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required component missing in CI: {why}")
    pytest.skip(why)


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point every platformdirs location at a temporary folder: tests never touch the real home."""
    base = tmp_path_factory.mktemp("xdg")
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"):
        path = base / var.lower()
        path.mkdir(mode=0o700)
        monkeypatch.setenv(var, str(path))


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """English for every test and every process it starts, unless the test sets LANGUAGE itself.

    The developer's own LANGUAGE/LC_* must not turn English assertions into German ones; a test that
    chose a language in this process (``main([...])`` under LANGUAGE=de) leaves English behind."""
    from breaker import i18n

    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LC_TIME", "LC_NUMERIC"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    i18n.setup({"LANG": "C.UTF-8"})
    yield
    i18n.setup({"LANG": "C.UTF-8"})


# Real desktop components (Xvfb + xdotool helpers) live in tests/desktop.py.
# Private D-Bus buses, dunst and a test-service host live in tests/dbus_fixtures.py.
from tests.dbus_fixtures import dunst, session_bus, system_bus  # noqa: E402,F401
from tests.desktop import XDisplay, xdisplay  # noqa: E402,F401

# Files whose tests take longest (measured with --durations, 2026-11-30) go to the two workers first, so that no long
# file starts last and leaves one worker running alone at the end (pytest-xdist --dist loadfile hands files
# out in collection order). The order inside each file is kept.
LONG_FILES_FIRST = ("test_daemon_idle.py", "test_daemon_vs_simulate.py", "test_reliability_kill.py",
                    "test_gnome_session.py", "test_reliability_soak.py", "test_properties.py", "test_restart_intent.py",
                    "test_store_daemon.py", "test_daemon_e2e.py", "test_daemon_quiet.py", "test_install_stock_python.py",
                    "test_packaging.py", "test_console_mode.py", "test_guide_sound.py", "test_daemon_wayland.py")


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    rank = {name: place for place, name in enumerate(LONG_FILES_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


# Why a test was run again (pytest-rerunfailures): its first error line, in the summary at the end, so a flaky
# test in a long run says what it missed without a rerun of its own (workers send their reports here too).
RERUN_REASONS: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.outcome != "rerun":
        return
    text = report.longreprtext or ""
    lines = [line[2:].strip() for line in text.splitlines() if line.startswith("E ")] or text.splitlines()[-1:]
    reason = lines[0] if lines else "(no message)"
    RERUN_REASONS.append(f"{report.nodeid} ({report.when}): {reason[:300]}")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if RERUN_REASONS:
        terminalreporter.section("why tests were run again")
        for line in RERUN_REASONS:
            terminalreporter.line(line)
