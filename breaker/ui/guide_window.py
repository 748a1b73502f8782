"""The guided-break window (Tk): one step at a time in large type, the moving figure, counter and self-check.

By default the break runs itself (reps counted at the exercise's pace, with a sound each); Space or Enter
moves on early. M switches to counting by hand, where Space or a click counts a rep and Enter moves on.
1-9 answer the self-check; Esc stops (at the self-check it skips the questions). The window takes the
focus when it opens (the user asked for it with Start); a click that only focuses it counts nothing.
"""

from __future__ import annotations

import time
import tkinter as tk
from collections.abc import Callable
from tkinter import font as tkfont

from breaker.core.i18n import _, pgettext
from breaker.ui import guide_layout, guide_text
from breaker.ui.figure import PAPER, Stage, motion_pose
from breaker.ui.flow import SIDES, Event, Flow, View
from breaker.ui.guide_layout import ACCENT, TRACK
from breaker.ui.nofocus import map_with_focus
from breaker.ui.render import SmoothCanvas

TICK_MS = 50
HOLD_CYCLE_S = 1.6  # one cycle of a moving hold (marching) when the exercise has no pace
from breaker.ui.guide_layout import BASE, SIZES


class GuideWindow:
    """Shows ``flow`` and feeds it keys, clicks and time. ``emit`` receives each report event; ``play``
    sounds a cue by name; ``progress`` gives the end screen's line about the next level."""

    def __init__(self, flow: Flow, emit: Callable[[Event], None], clock: Callable[[], float] = time.monotonic, *,
                 play: Callable[[str], None] = lambda _cue: None, notice: bool = False, reason: str = "",
                 progress: Callable[[dict[str, str]], str] = lambda _a: "", end_s: float = 8.0) -> None:
        self.flow, self.emit, self.clock, self.play = flow, emit, clock, play
        self.notice, self.reason, self.progress, self.end_s = notice, reason, progress, end_s
        self.stage = Stage(flow.exercise, flow.level)
        self.closing, self.press_counts, self.scale = False, True, 1.0
        root = self.root = tk.Tk(className="breaker")
        root.withdraw()
        root.title(_("breaker: {exercise}").format(exercise=flow.exercise.name))
        root.configure(bg=PAPER)
        dpi = max(1.0, root.winfo_fpixels("1i") / 96)
        width = min(round(BASE[0] * dpi), int(root.winfo_screenwidth() * 0.92))
        height = min(round(BASE[1] * dpi), int(root.winfo_screenheight() * 0.88))
        root.geometry(f"{width}x{height}")
        root.minsize(round(520 * dpi), round(380 * dpi))
        root.attributes("-topmost", True)
        root.protocol("WM_DELETE_WINDOW", lambda: self.stop("closed"))
        family = "DejaVu Sans" if "DejaVu Sans" in tkfont.families(root) else "TkDefaultFont"
        self.fonts = {name: tkfont.Font(root=root, family=family, size=-round(size * 1.33),
                                        weight="bold" if name in ("title", "counter", "button", "answer") else "normal")
                      for name, size in SIZES.items()}
        guide_layout.build(self, root)
        self.smooth = SmoothCanvas(self.canvas)
        root.bind("<space>", lambda _e: self.press())
        for key in ("<Return>", "<KP_Enter>"):
            root.bind(key, lambda _e: self.next())
        root.bind("<Escape>", lambda _e: self.stop("escape"))
        for key in ("<Key-m>", "<Key-p>"):
            root.bind(key, lambda _e: self.toggle_pace())
        for n in range(1, 10):
            root.bind(f"<Key-{n}>", lambda _e, n=n: self.answer(n - 1))
        root.bind("<Configure>", lambda e: guide_layout.resized(self, e))
        self.body.bind("<Configure>", lambda _e: self.root.after_idle(self._fit_cue))
        root.bind("<Destroy>", self._destroyed)
        root.bind_all("<ButtonPress>", self._any_press, add="+")

    # ---- running ----------------------------------------------------------------------------------
    def run(self) -> None:
        """Show the window with the keyboard focus, start the break (after the notice) and run until it ends."""
        map_with_focus(self.root)
        if self.notice:
            self._show_notice()
        else:
            self._begin()
        self.root.mainloop()
        self._destroyed(None)

    def _begin(self) -> None:
        self.notice = False
        self.question.configure(font=self.fonts["cue"])
        self.check.grid_remove()
        self.body.grid()
        self._send(self.flow.start(self.clock()))
        self._tick()

    def _show_notice(self) -> None:
        self.body.grid_remove()
        self.check.grid(row=2, column=0, sticky="nsew", padx=24)
        self.title.configure(text=_(guide_text.NOTICE_TITLE))
        self.question.configure(text=_(guide_text.NOTICE), font=self.fonts["detail"])
        self.hint.configure(text=_(guide_text.NOTICE_KEYS))
        self.next_button.configure(text=_("I have read it  (Space)"))
        self.root.after_idle(lambda: guide_layout.fit_hint(self))
        self.emit({"event": "notice", "id": "safety"})

    def _destroyed(self, event: tk.Event | None) -> None:
        """The window is going away. If the break is still on, someone closed it: abandoned. Reported at
        once, because a window destroyed from outside can make Tk exit on an X error right after."""
        if (event is None or event.widget is self.root) and self.flow.phase in ("new", "step", "check"):
            for report in self.flow.stop(self.clock(), "closed"):
                self.emit(report)

    def _send(self, events: list[Event]) -> None:
        for event in events:
            self.emit(event)
            cue = guide_text.sound_for(event)
            if cue:
                self.play(cue)
        if self.flow.phase in ("completed", "abandoned") and not self.closing:
            self.closing = True
            self._render()
            self.root.after(round(self.end_s * 1000) if self.flow.phase == "completed" else 0, self.root.destroy)
        elif events:
            self._render()

    def _any_press(self, _event: tk.Event) -> None:
        """Any mouse press: note whether the window had the focus (a focusing click counts nothing)."""
        self.press_counts = self.root.focus_get() is not None
        if not self.press_counts:
            self.root.focus_force()

    def _counted(self, action: Callable[[], None]) -> None:
        if self.press_counts:
            action()

    def press(self) -> None:
        if self.notice:
            self._begin()
        elif self.flow.phase == "step":
            self._send(self.flow.press(self.clock()))

    def next(self) -> None:
        if self.notice or self.flow.auto:
            self.press()
        elif self.flow.phase == "step":
            self._send(self.flow.next(self.clock()))

    def click(self) -> None:
        if self.root.focus_get() is None:  # this click focuses the window; it counts nothing
            return
        if self.notice or (self.flow.phase == "step" and self.flow.stage.step.kind == "reps" and not self.flow.auto):
            self.press()

    def answer(self, choice: int) -> None:
        self._send(self.flow.answer(choice, self.clock()))

    def stop(self, reason: str) -> None:
        if self.closing or (self.notice and reason == "escape"):
            self.root.destroy()
            return
        self._send(self.flow.stop(self.clock(), reason))

    def toggle_pace(self) -> None:
        self.flow.set_auto(not self.flow.auto, self.clock())
        self._render()

    def _tick(self) -> None:
        if self.closing:
            return
        self._send(self.flow.tick(self.clock()))
        self._render()
        self.root.after(TICK_MS, self._tick)

    # ---- drawing ----------------------------------------------------------------------------------
    def _render(self) -> None:
        now = self.clock()
        view = self.flow.view(now)
        self._draw_figure(now, view)
        self._show_view(view)

    def _draw_figure(self, now: float, view: View) -> None:
        flow, poses, phase, mirror = self.flow, list(self.stage.poses.values())[:1], 0.0, False
        if view.phase == "step":
            poses = [self.stage.poses[n] for n in flow.stage.step.motion] or poses
            started = flow.stage_at + (flow.lead_s() if view.kind == "reps" and flow.auto else 0.0)
            phase = max(0.0, now - started) / flow.pace_s() if view.kind == "reps" else \
                (now - flow.stage_at) / HOLD_CYCLE_S if view.kind == "hold" else 0.0
            mirror = flow.stage.side == SIDES[1]
        width, height = self.canvas.winfo_width(), self.canvas.winfo_height()
        if width > 20 and height > 20:
            self.smooth.draw(self.stage.shapes(motion_pose(poses, phase), width, height, mirror), width, height)

    def _show_view(self, view: View) -> None:
        self.title.configure(text=view.title)
        self.bar.delete("all")
        self.bar.create_rectangle(0, 0, self.bar.winfo_width() * view.progress, 40, fill=ACCENT, outline="")
        if view.phase == "check":
            self.body.grid_remove()
            self.check.grid(row=2, column=0, sticky="nsew", padx=24)
            self.step_label.configure(text=_("Quick check {number} of {count}").format(number=view.check_no,
                                                                                       count=view.checks))
            self.question.configure(text=view.question)
            self._answer_buttons(view.check_no, view.answers)
            self.hint.configure(text=_("Press a number to answer · Esc skips the check"))
            self.note.configure(text=_("Your answers steer which movement comes next."))
            self.next_button.grid_remove()
            self.stop_button.configure(text=_("Skip  (Esc)"))
            guide_layout.fit_hint(self)
            return
        if view.phase == "done":
            self.check.grid_remove()
            self.step_label.configure(text=pgettext("end screen", "Done"))
            answers = {**self.flow.answers, "reps": str(self.flow.total_reps)}
            self.question.configure(text=guide_text.summary(self.flow, self.progress(answers)))
            self.check.grid(row=2, column=0, sticky="nsew", padx=24)
            self.body.grid_remove()
            self.hint.configure(text=_("This window closes by itself in {seconds} s · Esc closes it now").format(
                seconds=round(self.end_s)))
            for child in self.answer_row.winfo_children():
                child.destroy()
            self.note.configure(text="")
            self.next_button.grid_remove()
            self.stop_button.configure(text=_("Close  (Esc)"))
            guide_layout.fit_hint(self)
            return
        self.step_label.configure(text=_("Step {number} of {count}").format(number=view.step_no, count=view.steps))
        if self.cue.cget("text") != view.cue:
            self.cue.configure(text=view.cue)
            self._fit_cue()
        self.counter.configure(text=view.counter)
        self.detail.configure(text=view.detail)
        level = self.flow.exercise.levels[self.flow.level - 1].label if self.flow.exercise.levels else ""
        notes = [_("Level {level} of {count}: {label}").format(level=self.flow.level, count=len(self.flow.exercise.levels),
                                                             label=level)] if level else []
        if view.step_no == 1:
            notes = ([self.reason] if self.reason else []) + notes + [c.text for c in self.flow.exercise.cautions]
        self.note.configure(text="\n".join(notes))
        self.hint.configure(text=guide_text.hint(view, self.flow.auto, bool(self.flow.exercise.pace_s)))
        self.next_button.configure(text=guide_text.button_text(view, self.flow.auto))
        guide_layout.fit_hint(self)

    def _fit_cue(self) -> None:
        guide_layout.fit_cue(self)

    def _answer_buttons(self, number: int, answers: tuple[str, ...]) -> None:
        if getattr(self, "_shown_answers", None) == (number, answers):
            return
        self._shown_answers = (number, answers)
        for child in self.answer_row.winfo_children():
            child.destroy()
        for i, text in enumerate(answers):
            shown = _(text)  # the answer is an id ("yes", "it hurt"): shown in the user's language
            tk.Button(self.answer_row, text=f"{i + 1}   {shown[:1].upper()}{shown[1:]}", font=self.fonts["answer"], takefocus=0,
                      padx=28, pady=14, bg="white", activebackground=TRACK,
                      command=lambda i=i: self._counted(lambda: self.answer(i))).pack(side="left", padx=(0, 20))
