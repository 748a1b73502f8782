"""The engine's restart and reload hooks: a restored due time and new rules, on the pure engine."""

from __future__ import annotations

from datetime import timedelta

from breaker.core.engine import Engine
from breaker.core.models import Action, BoutClosed, PromptShown, Rules
from tests.enginekit import at


def shown(effects: list[object]) -> list[PromptShown]:
    return [e for e in effects if isinstance(e, PromptShown)]


def test_restored_due_time_holds_the_next_prompt_back() -> None:
    engine = Engine(Rules())  # sit_limit 45m
    # restart at 09:50 of a bout begun 09:00; the last run had snoozed until 09:58
    effects = engine.restore_bout(at("09:00"), at("09:49"), at("09:50"), due=at("09:58"))
    assert not shown(effects)  # without the due time the prompt would come at once (09:45 is past)
    assert engine.next_deadline() is not None
    assert shown(engine.active(at("09:50"))) == []
    (prompt,) = shown(engine.advance(at("09:58")))
    assert prompt.at == at("09:58")


def test_without_a_due_time_a_restored_bout_is_due_at_its_sit_limit() -> None:
    engine = Engine(Rules())
    (prompt,) = shown(engine.restore_bout(at("09:00"), at("09:49"), at("09:50")))
    assert prompt.at <= at("09:50")  # at once: 09:45 has passed


def test_new_sit_limit_moves_a_prompt_not_yet_shown() -> None:
    engine = Engine(Rules())
    engine.active(at("09:00"))
    engine.set_rules(Rules(sit_limit=timedelta(minutes=20)), at("09:10"))
    (prompt,) = shown(engine.advance(at("09:22")))
    assert prompt.at == at("09:20")


def test_new_sit_limit_already_passed_shows_the_prompt_at_the_reload() -> None:
    engine = Engine(Rules())
    engine.active(at("09:00"))
    (prompt,) = shown(engine.set_rules(Rules(sit_limit=timedelta(minutes=20)), at("09:30")))
    assert prompt.at == at("09:30")


def test_new_rules_keep_a_snoozed_due_time() -> None:
    engine = Engine(Rules())
    engine.active(at("09:00"))
    engine.advance(at("09:45"))
    engine.answer(Action.SNOOZE, at("09:46"))  # due 09:56
    assert not shown(engine.set_rules(Rules(sit_limit=timedelta(minutes=20), snooze=timedelta(minutes=2)),
                                      at("09:47")))
    (prompt,) = shown(engine.advance(at("10:00")))
    assert prompt.at == at("09:56")
    assert engine.rules.snooze == timedelta(minutes=2)


def test_new_natural_break_ends_bouts_from_then_on() -> None:
    engine = Engine(Rules())  # natural_break 5m
    engine.active(at("09:00"))
    engine.idle(at("09:10"))
    engine.set_rules(Rules(natural_break=timedelta(minutes=2)), at("09:11"))
    effects = engine.advance(at("09:12"))
    assert [(e.start, e.end) for e in effects if isinstance(e, BoutClosed)] == [(at("09:00"), at("09:10"))]
