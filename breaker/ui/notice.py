"""A small window that shows a line of text and a path the user can select and copy, as its own process.

    python -m breaker.ui.notice --title TITLE --text TEXT --path PATH

Used when no desktop handler can open a file (e.g. the settings file): the path is shown instead of
nothing happening. Closes with Close, Escape or the window manager; prints nothing.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m breaker.ui.notice", description=__doc__.splitlines()[0])
    parser.add_argument("--title", required=True)
    parser.add_argument("--text", required=True)
    parser.add_argument("--path", required=True)
    args = parser.parse_args(argv)
    from breaker.core.i18n import _
    from breaker.i18n import setup

    setup()
    import tkinter as tk

    try:
        root = tk.Tk(className="breaker-notice")
    except tk.TclError as err:
        print(f"breaker: {args.text} {args.path} ({err})", file=sys.stderr)
        return 1
    root.title(args.title)
    root.configure(padx=16, pady=12)
    tk.Label(root, text=args.text, anchor="w", justify="left").pack(fill="x")
    shown = tk.StringVar(value=args.path)
    entry = tk.Entry(root, textvariable=shown, width=min(max(len(args.path) + 2, 30), 90), state="readonly")
    entry.pack(fill="x", pady=8)
    entry.selection_range(0, "end")

    def copy() -> None:
        root.clipboard_clear()
        root.clipboard_append(args.path)

    row = tk.Frame(root)
    row.pack(fill="x")
    tk.Button(row, text=_("Close"), command=root.destroy).pack(side="right")
    tk.Button(row, text=_("Copy path"), command=copy).pack(side="right", padx=6)
    root.bind("<Escape>", lambda _e: root.destroy())
    root.mainloop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
