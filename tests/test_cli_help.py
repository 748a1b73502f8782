"""``breaker --help`` and every subcommand's ``--help`` read well; wrong arguments give one line, exit 2."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from breaker.cli.main import build_parser, main


def commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command path, nested ones included (``("config", "init")``)."""
    found: list[tuple[str, ...]] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append((*path, name))
                found += commands(sub, (*path, name))
    return found


ALL = commands(build_parser())


def help_of(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as exit_:
        main([*argv, "--help"])
    out, err = capsys.readouterr()
    assert exit_.value.code == 0 and not err
    return out


def test_the_command_list_is_complete() -> None:
    top = {path[0] for path in ALL}
    assert {"run", "status", "break", "pause", "resume", "stats", "log", "export", "simulate", "config",
            "autostart", "doctor", "exercises"} <= top
    assert {("autostart", "on"), ("autostart", "off"), ("autostart", "status"), ("config", "init")} <= set(ALL)


def test_top_level_help_lists_every_command_with_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    out = help_of(capsys)
    assert out.startswith("usage: breaker ") and "Measures how long you really sit" in out
    for name in {path[0] for path in ALL}:
        line = next((x for x in out.splitlines() if x.strip().startswith(name + " ")), "")
        assert len(line.split(maxsplit=1)) == 2, f"{name} has no summary in breaker --help"


@pytest.mark.parametrize("path", ALL, ids=" ".join)
def test_every_command_help_reads_well(capsys: pytest.CaptureFixture[str], path: tuple[str, ...]) -> None:
    out = help_of(capsys, *path)
    lines = out.splitlines()
    assert lines[0].startswith(f"usage: breaker {' '.join(path)}")
    description = out.split("\n\n")[1].strip()
    assert description[0].isupper() and len(description) >= 10, f"no description: {description!r}"
    for noise in ("==SUPPRESS==", "(default: None)", "%(default)", "%(prog)", "{", "}"):
        assert noise not in out, f"argparse noise {noise!r} in breaker {' '.join(path)} --help"
    assert max(len(line) for line in lines) <= 120
    parser = build_parser()
    for name in path:
        parser = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[name]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            continue  # its choices are listed with their own summaries
        assert action.help, f"breaker {' '.join(path)}: {action.option_strings or action.dest} has no help"


WRONG = [
    ["nosuch"],
    ["autostart"],
    ["autostart", "sideways"],
    ["autostart", "on", "--launchd"],
    ["simulate"],
    ["log", "--db"],
    ["stats", "--week", "last-tuesday"],
    ["stats", "--json", "--csv"],
    ["config", "check", "/nonexistent/breaker.toml"],
    ["export"],
    ["--frobnicate"],
]


@pytest.mark.parametrize("argv", WRONG, ids=" ".join)
def test_wrong_arguments_give_one_line_and_exit_2(argv: list[str]) -> None:
    done = subprocess.run([sys.executable, "-m", "breaker", *argv], capture_output=True, text=True, timeout=30)
    assert done.returncode == 2, done.stderr
    assert done.stdout == "" and done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith("breaker") and "Traceback" not in done.stderr
