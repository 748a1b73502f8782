"""Config parsing and the one-line errors of ``breaker config check``."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from breaker.config import load_config
from breaker.core.errors import UserError
from breaker.timefmt import parse_duration

EXAMPLE = Path(__file__).resolve().parent.parent / "config.example.toml"


def breaker(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "breaker", *args], capture_output=True, text=True, env=env)


@pytest.mark.parametrize("text, expected", [
    ("90s", timedelta(seconds=90)), ("5m", timedelta(minutes=5)), ("1h30m", timedelta(minutes=90)),
    ("1h", timedelta(hours=1)), ("2m30s", timedelta(seconds=150)), (" 1h 5m ", timedelta(minutes=65)),
])
def test_durations(text: str, expected: timedelta) -> None:
    assert parse_duration(text, "k") == expected


def test_example_config_is_valid_and_matches_the_defaults(tmp_path: Path) -> None:
    config = load_config(EXAMPLE)
    assert config.rules.sit_limit == timedelta(minutes=45)
    assert config.rules.natural_break == timedelta(minutes=5)
    assert config.rules.snooze == timedelta(minutes=10)
    assert config.rules.reprompt == timedelta(minutes=5)
    assert config.rules.hours is None
    commented = "\n".join(line.removeprefix("# ") for line in EXAMPLE.read_text().splitlines())
    hours_file = tmp_path / "hours.toml"
    hours_file.write_text(commented[commented.index("[hours]"):commented.index("[tracking]")])
    hours = load_config(hours_file).rules.hours
    assert hours is not None and hours.days[5] == () and hours.days[0] == ((540, 750), (795, 1050))


BAD = [
    ("[breaks]\nsit_limit = \"abc\"\n", "[breaks] sit_limit = \"abc\": not a duration"),
    ("[breaks]\nsit_limit = 45\n", "[breaks] sit_limit = 45: expected a duration in quotes"),
    ("[breaks]\nsnooze = \"0m\"\n", "[breaks] snooze = \"0m\": must be longer than zero"),
    ("[breaks]\nsnooze = \"-5m\"\n", "[breaks] snooze = \"-5m\": must be longer than zero"),
    ("[breaks]\nsit_limit = \"10m\"\nnatural_break = \"10m\"\n", "natural_break = 10m must be shorter than sit_limit = 10m"),
    ("[breaks]\nsitlimit = \"10m\"\n", "[breaks] unknown key 'sitlimit'"),
    ("[brakes]\n", "unknown section or key 'brakes'"),
    ("[hours]\nmon = \"9-5\"\n", "[hours] mon = \"9-5\": expected ranges like"),
    ("[hours]\nmon = \"17:00-09:00\"\n", "is not a range of times within one day"),
    ("[hours]\nmonday = \"09:00-17:00\"\n", "[hours] unknown key 'monday'"),
    ("[hours]\nmon = \"09:00-12:00, 11:00-13:00\"\n", "ranges overlap"),
    ("[breaks\n", "not valid TOML"),
    ("breaks = 5\n", "'breaks' must be a section"),
]


@pytest.mark.parametrize("text, message", BAD)
def test_bad_config_is_a_one_line_error_naming_file_key_value(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(UserError) as err:
        load_config(path)
    assert str(path) in str(err.value)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_config_check_cli(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[breaks]\nreprompt = \"soon\"\n")
    result = breaker("config", "check", str(bad))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "reprompt" in result.stderr and "soon" in result.stderr
    assert "Traceback" not in result.stderr
    good = breaker("config", "check", str(EXAMPLE))
    assert good.returncode == 0 and "ok" in good.stdout
    missing = breaker("config", "check", str(tmp_path / "nope.toml"))
    assert missing.returncode == 2 and "not found" in missing.stderr


def test_config_init_and_path(tmp_path: Path) -> None:
    path = breaker("config", "path").stdout.strip()
    assert path.endswith("config.toml")
    assert breaker("config", "init").returncode == 0
    written = Path(path)
    assert written.read_text() == EXAMPLE.read_text()
    assert written.stat().st_mode & 0o077 == 0
    again = breaker("config", "init")
    assert again.returncode == 2 and "already exists" in again.stderr
    assert load_config(written).rules.sit_limit == timedelta(minutes=45)


def test_unknown_time_zone_is_one_line(tmp_path: Path) -> None:
    import os
    env = dict(os.environ, TZ="Mars/Olympus")
    result = breaker("config", "check", str(EXAMPLE), env=env)
    assert result.returncode == 2 and "TZ=Mars/Olympus" in result.stderr


def test_check_runs_the_same_validation_as_run(tmp_path: Path) -> None:
    """A bad [exercises.x] table fails `config check` with the message `run` would give."""
    bad = tmp_path / "bad.toml"
    bad.write_text('[exercises.neck]\nname = "Neck roll"\ntargets = ["neck"]\nduration = "soon"\nsteps = [{cue = "roll"}]\n')
    result = breaker("config", "check", str(bad))
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert '[exercises.neck] duration = "soon"' in result.stderr and "Traceback" not in result.stderr


def test_one_duration_parser_for_config_and_catalogue(tmp_path: Path) -> None:
    """Config and catalogue read durations the same way: fractions of a second work in both."""
    cfg = tmp_path / "c.toml"
    cfg.write_text('[tracking]\nidle_after = "2.5s"\n')
    assert load_config(cfg).tracking.idle_after == timedelta(seconds=2.5)
    assert parse_duration("2.5s", "k") == timedelta(seconds=2.5)


@pytest.mark.parametrize("text", ["99999999999h", "100000000h", "366d", "nanh"])
def test_absurd_durations_are_one_line_errors(text: str) -> None:
    with pytest.raises(UserError) as err:
        parse_duration(text, "[breaks] sit_limit")
    assert str(err.value).startswith(f'[breaks] sit_limit = "{text}"')
