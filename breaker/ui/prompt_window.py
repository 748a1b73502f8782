"""breaker's own prompt window, for when no notification server shows prompts; its own process.

    python -m breaker.ui.prompt_window --title TEXT --body TEXT

A small always-on-top window in the screen's bottom-right corner, mapped without taking the keyboard
focus, with the prompt's text and Start / Snooze / Skip. Closing it is "dismiss". Reports one JSON line
on stdout, ``{"event": "answer", "action": "start|snooze|skip|dismiss"}``, then exits. A JSON line
``{"title": ..., "body": ...}`` on stdin replaces the text in place (a re-prompt); end of input or
SIGTERM closes it without an answer. ``{"event": "ready", "window": ID}`` is printed once it is shown.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections.abc import Sequence

from breaker.adapters.ports import action_labels
from breaker.core.i18n import _
from breaker.i18n import setup as setup_language
from breaker.ui.childio import emit

MARGIN = 24  # pixels from the screen's edges




class PromptWindow:
    """The window; ``run`` returns once it is answered or closed."""

    def __init__(self, title: str, body: str) -> None:
        import tkinter as tk

        from breaker.ui.nofocus import map_without_focus

        self.root = root = tk.Tk()
        root.withdraw()
        root.title(_("breaker: time for a break"))
        root.attributes("-topmost", True)
        root.resizable(False, False)
        frame = tk.Frame(root, padx=16, pady=12)
        frame.pack(fill="both", expand=True)
        self.title = tk.Label(frame, text=title, font=("TkDefaultFont", 12, "bold"), wraplength=380,
                              justify="left", anchor="w")
        self.title.pack(fill="x")
        self.body = tk.Label(frame, text=body, wraplength=380, justify="left", anchor="w")
        self.body.pack(fill="x", pady=(6, 10))
        row = tk.Frame(frame)
        row.pack(anchor="e")
        for action, label in action_labels().items():
            tk.Button(row, text=label, width=max(8, len(label)), command=lambda a=action: self.answer(a)).pack(
                side="left", padx=3)
        root.protocol("WM_DELETE_WINDOW", lambda: self.answer("dismiss"))
        root.update_idletasks()
        width, height = root.winfo_reqwidth(), root.winfo_reqheight()
        x = root.winfo_screenwidth() - width - MARGIN
        y = root.winfo_screenheight() - height - MARGIN * 2
        root.geometry(f"+{x}+{y}")
        map_without_focus(root)
        root.update_idletasks()
        emit({"event": "ready", "window": int(root.wm_frame(), 16)})
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in sys.stdin:
            try:
                text = json.loads(line)
                title, body = str(text["title"]), str(text["body"])
            except (ValueError, KeyError, TypeError):
                continue
            self.root.after(0, lambda t=title, b=body: self._replace(t, b))
        self.root.after(0, self.root.destroy)  # the daemon went away or closed the prompt

    def _replace(self, title: str, body: str) -> None:
        self.title.configure(text=title)
        self.body.configure(text=body)

    def answer(self, action: str) -> None:
        emit({"event": "answer", "action": action})
        self.root.destroy()

    def run(self) -> None:
        self.root.mainloop()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m breaker.ui.prompt_window", description="A break prompt.")
    parser.add_argument("--title", required=True)
    parser.add_argument("--body", default="")
    args = parser.parse_args(argv)
    setup_language()
    import tkinter

    try:
        window = PromptWindow(args.title, args.body)
    except tkinter.TclError as err:
        message = _("cannot open the prompt window: {reason}").format(reason=err)
        emit({"event": "error", "message": message})
        print(f"breaker: {message}", file=sys.stderr)
        return 2
    window.run()  # SIGTERM (the daemon closing the prompt) ends the process: nothing to save
    return 0


if __name__ == "__main__":
    sys.exit(main())
