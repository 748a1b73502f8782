"""The engine: one object the daemon and the simulator drive, time always passed in.

Each observation first replays everything that happens on its own before its time (a pause that becomes a
natural break, a prompt falling due) in time order, then applies the observation, and returns the
effects for the caller to perform. ``next_deadline()`` tells a scheduler when to call ``advance``.

An observation dated before the engine's time is applied at that time (the clock never goes back), with
one exception: ``idle`` may be dated back to the last input when only deadlines (prompts) and holds
(pause, do-not-disturb) happened since. A daemon learns that input stopped only ``idle_after`` later, and
a prompt may fall due in between; the bout still ends at its last input, as in a trace in time order.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from breaker.core.i18n import N_, said
from breaker.core.models import (
    Action,
    BoutClosed,
    BoutOpened,
    BreakFinished,
    BreakResult,
    BreakStarted,
    Effect,
    Notice,
    Rules,
    Status,
    require_aware,
)
from breaker.core.observe import observer
from breaker.core.policy import BreakPolicy
from breaker.core.tracker import SittingTracker

_CLOCK_SLACK = timedelta(minutes=10)  # daemon observations are back-dated by up to idle_after
# made once: a replayed trace may hold many answers with no prompt open
_NO_PROMPT = {action: said(N_("answer '{answer}' ignored: no prompt is open"), answer=action.value)
              for action in Action}
_NO_BREAK = {result: said(N_("break result '{result}' ignored: no break is running"), result=result.value)
             for result in BreakResult}




class Engine:
    """Sitting tracker + break policy behind one time-driven interface."""

    def __init__(self, rules: Rules, first_prompt_number: int = 1) -> None:
        self.rules = rules
        self.tracker = SittingTracker(rules.natural_break)
        self.policy = BreakPolicy(rules, first_prompt_number)
        self.now: datetime | None = None  # the latest time seen (the clock never goes back)
        self._settled: datetime | None = None  # state is final up to here: nothing can happen before it
        self._told: datetime | None = None  # the engine's time at the last call that was more than a deadline

    # ---- time -----------------------------------------------------------------------------------

    def next_deadline(self) -> datetime | None:
        """The earliest moment something happens without a new observation."""
        times = [t for t in (self.tracker.deadline(), self._prompt_time()) if t is not None]
        return min(times) if times else None

    def advance(self, now: datetime, *, prompts_at_now: bool = True) -> list[Effect]:
        """Let time pass up to ``now``: end bouts at natural breaks and show due prompts, in order.

        ``prompts_at_now=False`` leaves a prompt falling due exactly at ``now`` for the caller to decide
        (do-not-disturb known at that moment holds it)."""
        if now.tzinfo is not UTC:
            now = require_aware(now)
        if self.now is not None and now < self.now:
            now, effects = self._clock(now)
        else:  # _clock's usual case, written out
            self.now, effects = now, []
        tracker, policy = self.tracker, self.policy
        while True:
            if tracker.bout_start is None:  # no bout: nothing ends and no prompt falls due
                self._settled = now
                return effects
            # tracker.deadline() and _prompt_time(), written out: this runs for every observation
            last = tracker.last_input
            bout_end = None if tracker.input_on or last is None else last + tracker.natural_break
            prompt_at = policy.due  # policy.next_at without a hold, pause or working hours, written out
            if prompt_at is None or policy.break_started is not None or policy.do_not_disturb or (
                    tracker.locked or tracker.suspended or not tracker.returned):
                prompt_at = None
            elif policy.paused_forever or policy.paused_until is not None or policy.rules.hours is not None:
                prompt_at = policy.next_at(False, False, True)  # a pause or working hours: the policy's rule
            if prompt_at is not None and self._settled is not None and prompt_at < self._settled:
                prompt_at = self._settled  # a hold that ended at the last observation: show the prompt then
            if bout_end is not None and bout_end <= now and (prompt_at is None or bout_end <= prompt_at):
                # known at bout_end; after a back-dated idle or a shorter natural_break, not before what
                # already happened (a prompt shown since is ignored once it was shown)
                known = max(bout_end, self._settled or bout_end)
                effects += self._apply(tracker.close_if_due(bout_end), known)
                self._settled = known
            elif prompt_at is not None and (prompt_at < now or (prompts_at_now and prompt_at == now)):
                effects += policy.show(prompt_at, tracker.bout_start)
                self._settled = prompt_at
            else:
                self._settled = now
                return effects

    # ---- observations ---------------------------------------------------------------------------

    active = observer(SittingTracker.active)

    def idle(self, at: datetime) -> list[Effect]:
        """Input stopped at ``at``. Dated before the engine's time, it still ends input at ``at`` when only
        deadlines and holds happened since (see the module's docstring); otherwise it is moved forward."""
        if at.tzinfo is not UTC:
            at = require_aware(at)
        if (self.now is not None and at < self.now and self.tracker.input_on
                and self._told is not None and at >= self._told):
            effects = self.tracker.idle(at)  # input was known to run only up to ``at``: nothing else changes
            self._told = self.now
            return effects + self.advance(self.now)
        return self._idle(at)

    _idle = observer(SittingTracker.idle)

    lock = observer(SittingTracker.lock)

    unlock = observer(SittingTracker.unlock)

    suspend = observer(SittingTracker.suspend)

    resume = observer(SittingTracker.resume)

    def answer(self, action: Action, at: datetime) -> list[Effect]:
        """The user's choice on the open prompt (a Notice if there is none)."""
        effects = self.advance(at)
        at = self._told = self.now or at
        if self.policy.break_started is not None or self.policy.prompt is None:
            return effects + [Notice(at, _NO_PROMPT[action])]
        number = self.policy.prompt.number
        closed, starts = self.policy.answer(action, at)
        effects += closed
        if starts:
            effects += self._apply(self.tracker.cut(at), at)
            effects.append(BreakStarted(at, number))
        return effects

    def start_break(self, at: datetime) -> list[Effect]:
        """The user opens a guided break without (or ahead of) a prompt."""
        effects = self.advance(at)
        at = self._told = self.now or at
        if self.policy.break_started is not None:
            return effects + [Notice(at, said(N_("a break is already running")))]
        number = self.policy.prompt.number if self.policy.prompt else None
        effects += self.policy.start_unprompted(at)
        effects += self._apply(self.tracker.cut(at), at)
        return effects + [BreakStarted(at, number)]

    def finish(self, result: BreakResult, at: datetime) -> list[Effect]:
        """The running guided break ended."""
        effects = self.advance(at)
        at = self._told = self.now or at
        if self.policy.break_started is None:
            return effects + [Notice(at, _NO_BREAK[result])]
        number = self.policy.break_prompt
        effects += self.policy.finish(result, at)
        effects.append(BreakFinished(at, result, number))
        return effects + self._apply(self.tracker.break_over(at), at)

    def pause(self, until: datetime | None, at: datetime) -> list[Effect]:
        """Hold prompts until ``until`` (None: until ``unpause``). Tracking goes on."""
        effects = self.advance(at)
        self.policy.pause(until)
        return effects

    def unpause(self, at: datetime) -> list[Effect]:
        effects = self.advance(at)
        self.policy.unpause()
        return effects + self.advance(at)

    def do_not_disturb(self, on: bool, at: datetime) -> list[Effect]:
        """The desktop's do-not-disturb (or a fullscreen window) holds prompts while ``on``.

        DND known at the moment a prompt falls due holds that prompt: the state is set before a prompt
        due exactly at ``at`` is shown (natural breaks due then still happen first)."""
        effects = self.advance(at, prompts_at_now=False)
        self.policy.do_not_disturb = on
        return effects + self.advance(at)

    def restore_bout(self, start: datetime, last_input: datetime, at: datetime,
                     due: datetime | None = None) -> list[Effect]:
        """After a restart within ``natural_break``: carry on the bout that began at ``start``.

        ``due`` is when the last run would have shown the next prompt (after a prompt, a snooze or a
        skip); without it the bout's own ``sit_limit`` decides, as for a new bout."""
        start, last_input = require_aware(start), require_aware(last_input)
        self.now = self._settled = self._told = max(last_input, self.now or last_input)
        effects = self._apply(self.tracker.restore(start, last_input), last_input)
        if due is not None:
            self.policy.due = require_aware(due)
        return effects + self.advance(at)

    def set_rules(self, rules: Rules, at: datetime) -> list[Effect]:
        """New rules (a reloaded config) from ``at`` on; what already happened keeps the old ones."""
        effects = self.advance(at)
        self._told = self.now
        self.rules = rules
        self.tracker.natural_break = rules.natural_break
        self.policy.set_rules(rules, self.tracker.bout_start)
        return effects + self.advance(at)

    def end(self, at: datetime) -> list[Effect]:
        """The observer stops: a running break is abandoned, the bout and away time are closed."""
        effects = self.advance(at)
        at = self._told = self.now or at
        if self.policy.break_started is not None:
            effects += self.finish(BreakResult.ABANDONED, at)
        return effects + self._apply(self.tracker.finish(at), at)

    # ---- views ----------------------------------------------------------------------------------

    def status(self, now: datetime) -> Status:
        """A snapshot for display; does not change the engine."""
        t, p = self.tracker, self.policy
        return Status(
            at=now,
            bout_start=t.bout_start,
            sitting=t.sitting(now),
            input_active=t.input_on,
            locked=t.locked,
            suspended=t.suspended,
            open_prompt=p.prompt.number if p.prompt else None,
            next_prompt=self._prompt_time() if t.bout_start is not None else None,
            holds=tuple(p.holds(now, locked=t.locked, suspended=t.suspended, returned=t.returned)),
            paused_until=p.paused_until,
            in_break=p.break_started is not None,
        )

    # ---- internals ------------------------------------------------------------------------------

    def _prompt_time(self) -> datetime | None:
        t = self.tracker
        if t.bout_start is None:
            return None
        at = self.policy.next_time(locked=t.locked, suspended=t.suspended, returned=t.returned)
        if at is not None and self._settled is not None and at < self._settled:
            return self._settled  # a hold that ended at the last observation: show the prompt then
        return at

    def _clock(self, now: datetime) -> tuple[datetime, list[Effect]]:
        """Keep time monotonic: a clock that steps back is held at the latest time seen."""
        now = require_aware(now)
        if self.now is not None and now < self.now:
            effects: list[Effect] = []
            if self.now - now > _CLOCK_SLACK:
                effects.append(Notice(self.now, said(N_("clock stepped back by {step}; holding time"), step=self.now - now)))
            return self.now, effects
        self.now = now
        return now, []

    def _apply(self, tracker_effects: list[Effect], at: datetime) -> list[Effect]:
        """Let the policy react to bouts opening and closing."""
        policy = self.policy
        if not tracker_effects and (policy.prompt is None or self.tracker.bout_start is not None):
            return []
        out = tracker_effects  # the same list while the policy adds nothing (most calls)
        for index, effect in enumerate(tracker_effects):
            if type(effect) is BoutOpened:  # the effects are final classes
                policy.bout_opened(effect.start)
            elif type(effect) is BoutClosed:
                closed = policy.bout_closed(at)
                if closed:  # its effects follow the BoutClosed
                    out = out[:len(out) - len(tracker_effects) + index + 1] + closed + tracker_effects[index + 1:]
        if self.tracker.bout_start is None and policy.prompt is not None:
            out = out + policy.bout_closed(at)  # a zero-length bout closed without a BoutClosed
        return out
