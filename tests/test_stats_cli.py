"""``breaker stats`` and ``breaker export`` end to end: traces replayed by ``breaker simulate`` into a real
SQLite file, then read back by separate processes."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

TRACES = Path(__file__).resolve().parent / "traces"
CONTRACT_DAY = {"date", "sitting_s", "bouts", "longest_bout_s", "bouts_over_limit", "prompts", "completed",
                "abandoned", "snoozed", "skipped", "dismissed", "ignored"}


def breaker(*args: str, tz: str = "Europe/Berlin", **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "breaker", *args], capture_output=True, text=True,
                          env={**os.environ, "TZ": tz, **env})


@pytest.fixture(scope="module")
def two_weeks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """W47: one 1 h 40 bout (skip, ignored, completed); W48: a bout across Monday midnight and a short one."""
    db = tmp_path_factory.mktemp("stats") / "two.db"
    sim = breaker("simulate", str(TRACES / "two_weeks.jsonl"), "--db", str(db))
    assert sim.returncode == 0, sim.stderr
    return db


def stats_json(db: Path, *args: str, tz: str = "Europe/Berlin") -> dict:  # type: ignore[type-arg]
    result = breaker("stats", "--db", str(db), "--json", *args, tz=tz)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_json_contract_and_numbers(two_weeks: Path) -> None:
    data = stats_json(two_weeks, "--week", "2026-W48")
    assert data["week"] == "2026-W48" and len(data["days"]) == 7
    assert all(set(day) >= CONTRACT_DAY for day in data["days"])
    assert set(data["totals"]) >= (CONTRACT_DAY - {"date"}) | {"compliance"}
    mon, tue, wed = data["days"][:3]
    # Monday 23:30 to Tuesday 00:25: 30 min on Monday (where the bout counts), 25 min on Tuesday.
    assert (mon["date"], mon["sitting_s"], mon["bouts"], mon["longest_bout_s"], mon["bouts_over_limit"]) == \
        ("2026-11-23", 1800, 1, 3300, 1)
    assert (tue["sitting_s"], tue["bouts"], tue["prompts"], tue["completed"], tue["ignored"]) == (1500, 0, 3, 1, 2)
    assert (wed["sitting_s"], wed["bouts"], wed["longest_bout_s"], wed["prompts"]) == (1800, 1, 1800, 0)
    totals = data["totals"]
    assert (totals["sitting_s"], totals["bouts"], totals["longest_bout_s"], totals["bouts_over_limit"]) == \
        (5100, 2, 3300, 1)
    assert (totals["prompts"], totals["completed"], totals["compliance"]) == (3, 1, 0.3333)
    # The two ignored prompts before it moved the coach on, and the trace's day (not the day the test runs)
    # decides the day's round of stretches: the completed one is the hip-flexor stretch, so no wall-drill level
    # this week (tests/test_stats.py covers wall_level itself).
    assert totals["exercises"] == {"hip-flexor": 1} and totals["wall_level"] is None
    assert data["previous"]["totals"]["longest_bout_s"] == 6000
    assert data["change"]["longest_bout_s"] == -2700 and data["change"]["sitting_s"] == 5100 - 6000


def test_days_follow_the_zone_in_tz(two_weeks: Path) -> None:
    data = stats_json(two_weeks, "--week", "2026-W48", tz="America/New_York")
    mon, tue = data["days"][:2]
    assert (mon["sitting_s"], mon["prompts"], tue["sitting_s"]) == (3300, 3, 0)  # 17:30-18:25 in New York
    assert data["zone"] == "America/New_York"


def test_csv_matches_json(two_weeks: Path) -> None:
    data = stats_json(two_weeks, "--week", "2026-W48")
    result = breaker("stats", "--db", str(two_weeks), "--week", "2026-W48", "--csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["date"] for r in rows] == [d["date"] for d in data["days"]] + ["total"]
    for row, day in zip(rows, data["days"] + [data["totals"]]):
        for key in CONTRACT_DAY - {"date"}:
            assert float(row[key]) == day[key], key
    assert rows[-1]["compliance"] == "0.3333" and rows[1]["compliance"] == "0.3333" and rows[0]["compliance"] == ""


def test_terminal_report_says_what_changed(two_weeks: Path) -> None:
    result = breaker("stats", "--db", str(two_weeks), "--week", "2026-W48", PYTHONIOENCODING="utf-8")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert text.startswith("Week 2026-W48  Mon 23 Nov – Sun 29 Nov 2026  (Europe/Berlin)\n"
                           "Moved 1 of 1 time asked; 1 h 25 min sitting in 2 bouts, longest 55 min.\n")
    assert "longest\n  bout down from 1 h 40 min to 55 min" in text and "Compliance 33%" in text
    tue = next(line for line in text.splitlines() if line.startswith("Tue 24 Nov"))
    assert "▒" in tue and "█" in tue  # 15 of its 25 minutes were past the limit
    plain = breaker("stats", "--db", str(two_weeks), "--week", "2026-W48", PYTHONIOENCODING="ascii")
    assert plain.returncode == 0 and plain.stdout.isascii() and "#" in plain.stdout


def test_this_week_and_last_week_come_from_the_clock(two_weeks: Path) -> None:
    today = datetime.now(ZoneInfo("Europe/Berlin")).date()
    this = stats_json(two_weeks)["week"]
    last = stats_json(two_weeks, "--last")["week"]
    expect = [f"{d.isocalendar().year}-W{d.isocalendar().week:02d}" for d in (today, today - timedelta(days=7))]
    assert [this, last] == expect


def test_workday_outcomes(tmp_path: Path) -> None:
    db = tmp_path / "day.db"
    assert breaker("simulate", str(TRACES / "workday.jsonl"), "--db", str(db)).returncode == 0
    totals = stats_json(db, "--week", "2026-W48")["totals"]
    assert {k: totals[k] for k in ("prompts", "completed", "snoozed", "skipped", "dismissed", "ignored")} == \
        {"prompts": 6, "completed": 1, "snoozed": 1, "skipped": 1, "dismissed": 1, "ignored": 2}
    assert totals["sitting_s"] == 13170 and totals["bouts"] == 4 and totals["compliance"] == 0.1667


def test_empty_database_reads_sensibly(tmp_path: Path) -> None:
    trace = tmp_path / "nothing.jsonl"
    trace.write_text('{"at": "2026-11-23T08:00:00+01:00", "event": "end"}\n')
    db = tmp_path / "empty.db"
    assert breaker("simulate", str(trace), "--db", str(db)).returncode == 0
    data = stats_json(db, "--week", "2026-W48")
    assert data["totals"]["sitting_s"] == 0 and data["totals"]["compliance"] is None
    text = breaker("stats", "--db", str(db), "--week", "2026-W48").stdout
    assert "Nothing recorded in 2026-W48 or the week before" in text


@pytest.mark.parametrize("args, message", [
    (["--week", "2026-W60"], "breaker: --week 2026-W60: 2026 has no week 60"),
    (["--week", "soon"], "breaker: --week soon: expected an ISO week like 2026-W48"),
    (["--week", "2026-W48", "--last"], "not allowed with argument"),
    (["--json", "--csv"], "not allowed with argument"),
])
def test_bad_arguments_are_one_line(two_weeks: Path, args: list[str], message: str) -> None:
    result = breaker("stats", "--db", str(two_weeks), *args)
    assert result.returncode == 2 and message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_missing_database_and_bad_config(tmp_path: Path, two_weeks: Path) -> None:
    result = breaker("stats", "--db", str(tmp_path / "none.db"))
    assert result.returncode == 0 and result.stdout.startswith("Nothing is recorded yet") and not result.stderr
    config = tmp_path / "c.toml"
    config.write_text('[breaks]\nsit_limit = "soon"\n')
    result = breaker("stats", "--db", str(two_weeks), "--config", str(config))
    assert result.returncode == 2 and f"{config}: [breaks] sit_limit" in result.stderr


def test_bouts_keep_the_sit_limit_they_were_recorded_with(tmp_path: Path, two_weeks: Path) -> None:
    """Changing sit_limit later does not rewrite history; the config's limit is only the fallback."""
    config = tmp_path / "c.toml"
    config.write_text('[breaks]\nsit_limit = "20m"\nnatural_break = "5m"\n')
    data = stats_json(two_weeks, "--week", "2026-W48", "--config", str(config))
    assert data["sit_limit_s"] == 1200 and data["totals"]["bouts_over_limit"] == 1  # judged by 45 min
    assert data["days"][2]["sit_limit_s"] == 2700 and data["totals"]["limit_assumed"] == 0
    db = tmp_path / "twenty.db"  # a database written by simulate --config X is reported against X
    assert breaker("simulate", str(TRACES / "two_weeks.jsonl"), "--db", str(db), "--config", str(config)).returncode == 0
    data = stats_json(db, "--week", "2026-W48")
    assert data["sit_limit_s"] == 2700 and data["totals"]["bouts_over_limit"] == 2
    assert {d["sit_limit_s"] for d in data["days"]} == {None, 1200}


