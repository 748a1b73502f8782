"""The ``--full`` switch of the reliability tests (or ``BREAKER_FULL=1``): CI runs small counts, a person
checking a release runs the full ones (50 kills, thousands of generated inputs, a 10-minute soak).

Loaded by ``tests/conftest.py`` as a plugin. Tests ask ``scale(ci, full)`` for the count to use.
"""

from __future__ import annotations

import os

import pytest

_FULL = {"on": False}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--full", action="store_true", default=False,
                     help="reliability tests at full size (also BREAKER_FULL=1); slow")


def pytest_configure(config: pytest.Config) -> None:
    _FULL["on"] = bool(config.getoption("--full")) or os.environ.get("BREAKER_FULL", "") not in ("", "0")


def full() -> bool:
    """Whether this run asked for the full-size reliability tests."""
    return _FULL["on"]


def scale(ci: int, full_size: int) -> int:
    """The count to use: ``full_size`` under ``--full``, else ``ci``."""
    return full_size if full() else ci


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Full-size runs take minutes per test: lift the suite's per-test timeout for them."""
    if not full():
        return
    for item in items:
        if "test_reliability_" in item.nodeid:
            item.add_marker(pytest.mark.timeout(3600))
