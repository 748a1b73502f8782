"""Binds the exercise chooser to the database (placeholder until the coach lands)."""

from __future__ import annotations

from typing import Any

from breaker.config import Config
from breaker.storage import Storage


class FixedChooser:
    """Always the wall hip hinge drill."""

    def choose(self) -> tuple[str, int | None]:
        return "wall-hip-hinge", 1

    def learn(self, exercise: str, level: int | None, result: str, answers: dict[str, Any] | None) -> None:
        pass


def chooser_for(storage: Storage, config: Config) -> FixedChooser:
    return FixedChooser()