def test_export_json_and_csv_hold_the_whole_history(two_weeks: Path) -> None:
    result = breaker("export", "--json", "--db", str(two_weeks))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {k: len(v) for k, v in data.items() if k != "away"} == {"bouts": 3, "prompts": 6, "breaks": 2}
    assert data["bouts"][0] == {"id": 1, "start": "2026-11-17T08:00:00+00:00", "end": "2026-11-17T09:40:00+00:00",
                                "sit_limit_s": 2700}
    assert set(data["prompts"][0]) >= {"at", "exercise", "outcome", "answered_at", "level"}
    assert data["breaks"][1]["answers"] == {"level": "easy"} and data["breaks"][1]["result"] == "completed"
    result = breaker("export", "--csv", "--db", str(two_weeks))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    kinds = {k: sum(r["record"] == k for r in rows) for k in ("bout", "away", "prompt", "break")}
    assert kinds == {"bout": 3, "away": len(data["away"]), "prompt": 6, "break": 2}
    assert json.loads(next(r for r in rows if r["record"] == "break")["answers"]) == {"level": "right"}
    assert breaker("export", "--db", str(two_weeks)).returncode == 2  # a format is required


def test_png_of_a_week(two_weeks: Path, tmp_path: Path) -> None:
    from PIL import Image

    from breaker.ui.chart import HEALTHY, OVER, PAPER

    out = tmp_path / "week.png"
    result = breaker("stats", "--db", str(two_weeks), "--week", "2026-W48", "--png", str(out))
    assert result.returncode == 0, result.stderr
    assert f"wrote the chart of 2026-W48 to {out}" in result.stdout
    with Image.open(out) as image:
        assert image.format == "PNG" and image.size == (1800, 920)
        colors = {rgb for _, rgb in image.convert("RGB").getcolors(maxcolors=1 << 20) or []}
    hexes = {"#%02x%02x%02x" % c for c in colors}
    assert {HEALTHY, OVER, PAPER} <= hexes and len(colors) > 50  # bars of both kinds, and anti-aliased text
    bad = breaker("stats", "--db", str(two_weeks), "--png", str(tmp_path / "no" / "such" / "dir.png"))
    assert bad.returncode == 2 and bad.stderr.startswith("breaker: --png ") and bad.stderr.count("\n") == 1
