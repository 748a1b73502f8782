"""The guided-break window (Tk): one step at a time in large type, the moving figure, counter and self-check.

Keys: Space or Enter counts a rep / ends a hold early / goes on; a click on the figure or counter counts a
rep; P toggles counting at the steady pace; 1-9 answer the self-check; Esc stops (at the self-check it
skips the questions). Closing the window abandons the break. Every report event goes to ``emit``.
"""

from __future__ import annotations

import time
import tkinter as tk
from collections.abc import Callable
from tkinter import font as tkfont

from breaker.core.exercise import Exercise
from breaker.ui.figure import INK, PAPER, Stage, draw_tk, motion_pose
from breaker.ui.flow import Event, Flow, View
from breaker.ui.nofocus import map_without_focus

ACCENT, MUTED, WARN, TRACK = "#2f7d6d", "#5d6b78", "#9a5b13", "#e4ded3"
TICK_MS = 50
HOLD_CYCLE_S = 1.6  # one cycle of a moving hold (marching) when the exercise has no pace


class GuideWindow:
    """Shows ``flow`` and feeds it keys, clicks and time. ``emit`` receives each report event."""

    def __init__(self, flow: Flow, emit: Callable[[Event], None], clock: Callable[[], float] = time.monotonic) -> None:
        self.flow, self.emit, self.clock = flow, emit, clock
        ex: Exercise = flow.exercise
        self.stage = Stage(ex, flow.level)
        self.auto_pace = False
        self.next_auto = 0.0
        self.closing = False
        root = self.root = tk.Tk(className="breaker")
        root.withdraw()
        root.title(f"breaker: {ex.name}")
        root.configure(bg=PAPER)
        root.geometry("960x640")
        root.minsize(520, 380)
        root.attributes("-topmost", True)
        root.protocol("WM_DELETE_WINDOW", lambda: self.stop("closed"))
        family = "DejaVu Sans" if "DejaVu Sans" in tkfont.families(root) else "TkDefaultFont"
        self.fonts = {name: tkfont.Font(root=root, family=family, size=size, weight=weight)
                      for name, size, weight in (("title", 22, "bold"), ("cue", 28, "normal"), ("counter", 72, "bold"),
                                                 ("detail", 20, "normal"), ("small", 15, "normal"),
                                                 ("button", 18, "bold"), ("answer", 24, "bold"))}
        self._build(root)
        for key in ("<space>", "<Return>", "<KP_Enter>"):
            root.bind(key, lambda _e: self.press())
        root.bind("<Escape>", lambda _e: self.stop("escape"))
        root.bind("<Key-p>", lambda _e: self.toggle_pace())
        for n in range(1, 10):
            root.bind(f"<Key-{n}>", lambda _e, n=n: self.answer(n - 1))
        root.bind("<Configure>", self._resized)
        root.bind("<Destroy>", self._destroyed)
        root.bind_all("<ButtonPress>", lambda _e: root.focus_force(), add="+")

    def _label(self, parent: tk.Misc, font: str, fg: str = INK, **kw: object) -> tk.Label:
        return tk.Label(parent, font=self.fonts[font], fg=fg, bg=PAPER, **kw)

    def _build(self, root: tk.Tk) -> None:
        root.columnconfigure(0, weight=1)
        root.rowconfigure(2, weight=1)
        head = tk.Frame(root, bg=PAPER)
        head.grid(row=0, column=0, sticky="ew", padx=24, pady=(16, 4))
        head.columnconfigure(0, weight=1)
        self.title = self._label(head, "title", anchor="w")
        self.title.grid(row=0, column=0, sticky="w")
        self.step_label = self._label(head, "detail", MUTED, anchor="e")
        self.step_label.grid(row=0, column=1, sticky="e")
        self.bar = tk.Canvas(root, height=10, bg=TRACK, highlightthickness=0)
        self.bar.grid(row=1, column=0, sticky="ew", padx=24)
        body = self.body = tk.Frame(root, bg=PAPER)
        body.grid(row=2, column=0, sticky="nsew", padx=24, pady=8)
        body.columnconfigure(0, weight=5, uniform="b")
        body.columnconfigure(1, weight=6, uniform="b")
        body.rowconfigure(0, weight=1)
        self.canvas = tk.Canvas(body, bg=PAPER, highlightthickness=0)
        self.canvas.grid(row=0, column=0, sticky="nsew")
        right = tk.Frame(body, bg=PAPER)
        right.grid(row=0, column=1, sticky="nsew", padx=(16, 0))
        right.columnconfigure(0, weight=1)
        right.rowconfigure(0, weight=1)
        self.cue = self._label(right, "cue", anchor="sw", justify="left")
        self.cue.grid(row=0, column=0, sticky="sew")
        self.counter = self._label(right, "counter", ACCENT, anchor="w")
        self.counter.grid(row=1, column=0, sticky="w", pady=(12, 0))
        self.detail = self._label(right, "detail", MUTED, anchor="w")
        self.detail.grid(row=2, column=0, sticky="nw")
        for widget in (self.canvas, self.counter, self.detail):
            widget.bind("<Button-1>", lambda _e: self.click())
        self.check = tk.Frame(root, bg=PAPER)  # the self-check replaces the body at the end
        self.check.columnconfigure(0, weight=1)
        self.check.rowconfigure(0, weight=1)
        self.check.rowconfigure(3, weight=2)
        self.question = self._label(self.check, "cue", justify="left", anchor="w")
        self.question.grid(row=1, column=0, sticky="ew", pady=(0, 28))
        self.answer_row = tk.Frame(self.check, bg=PAPER)
        self.answer_row.grid(row=2, column=0, sticky="w")
        self.note = self._label(root, "small", WARN, anchor="w", justify="left")
        self.note.grid(row=3, column=0, sticky="ew", padx=24)
        foot = tk.Frame(root, bg=PAPER)
        foot.grid(row=4, column=0, sticky="ew", padx=24, pady=(4, 16))
        foot.columnconfigure(0, weight=1)
        self.hint = self._label(foot, "small", MUTED, anchor="w", justify="left")
        self.hint.grid(row=0, column=0, sticky="w")
        self.stop_button = tk.Button(foot, text="Stop  (Esc)", font=self.fonts["button"], takefocus=0,
                                     command=lambda: self.stop("escape"))
        self.stop_button.grid(row=0, column=1, padx=8)
        self.next_button = tk.Button(foot, text="Next  (Space)", font=self.fonts["button"], takefocus=0,
                                     bg=ACCENT, fg="white", activebackground=ACCENT, command=self.press)
        self.next_button.grid(row=0, column=2)

    # ---- running ----------------------------------------------------------------------------------
    def run(self) -> None:
        """Show the window (without taking focus), start the break and run until it ends."""
        map_without_focus(self.root)
        self._send(self.flow.start(self.clock()))
        self._tick()
        self.root.mainloop()
        self._destroyed(None)

    def _destroyed(self, event: tk.Event | None) -> None:
        """The window is going away. If the break is still on, someone closed it: abandoned. Reported at
        once, because a window destroyed from outside can make Tk exit on an X error right after."""
        if (event is None or event.widget is self.root) and self.flow.phase in ("new", "step", "check"):
            for report in self.flow.stop(self.clock(), "closed"):
                self.emit(report)

    def _send(self, events: list[Event]) -> None:
        for event in events:
            self.emit(event)
        if self.flow.phase in ("completed", "abandoned") and not self.closing:
            self.closing = True
            self._render()
            self.root.after(700 if self.flow.phase == "completed" else 0, self.root.destroy)
        elif events:
            self._render()

    def press(self) -> None:
        if self.flow.phase == "step":
            self._send(self.flow.press(self.clock()))

    def click(self) -> None:
        if self.flow.phase == "step" and self.flow.stage.step.kind == "reps":
            self.press()

    def answer(self, choice: int) -> None:
        self._send(self.flow.answer(choice, self.clock()))

    def stop(self, reason: str) -> None:
        if self.closing:
            self.root.destroy()
            return
        self._send(self.flow.stop(self.clock(), reason))

    def toggle_pace(self) -> None:
        if self.flow.exercise.pace_s:
            self.auto_pace = not self.auto_pace
            self.next_auto = self.clock() + self.flow.exercise.pace_s
            self._render()

    def _tick(self) -> None:
        if self.closing:
            return
        now = self.clock()
        events = self.flow.tick(now)
        pace = self.flow.exercise.pace_s
        if self.auto_pace and pace and self.flow.phase == "step" and self.flow.stage.step.kind == "reps":
            if now >= self.next_auto:
                self.next_auto = now + pace
                events += self.flow.press(now)
        self._send(events)
        self._render(figure_only=not events)
        self.root.after(TICK_MS, self._tick)

    # ---- drawing ----------------------------------------------------------------------------------
    def _render(self, figure_only: bool = False) -> None:
        now = self.clock()
        view = self.flow.view(now)
        self._draw_figure(now, view)
        if figure_only and view.phase == "step" and view.kind != "hold":
            return
        self._show_view(view)

    def _draw_figure(self, now: float, view: View) -> None:
        flow = self.flow
        if view.phase == "step":
            names = flow.stage.step.motion or tuple(flow.exercise.poses)[:1]
            poses = [flow.exercise.poses[n] for n in names] or None
            cycle = flow.exercise.pace_s or HOLD_CYCLE_S
            phase = (now - flow.stage_at) / cycle if view.kind in ("reps", "hold") else 0.0
        else:
            poses = list(flow.exercise.poses.values())[:1] or None
            phase = 0.0
        width, height = self.canvas.winfo_width(), self.canvas.winfo_height()
        if poses and width > 20 and height > 20:
            draw_tk(self.canvas, self.stage.shapes(motion_pose(poses, phase), width, height))

    def _show_view(self, view: View) -> None:
        self.title.configure(text=view.title)
        width = self.bar.winfo_width()
        self.bar.delete("all")
        self.bar.create_rectangle(0, 0, width * view.progress, 12, fill=ACCENT, outline="")
        level = self.flow.exercise.levels[self.flow.level - 1].label if self.flow.exercise.levels else ""
        if view.phase == "check":
            self.body.grid_remove()
            self.check.grid(row=2, column=0, sticky="nsew", padx=24)
            self.step_label.configure(text=f"Quick check {view.check_no} of {view.checks}")
            self.question.configure(text=view.question)
            self._answer_buttons(view.answers)
            self.hint.configure(text="Press a number to answer · Esc skips the check")
            self.note.configure(text="Your answers steer which movement comes next.")
            self.next_button.grid_remove()
            self.stop_button.configure(text="Skip  (Esc)")
            return
        if view.phase == "done":
            self.step_label.configure(text="Done")
            self.cue.configure(text="Nicely done." if self.flow.phase == "completed" else "Stopped.")
            self.counter.configure(text="")
            self.detail.configure(text="")
            return
        self.step_label.configure(text=f"Step {view.step_no} of {view.steps}")
        if self.cue.cget("text") != view.cue:
            self.cue.configure(text=view.cue)
            self._fit_cue()
        self.counter.configure(text=view.counter)
        detail = view.detail + ("  ·  steady pace on" if self.auto_pace and view.kind == "reps" else "")
        self.detail.configure(text=detail)
        notes = [f"Level {self.flow.level} of {len(self.flow.exercise.levels)}: {level}"] if level else []
        if view.step_no == 1:
            notes += [c.text for c in self.flow.exercise.cautions]
        self.note.configure(text="\n".join(notes))
        hints = {"reps": "Space or click: +1 rep" + (" · P: pace" if self.flow.exercise.pace_s else ""),
                 "hold": "Hold and breathe · Space: done early", "cue": "Space: next"}
        self.hint.configure(text=hints.get(view.kind, "") + " · Esc: stop")
        self.next_button.configure(text={"reps": "+1 rep  (Space)", "hold": "Done  (Space)"}.get(view.kind, "Next  (Space)"))

    def _answer_buttons(self, answers: tuple[str, ...]) -> None:
        if getattr(self, "_shown_answers", None) == (self.flow.view(self.clock()).check_no, answers):
            return
        self._shown_answers = (self.flow.view(self.clock()).check_no, answers)
        for child in self.answer_row.winfo_children():
            child.destroy()
        for i, text in enumerate(answers):
            tk.Button(self.answer_row, text=f"{i + 1}   {text.capitalize()}", font=self.fonts["answer"], takefocus=0,
                      padx=28, pady=14, bg="white", activebackground=TRACK,
                      command=lambda i=i: self.answer(i)).pack(side="left", padx=(0, 20))

    def _resized(self, event: tk.Event) -> None:
        if event.widget is not self.root:
            return
        scale = max(0.55, min(event.width / 960, event.height / 640, 2.2))
        for name, base in (("title", 22), ("cue", 28), ("counter", 72), ("detail", 20), ("small", 15), ("button", 18), ("answer", 24)):
            self.fonts[name].configure(size=-round(base * 1.33 * scale))
        self.scale = scale
        self.cue.configure(wraplength=max(200, int(event.width * 6 / 11 - 80)))
        self.question.configure(wraplength=event.width - 80)
        self.note.configure(wraplength=event.width - 60)
        self.hint.configure(wraplength=max(150, event.width - 480 * scale))
        self.root.after_idle(self._fit_cue)

    def _fit_cue(self) -> None:
        """Shrink the cue's type until its wrapped lines fit above the counter (never below a floor)."""
        cue_font, text = self.fonts["cue"], self.cue.cget("text")
        width = int(self.cue.cget("wraplength"))
        room = self.body.winfo_height() - self.counter.winfo_reqheight() - self.detail.winfo_reqheight() - 24
        size = round(28 * 1.33 * getattr(self, "scale", 1.0))
        while True:
            cue_font.configure(size=-size)
            if size <= 16 or room <= 0 or _lines(text, cue_font, width) * cue_font.metrics("linespace") <= room:
                return
            size -= 2


def _lines(text: str, font: tkfont.Font, width: int) -> int:
    """How many lines ``text`` wraps to at ``width`` pixels in ``font``."""
    lines, current = 1, ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and font.measure(trial) > width:
            lines, current = lines + 1, word
        else:
            current = trial
    return lines
