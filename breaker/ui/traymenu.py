"""A popup menu for trays that have none (XEmbed), as its own process; prints the chosen key.

    python -m breaker.ui.traymenu --at X,Y [--avoid TOP,BOTTOM] --items JSON

``JSON`` is a list of ``{"key", "label", "enabled", "separator"}``. The menu pops up at screen point
(X, Y), above or below the rows TOP..BOTTOM (the tray icon) so that it never covers the icon; choosing an item prints its key and a newline on stdout and exits 0; closing the menu without a
choice (Escape, a click elsewhere, or ``--timeout`` seconds) prints nothing and exits 1.

Tk lives here and never in the daemon: Tk next to pystray's X thread in one process can deadlock.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m breaker.ui.traymenu", description="Tray popup menu.")
    parser.add_argument("--at", required=True, metavar="X,Y", help="screen point to pop up at")
    parser.add_argument("--avoid", metavar="TOP,BOTTOM", help="screen rows to keep clear (the icon)")
    parser.add_argument("--items", required=True, metavar="JSON", help="the menu entries")
    parser.add_argument("--timeout", type=float, default=60.0, metavar="S", help="give up after S seconds")
    return parser.parse_args(argv)


def place(menu: object, x: int, top: int, bottom: int) -> tuple[int, int]:
    """Where to post the menu: on screen, below the rows ``top..bottom`` if it fits there, else above."""
    menu.update_idletasks()  # type: ignore[attr-defined]
    width, height = menu.winfo_reqwidth(), menu.winfo_reqheight()  # type: ignore[attr-defined]
    screen_w, screen_h = menu.winfo_screenwidth(), menu.winfo_screenheight()  # type: ignore[attr-defined]
    left = max(0, min(x, screen_w - width))
    if bottom + 1 + height <= screen_h:
        return left, bottom + 1
    return left, max(0, top - height - 1)  # a bottom panel: open upwards


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    from breaker.i18n import setup

    setup()  # the labels come translated from the daemon; Tk's own texts follow the language too
    x, y = (int(part) for part in args.at.split(","))
    top, bottom = (int(part) for part in args.avoid.split(",")) if args.avoid else (y, y)
    items = json.loads(args.items)
    import tkinter as tk

    root = tk.Tk(className="BreakerTrayMenu")
    root.withdraw()
    chosen: list[str] = []

    def finish(key: str | None) -> None:
        if key is not None and not chosen:
            chosen.append(key)
            sys.stdout.write(key + "\n")
            sys.stdout.flush()
        root.after_idle(root.destroy)

    menu = tk.Menu(root, name="breaker-tray-menu", tearoff=0)
    for item in items:
        if item.get("separator") and menu.index("end") is not None:
            menu.add_separator()
        menu.add_command(
            label=item["label"],
            state="normal" if item.get("enabled", True) else "disabled",
            command=lambda key=item["key"]: finish(key),
        )
    # The menu unmaps before Tk runs the chosen command: wait a moment before calling it a cancel.
    menu.bind("<Unmap>", lambda _event: root.after(300, lambda: finish(None)))
    root.after(int(args.timeout * 1000), lambda: finish(None))
    menu.tk_popup(*place(menu, x, top, bottom))
    menu.focus_force()  # keyboard use even when the pointer is not over the menu (no WM gives focus)
    root.mainloop()
    return 0 if chosen else 1


if __name__ == "__main__":
    sys.exit(main())
