"""The status window: the current bout, the next prompt, Pause, Break now and This week.

The way in where there is no tray (GNOME without the AppIndicator extension): the application entry
runs ``breaker status --window``, which runs this as its own process:
``python -m breaker.ui.status_window [--config FILE] [--db FILE]``. It talks to the daemon over the
control socket and starts ``breaker run`` when none answers. Keys: p = Pause/Resume, b = Break now,
w = This week, Escape/q = close. Reports to its parent as JSON lines on stdout:
{"event": "shown"}, {"event": "daemon-started"}, {"event": "sent", "cmd": ...}, {"event": "closed"}.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tkinter as tk
from pathlib import Path
from typing import Any

from breaker import i18n, ipc
from breaker.core.errors import UserError
from breaker.core.i18n import _
from breaker.icons import icon_path
from breaker.timefmt import human_duration

TITLE = "breaker"
PAPER, INK, SOFT, ACCENT = "#f7f5f0", "#1d2430", "#5b6472", "#2e7d4f"
REFRESH_MS = 1000
START_WAIT_S = 20  # a daemon that has not answered after this long is reported as not starting
PAUSE_SPEC = "30m"
MAX_STARTS = 5


def describe(status: dict[str, Any]) -> tuple[str, str]:
    """(headline, detail) for a status from the daemon: the bout, then the next prompt or why it waits."""
    if status.get("in_break"):
        return _("A guided break is running"), _("Finish it in its window.")
    sitting = status.get("sitting")
    headline = (_("Sitting for {duration}").format(duration=human_duration(status.get("sitting_s") or 0))
                if sitting else _("Not sitting right now"))
    if status.get("paused"):
        until = status.get("paused_until")
        return headline, _("Prompts paused until {time}.").format(time=_clock(until)) if until else _("Prompts paused.")
    if status.get("open_prompt"):
        exercise = status["open_prompt"]["exercise"].replace("_", " ")
        return headline, _("Time for a break: {exercise}.").format(exercise=exercise)
    waiting = status.get("waiting_because") or []
    if sitting and waiting:
        reasons = ", ".join(_(reason) for reason in waiting)  # the daemon's hold words, marked in core.models
        return headline, _("The next prompt waits: {reasons}.").format(reasons=reasons)
    if sitting and status.get("next_prompt_in_s") is not None:
        return headline, _("Next break prompt in {duration}.").format(duration=human_duration(status["next_prompt_in_s"]))
    return headline, _("A bout starts with your next input.")


def _clock(iso: str) -> str:
    from datetime import datetime

    try:
        return i18n.clock(datetime.fromisoformat(iso).astimezone())
    except ValueError:
        return iso


class StatusWindow:
    """One small Tk window that polls the daemon once a second."""

    def __init__(self, root: tk.Tk, daemon_argv: list[str], report_argv: list[str]) -> None:
        self.root, self.daemon_argv, self.report_argv = root, daemon_argv, report_argv
        self.status: dict[str, Any] | None = None
        self.starting: subprocess.Popen[bytes] | None = None
        self.answered = False  # whether a daemon answered since the last start
        self.waited = self.starts = 0
        root.title(TITLE)
        root.configure(background=PAPER, padx="13p", pady="10p")  # points: scales with the dpi
        root.resizable(False, False)
        self.headline = tk.Label(root, font=("DejaVu Sans", 15, "bold"), background=PAPER, foreground=INK,
                                 anchor="w", width=26)
        self.headline.pack(fill="x")
        self.detail = tk.Label(root, font=("DejaVu Sans", 10), background=PAPER, foreground=SOFT, anchor="w",
                               justify="left", wraplength=1)
        self.detail.pack(fill="x", pady=("1p", "8p"))
        self.detail.bind("<Configure>", lambda e: self.detail.configure(wraplength=max(e.width, 1)))
        row = tk.Frame(root, background=PAPER)
        row.pack(fill="x")
        font = ("DejaVu Sans", 10)
        # Translators: the status window's buttons; short (three sit in a row of a small window).
        self.pause_button = tk.Button(row, text=_("Pause 30 min"), font=font, command=self.toggle_pause)
        self.break_button = tk.Button(row, text=_("Break now"), font=font, command=self.break_now,
                                      background=ACCENT, foreground="white", activebackground=ACCENT,
                                      activeforeground="white")
        self.week_button = tk.Button(row, text=_("This week"), font=font, command=self.show_week)
        for button in (self.break_button, self.pause_button, self.week_button):
            button.pack(side="left", padx=(0, "6p"))
        for keys, action in ((("p",), self.toggle_pause), (("b",), self.break_now), (("w",), self.show_week),
                             (("<Escape>", "q"), self.close)):
            for key in keys:
                root.bind(key, lambda _e, act=action: act())
        root.protocol("WM_DELETE_WINDOW", self.close)
        self.refresh()

    # -- what the buttons do -----------------------------------------------------------------------------

    def toggle_pause(self) -> None:
        if self.status is not None and self.status.get("paused"):
            self._send("resume")
        else:
            self._send("pause", spec=PAUSE_SPEC)

    def break_now(self) -> None:
        self._send("break")

    def show_week(self) -> None:
        argv = list(self.report_argv)
        if self.status and self.status.get("db"):
            argv += ["--db", self.status["db"]]
        subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        emit("sent", cmd="week")

    def close(self) -> None:
        emit("closed")
        self.root.destroy()

    def _send(self, cmd: str, **args: Any) -> None:
        try:
            self._show(ipc.call(cmd, args, timeout=5))
            emit("sent", cmd=cmd)
        except UserError as err:
            self.detail.configure(text=str(err))

    # -- keeping the window current ------------------------------------------------------------------

    def refresh(self) -> None:
        try:
            self._show(ipc.call("status", timeout=2))
        except UserError as err:
            self._not_running(str(err))
        except (OSError, ValueError) as err:  # a daemon in the middle of stopping
            self._not_running(_("no answer from breaker: {reason}").format(reason=err))
        self.root.after(REFRESH_MS, self.refresh)

    def _not_running(self, why: str) -> None:
        self.status = None
        for button in (self.pause_button, self.break_button):
            button.configure(state="disabled")
        # Start one when none answers, unless the one we started is still coming up or said why it cannot
        # run; one that was killed is started again (at most MAX_STARTS times: no start loop).
        gone = self.starting is not None and self.starting.poll() is not None
        if self.starts < MAX_STARTS and (self.starting is None or (gone and (self.answered or not start_error()))):
            self.starting, self.answered, self.waited = start_daemon(self.daemon_argv), False, 0
            self.starts += 1
            emit("daemon-started")
        self.waited += 1
        failed = self.starting is not None and self.starting.poll() is not None and self.starting.returncode != 0
        if failed or self.waited > START_WAIT_S:
            reason = start_error() or why
            self.headline.configure(text=_("breaker is not running"))
            self.detail.configure(text=_("{reason} (see breaker doctor)").format(reason=reason))
        else:
            self.headline.configure(text=_("Starting breaker…"))
            self.detail.configure(text=_("Tracking begins as soon as it runs."))

    def _show(self, status: dict[str, Any]) -> None:
        self.status, self.waited, self.answered = status, 0, True
        headline, detail = describe(status)
        self.headline.configure(text=headline)
        self.detail.configure(text=detail)
        busy = bool(status.get("in_break"))
        self.break_button.configure(state="disabled" if busy else "normal")
        self.pause_button.configure(state="normal", text=_("Resume") if status.get("paused") else _("Pause 30 min"))


def _error_file() -> Path:
    return ipc.runtime_dir() / "status-window-start.err"


def start_daemon(argv: list[str]) -> subprocess.Popen[bytes]:
    """Start ``breaker run`` on its own (a new session: closing the window does not stop it)."""
    with _error_file().open("wb") as err:
        return subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                                start_new_session=True)


def start_error() -> str:
    """The first line the daemon wrote to stderr when it failed to start ('' if none)."""
    try:
        lines = _error_file().read_text(errors="replace").strip().splitlines()
    except OSError:
        return ""
    return lines[-1].removeprefix("breaker: ") if lines else ""


def emit(event: str, **fields: str) -> None:
    """One JSON line to the parent process (nobody may listen: the app entry starts us without one)."""
    try:
        print(json.dumps({"event": event, **fields}), flush=True)
    except (OSError, ValueError):
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m breaker.ui.status_window", description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, metavar="FILE")
    parser.add_argument("--config", type=Path, metavar="FILE")
    args = parser.parse_args(argv)
    i18n.setup()
    extra: list[str] = []
    for name in ("config", "db"):
        if getattr(args, name):
            extra += [f"--{name}", str(getattr(args, name))]
    daemon_argv = [sys.executable, "-m", "breaker", "run", *extra]
    report_argv = [sys.executable, "-m", "breaker.ui.report"]
    if args.config:
        report_argv += ["--config", str(args.config)]
    try:
        root = tk.Tk(className="breaker")
    except tk.TclError as err:
        print("breaker: " + _("cannot open the status window: {reason}").format(reason=err), file=sys.stderr)
        return 1
    try:
        root.iconphoto(True, tk.PhotoImage(file=str(icon_path(64))))  # the dash and Alt+Tab show breaker's icon
    except tk.TclError:
        pass
    StatusWindow(root, daemon_argv, report_argv)
    root.after_idle(lambda: emit("shown"))
    root.mainloop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
