"""When a break prompt is due, and what each answer does to the next one.

- A new bout makes a prompt due ``sit_limit`` after its start.
- A shown prompt makes the next one due ``reprompt`` after it (it replaces an unanswered one, which is
  then ``ignored``).
- Snooze: due ``snooze`` after the answer. Skip: ``sit_limit`` after the answer. Dismiss: ``reprompt``
  after the prompt. Start: the bout ends, the guided break decides completed/abandoned.
- A due prompt is held while the screen is locked, the machine sleeps, the user has not come back after
  either, the user paused prompts, it is outside working hours, do-not-disturb is on, or a break runs.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from breaker.core.models import (
    Action,
    BreakResult,
    Effect,
    Hold,
    Outcome,
    PromptClosed,
    PromptShown,
    Rules,
)


class OpenPrompt(NamedTuple):
    """The prompt on screen (a named tuple: one is made for every prompt of a replay)."""

    number: int
    at: datetime
    bout_start: datetime


class BreakPolicy:
    """Prompt timing and answers for one bout at a time. Not thread-safe."""

    def __init__(self, rules: Rules, first_number: int = 1) -> None:
        self.rules = rules
        self.due: datetime | None = None
        self.prompt: OpenPrompt | None = None
        self.paused_until: datetime | None = None  # None: not paused
        self.paused_forever = False
        self.do_not_disturb = False
        self.break_prompt: int | None = None  # prompt whose guided break is running
        self.break_started: datetime | None = None
        self.answered_at: datetime | None = None  # when the running break's prompt was answered
        self._next_number = first_number

    # ---- timing ---------------------------------------------------------------------------------

    def holds(self, now: datetime, *, locked: bool, suspended: bool, returned: bool) -> list[Hold]:
        """Every reason a due prompt could not be shown at ``now``."""
        reasons = []
        if self.break_started is not None:
            reasons.append(Hold.IN_BREAK)
        if locked:
            reasons.append(Hold.LOCKED)
        if suspended:
            reasons.append(Hold.SUSPENDED)
        if not (locked or suspended or returned):
            reasons.append(Hold.AWAY)
        if self.paused(now):
            reasons.append(Hold.PAUSED)
        if self.do_not_disturb:
            reasons.append(Hold.DO_NOT_DISTURB)
        hours = self.rules.hours
        if hours is not None and not hours.contains(now):
            reasons.append(Hold.OFF_HOURS)
        return reasons

    def paused(self, now: datetime) -> bool:
        return self.paused_forever or (self.paused_until is not None and now < self.paused_until)

    def next_time(self, *, locked: bool, suspended: bool, returned: bool) -> datetime | None:
        """When the next prompt will be shown if nothing else happens (None: waiting for an event)."""
        return self.next_at(locked, suspended, returned)

    def next_at(self, locked: bool, suspended: bool, returned: bool) -> datetime | None:
        """``next_time`` without keywords (the engine asks for every observation)."""
        if self.due is None or self.break_started is not None or self.do_not_disturb:
            return None
        if locked or suspended or not returned or self.paused_forever:
            return None
        at = self.due
        if self.paused_until is not None and at < self.paused_until:
            at = self.paused_until
        if self.rules.hours is not None:
            return self.rules.hours.next_open(at)
        return at

    # ---- bout life cycle ------------------------------------------------------------------------

    def bout_opened(self, start: datetime) -> None:
        self.due = start + self.rules.sit_limit

    def bout_closed(self, at: datetime) -> list[Effect]:
        """The bout ended: an unanswered prompt becomes ignored, nothing is due any more."""
        self.due = None
        return self._ignore_open(at)

    def show(self, at: datetime, bout_start: datetime) -> list[Effect]:
        """Show the due prompt at ``at``, replacing an unanswered one."""
        number = self._next_number
        effects = self._ignore_open(at)
        self.prompt = OpenPrompt(number, at, bout_start)
        self._next_number = number + 1
        self.due = at + self.rules.reprompt
        effects.append(PromptShown(number, at, bout_start))
        return effects

    # ---- answers --------------------------------------------------------------------------------

    def answer(self, action: Action, at: datetime) -> tuple[list[Effect], bool]:
        """Apply the user's choice on the open prompt. Returns (effects, break_starts)."""
        prompt = self.prompt
        if prompt is None:
            return [], False
        self.prompt = None
        if action is Action.START:
            self.break_prompt, self.break_started, self.answered_at = prompt.number, at, at
            self.due = None
            return [], True
        if action is Action.SNOOZE:
            self.due, outcome = at + self.rules.snooze, Outcome.SNOOZED
        elif action is Action.SKIP:
            self.due, outcome = at + self.rules.sit_limit, Outcome.SKIPPED
        else:
            self.due, outcome = prompt.at + self.rules.reprompt, Outcome.DISMISSED
        return [PromptClosed(prompt.number, outcome, at, at)], False

    def start_unprompted(self, at: datetime) -> list[Effect]:
        """The user starts a break on their own; an open prompt counts as answered with Start."""
        if self.prompt is not None:
            return self.answer(Action.START, at)[0]
        self.break_prompt, self.break_started, self.answered_at, self.due = None, at, None, None
        return []

    def finish(self, result: BreakResult, at: datetime) -> list[Effect]:
        """The guided break ended; its prompt (if any) gets the break's result as outcome."""
        number, answered = self.break_prompt, self.answered_at
        self.break_prompt = self.break_started = self.answered_at = None
        if number is None:
            return []
        return [PromptClosed(number, Outcome(result.value), answered, at)]

    def set_rules(self, rules: Rules, bout_start: datetime | None) -> None:
        """Apply new rules: a prompt still due at the bout's old ``sit_limit`` moves to the new one;
        a due time set by a prompt or an answer (re-prompt, snooze, skip) stays as it was."""
        if bout_start is not None and self.prompt is None and self.due == bout_start + self.rules.sit_limit:
            self.due = bout_start + rules.sit_limit
        self.rules = rules

    # ---- pause and do-not-disturb ---------------------------------------------------------------

    def pause(self, until: datetime | None) -> None:
        """Hold prompts until ``until`` (None: until resumed)."""
        self.paused_forever = until is None
        self.paused_until = until

    def unpause(self) -> None:
        self.paused_forever = False
        self.paused_until = None

    def _ignore_open(self, at: datetime) -> list[Effect]:
        prompt, self.prompt = self.prompt, None
        if prompt is None:
            return []
        return [PromptClosed(prompt.number, Outcome.IGNORED, None, at)]
