"""The guided-break window's layout: its widgets, and type that scales with the window (and so with the
screen's DPI, since the window opens at a DPI-scaled size) and re-fits on every resize."""

from __future__ import annotations

import tkinter as tk
from tkinter import font as tkfont
from typing import Any

from breaker.core.i18n import _
from breaker.ui.figure import INK, PAPER

ACCENT, MUTED, WARN, TRACK = "#2f7d6d", "#5d6b78", "#9a5b13", "#e4ded3"
BASE = (960, 640)  # the layout's design size at 96 dpi
SIZES = {"title": 22, "cue": 28, "counter": 72, "detail": 20, "small": 15, "button": 18, "answer": 24}


def _label(self: Any, parent: tk.Misc, font: str, fg: str = INK, **kw: Any) -> tk.Label:
    return tk.Label(parent, font=self.fonts[font], fg=fg, bg=PAPER, **kw)


def build(self: Any, root: tk.Tk) -> None:
    """Create the window's widgets as attributes of the guide window ``self``."""
    root.columnconfigure(0, weight=1)
    root.rowconfigure(2, weight=1)
    head = tk.Frame(root, bg=PAPER)
    head.grid(row=0, column=0, sticky="ew", padx=24, pady=(16, 4))
    head.columnconfigure(0, weight=1)
    self.title = _label(self, head, "title", anchor="w")
    self.title.grid(row=0, column=0, sticky="w")
    self.step_label = _label(self, head, "detail", MUTED, anchor="e")
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
    self.cue = _label(self, right, "cue", anchor="sw", justify="left")
    self.cue.grid(row=0, column=0, sticky="sew")
    self.counter = _label(self, right, "counter", ACCENT, anchor="w")
    self.counter.grid(row=1, column=0, sticky="w", pady=(12, 0))
    self.detail = _label(self, right, "detail", MUTED, anchor="w")
    self.detail.grid(row=2, column=0, sticky="nw")
    for widget in (self.canvas, self.counter, self.detail):
        widget.bind("<Button-1>", lambda _e: self.click())
    self.check = tk.Frame(root, bg=PAPER)  # the self-check (and the safety notice) replace the body
    self.check.columnconfigure(0, weight=1)
    self.check.rowconfigure(0, weight=1)
    self.check.rowconfigure(3, weight=2)
    self.question = _label(self, self.check, "cue", justify="left", anchor="w")
    self.question.grid(row=1, column=0, sticky="ew", pady=(0, 28))
    self.answer_row = tk.Frame(self.check, bg=PAPER)
    self.answer_row.grid(row=2, column=0, sticky="w")
    self.note = _label(self, root, "small", WARN, anchor="w", justify="left")
    self.note.grid(row=3, column=0, sticky="ew", padx=24)
    foot = tk.Frame(root, bg=PAPER)
    foot.grid(row=4, column=0, sticky="ew", padx=24, pady=(4, 16))
    foot.columnconfigure(0, weight=1)
    self.hint = _label(self, foot, "small", MUTED, anchor="w", justify="left")
    self.hint.grid(row=0, column=0, sticky="w")
    self.stop_button = tk.Button(foot, text=_("Stop  (Esc)"), font=self.fonts["button"], takefocus=0,
                                 command=lambda: self._counted(lambda: self.stop("escape")))
    self.stop_button.grid(row=0, column=1, padx=8)
    self.next_button = tk.Button(foot, text=_("Next  (Space)"), font=self.fonts["button"], takefocus=0, bg=ACCENT,
                                 fg="white", activebackground=ACCENT, command=lambda: self._counted(self.press))
    self.next_button.grid(row=0, column=2)


def resized(self: Any, event: tk.Event) -> None:
    """Every size change re-fits the type (up as well as down) and the wrapping."""
    if event.widget is not self.root:
        return
    self.scale = max(0.5, min(event.width / BASE[0], event.height / BASE[1], 4.5))
    for name, base in SIZES.items():
        self.fonts[name].configure(size=-round(base * 1.33 * self.scale))
    self.cue.configure(wraplength=max(200, int(event.width * 6 / 11 - 80 * self.scale)))
    self.question.configure(wraplength=event.width - round(80 * self.scale))
    self.note.configure(wraplength=event.width - round(60 * self.scale))
    fit_hint(self, event.width)
    self.root.after_idle(lambda: fit_cue(self))


def fit_hint(self: Any, width: int | None = None) -> None:
    """Wrap the key hint in the room the buttons beside it leave (their words differ by language)."""
    width = width or self.root.winfo_width()
    buttons = sum(b.winfo_reqwidth() + 16 for b in (self.stop_button, self.next_button) if b.winfo_manager())
    room = max(150, width - 48 - (buttons or round(480 * self.scale)) - round(12 * self.scale))
    if int(str(self.hint.cget("wraplength")) or 0) != room:
        self.hint.configure(wraplength=room)


def fit_cue(self: Any) -> None:
    """Shrink the cue's type until its wrapped lines fit above the counter (never below a floor)."""
    cue_font, text = self.fonts["cue"], self.cue.cget("text")
    width = int(str(self.cue.cget("wraplength")) or 0)
    room = self.body.winfo_height() - self.counter.winfo_reqheight() - self.detail.winfo_reqheight() - 24
    size = round(SIZES["cue"] * 1.33 * self.scale)
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
