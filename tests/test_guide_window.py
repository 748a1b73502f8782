"""The real guided-break window under Xvfb, driven by xdotool key presses and clicks; its JSON lines asserted."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from breaker.store.coach_state import NOTICE_KEY
from breaker.store.storage import Storage
from tests.desktop import XDisplay

ROOT = Path(__file__).resolve().parent.parent
TITLE = "^breaker: "


class Guide:
    """One ``python -m breaker.ui.guide`` process and the report lines it has written so far."""

    def __init__(self, display: XDisplay, *args: str, notice_seen: bool = True) -> None:
        self.display = display
        env = {**display.env, "PYTHONPATH": str(ROOT)}
        if notice_seen:  # the one-time safety notice was already shown in an earlier break
            storage = Storage.open()
            with storage.transaction():
                storage.set_state(NOTICE_KEY, "2026-11-30")
            storage.close()
        self.proc = subprocess.Popen([sys.executable, "-m", "breaker.ui.guide", *args], cwd=ROOT, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue[dict[str, Any]] = queue.Queue()
        self.events: list[dict[str, Any]] = []
        self.errors: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=lambda: self.errors.extend(self.proc.stderr or ()), daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(json.loads(line))

    def wait_for(self, kind: str, timeout: float = 10.0, **fields: object) -> dict[str, Any]:
        """Collect report lines until one of ``kind`` (with these field values) arrives."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                event = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no {kind} {fields} within {timeout}s; got {self.events}; "
                                     f"exit {self.proc.poll()}; stderr {''.join(self.errors)[-2000:]}") from None
            self.events.append(event)
            if event["event"] == kind and all(event.get(k) == v for k, v in fields.items()):
                return event

    def window(self) -> int:
        return self.display.wait_window(TITLE)

    def finish(self, timeout: float = 10.0) -> int:
        code = self.proc.wait(timeout=timeout)
        while not self.lines.empty():
            self.events.append(self.lines.get())
        return code

    def kinds(self, settle: float = 0.0) -> list[str]:
        """The kinds of every line so far (after waiting ``settle`` seconds for stragglers)."""
        time.sleep(settle)
        while not self.lines.empty():
            self.events.append(self.lines.get())
        return [e["event"] for e in self.events]

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def guide(xdisplay: XDisplay):  # type: ignore[no-untyped-def]
    started: list[Guide] = []

    def start(*args: str, notice_seen: bool = True, pace: str = "manual") -> Guide:
        g = Guide(xdisplay, *args, "--pace", pace, "--no-sound", "--end-seconds", "0.5", notice_seen=notice_seen)
        started.append(g)
        return g

    yield start
    for g in started:
        g.close()


def test_full_wall_drill_set_to_completed(xdisplay: XDisplay, guide) -> None:  # type: ignore[no-untyped-def]
    g = guide("--exercise", "wall-hinge", "--level", "2")
    assert g.wait_for("started") == {"event": "started", "exercise": "wall-hinge", "name": "Wall hip hinge drill",
                                     "level": 2, "steps": 3, "auto": False}
    win = g.window()
    xdisplay.focus(win)
    xdisplay.key("space")
    g.wait_for("step", step=2)
    xdisplay.key("Return")
    step = g.wait_for("step", step=3)
    assert step["kind"] == "reps" and step["reps"] == 15 and step["reps_max"] == 20
    xdisplay.key(*["space"] * 10)
    g.wait_for("rep", count=10)
    for _ in range(7):  # a click on the figure counts a rep too
        xdisplay.click(win, 200, 300)
    g.wait_for("rep", count=17)
    xdisplay.key("Return")  # 15 to 20 is a set: Enter ends it at 17
    for answer in ("1", "1", "1"):  # hips reached the wall: yes; back stayed flat: yes; this set: easy
        xdisplay.key(answer)
    done = g.wait_for("completed")
    assert g.finish() == 0
    assert done["answers"] == {"sit_back": "yes", "back": "yes", "level": "easy", "reps": "17"}
    assert done["reps"] == 17 and done["level"] == 2
    reps = [e["count"] for e in g.events if e["event"] == "rep"]
    assert reps == list(range(1, 18))
    assert [e["step"] for e in g.events if e["event"] == "step"] == [1, 2, 3]
    assert g.kinds()[-4:] == ["check", "check", "check", "completed"]


def test_stretch_holds_each_side_for_the_given_time(xdisplay: XDisplay, guide) -> None:  # type: ignore[no-untyped-def]
    g = guide("--exercise", "hamstring", "--hold-seconds", "1.2", "--switch-seconds", "0.5")
    g.wait_for("started")
    xdisplay.focus(g.window())
    xdisplay.key("space")
    began = time.monotonic()
    left = g.wait_for("step", step=2, side="left")
    assert left["kind"] == "hold" and left["hold_s"] == 1.2
    held_left = g.wait_for("hold", side="left")
    g.wait_for("step", step=2, side="right")
    held_right = g.wait_for("hold", side="right")
    elapsed = time.monotonic() - began
    for held in (held_left, held_right):  # the clock ran out by itself: nobody pressed a key
        assert held["early"] is False and held["held_s"] == pytest.approx(1.2, abs=0.05)
    assert 2.4 <= elapsed < 6, elapsed  # two holds, each after a short get-ready pause
    xdisplay.key("2")  # "How did that feel?" -> "tight"
    done = g.wait_for("completed")
    assert done["answers"] == {"feel": "tight"}
    assert g.finish() == 0


def test_space_ends_a_hold_early(xdisplay: XDisplay, guide) -> None:  # type: ignore[no-untyped-def]
    g = guide("--exercise", "glute", "--hold-seconds", "30")
    g.wait_for("started")
    xdisplay.focus(g.window())
    xdisplay.key("space")
    g.wait_for("step", step=2, side="left")
    xdisplay.key("space")
    assert g.wait_for("hold", side="left")["early"] is True
    xdisplay.key("space")
    g.wait_for("hold", side="right")
    xdisplay.key("Escape")  # Esc at the self-check skips it: the movement itself was done
    assert g.wait_for("completed")["answers"] == {}
    assert g.finish() == 0


def _send_delete_window(display: XDisplay, window: int) -> None:
    """What a window manager does when the user clicks the close button: a WM_DELETE_WINDOW message."""
    from Xlib import X
    from Xlib import display as xdisplay_mod
    from Xlib.protocol import event

    conn = xdisplay_mod.Display(display.name)
    try:
        target = conn.create_resource_object("window", window)
        # a window manager sends it to the client's top-level window, the one carrying WM_PROTOCOLS;
        # a title search may find Tk's inner window instead, which ignores the message
        protocols, root = conn.intern_atom("WM_PROTOCOLS"), conn.screen().root
        while target.get_full_property(protocols, X.AnyPropertyType) is None:
            parent = target.query_tree().parent
            if parent is None or parent.id in (0, root.id):
                break
            target = parent
        message = event.ClientMessage(window=target, client_type=conn.intern_atom("WM_PROTOCOLS"),
                                      data=(32, [conn.intern_atom("WM_DELETE_WINDOW"), X.CurrentTime, 0, 0, 0]))
        target.send_event(message, event_mask=X.NoEventMask)
        # a round trip before closing: Xvfb may drop a request still unread when its client hangs up
        # (a flush and close lost the message in about 1 run in 4: the old "first close is ignored")
        conn.sync()
    finally:
        conn.close()


def test_closing_the_window_abandons(xdisplay: XDisplay, guide) -> None:  # type: ignore[no-untyped-def]
    g = guide("--exercise", "wall-hinge")
    g.wait_for("started")
    win = g.window()
    xdisplay.focus(win)
    # Space: past the two cues, then two reps; one key at a time, again only if the window did not take it
    for kind, fields in (("step", {"step": 2}), ("step", {"step": 3}), ("rep", {"count": 1}), ("rep", {"count": 2})):
        for _ in range(4):
            xdisplay.key("space")
            try:
                g.wait_for(kind, timeout=3, **fields)
                break
            except AssertionError:
                xdisplay.focus(win)
        else:
            raise AssertionError(f"the window never reported {kind} {fields}")
    _send_delete_window(xdisplay, win)  # the close button of any window manager: one click must do
    end = g.wait_for("abandoned", timeout=10)
    assert g.finish() == 1
    assert end["reason"] == "closed" and end["step"] == 3 and end["reps"] == 2
    assert "completed" not in g.kinds()


def test_window_destroyed_from_outside_counts_as_abandoned(xdisplay: XDisplay) -> None:
    """``xdotool windowclose`` destroys the window under Tk's feet. Tk may exit on the X error before it
    can report; ``breaker break`` (like the daemon) counts a window that ends without a result as abandoned."""
    env = {**xdisplay.env, "PYTHONPATH": str(ROOT)}
    cli = subprocess.Popen([sys.executable, "-m", "breaker", "break", "--exercise", "glute", "--json"], cwd=ROOT,
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        win = xdisplay.wait_window(TITLE)
        time.sleep(0.3)
        xdisplay.xdotool("windowclose", str(win))
        out, err = cli.communicate(timeout=15)
    finally:
        cli.kill()
    lines = [json.loads(line) for line in out.splitlines()]
    assert cli.returncode == 1, err
    assert lines[0]["event"] in ("notice", "started") and lines[-1]["event"] == "abandoned"
    assert not any(e["event"] == "completed" for e in lines)


def test_escape_stops_and_abandons(xdisplay: XDisplay, guide) -> None:  # type: ignore[no-untyped-def]
    g = guide("--exercise", "hinge")
    g.wait_for("started")
    xdisplay.focus(g.window())
    xdisplay.key("space", "Escape")
    end = g.wait_for("abandoned")
    assert end["reason"] == "escape" and end["step"] == 2
    assert g.finish() == 1


def _editor(xdisplay: XDisplay, typed: Path) -> subprocess.Popen:  # type: ignore[type-arg]
    """Another app with a text field that has the keyboard, writing what it got on Return."""
    code = (
        "import sys, tkinter as tk\n"
        "r = tk.Tk(); r.title('someone-typing'); r.geometry('300x100+900+600')\n"
        "e = tk.Entry(r); e.pack(); e.focus_set()\n"
        "r.bind('<Return>', lambda _: (open(sys.argv[1], 'w').write(e.get()), r.destroy()))\n"
        "r.mainloop()\n"
    )
    return subprocess.Popen([sys.executable, "-c", code, str(typed)], env=xdisplay.env)


def test_opened_by_start_it_takes_the_keyboard(xdisplay: XDisplay, guide, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    editor = _editor(xdisplay, tmp_path / "typed.txt")
    try:
        other = xdisplay.wait_window("^someone-typing$")
        xdisplay.focus(other)
        g = guide("--exercise", "hinge")  # the user pressed Start: the break opens
        g.wait_for("started")
        win = g.window()
        deadline = time.monotonic() + 5
        while xdisplay.focused() != win and time.monotonic() < deadline:
            time.sleep(0.05)
        assert xdisplay.focused() == win
        xdisplay.key("space")  # Space goes to the break, not into the other app's text
        g.wait_for("step", step=2)
    finally:
        editor.kill()
        editor.wait()
    assert not (tmp_path / "typed.txt").exists()


def test_a_click_that_only_focuses_the_window_counts_nothing(xdisplay: XDisplay, guide, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    g = guide("--exercise", "wall-hinge")
    g.wait_for("started")
    win = g.window()
    xdisplay.focus(win)
    xdisplay.key("space", "space")
    g.wait_for("step", step=3)
    editor = _editor(xdisplay, tmp_path / "typed.txt")
    try:
        other = xdisplay.wait_window("^someone-typing$")
        xdisplay.focus(other)  # the user went back to typing elsewhere
        x, y, width, height = xdisplay.geometry(win)
        xdisplay.click(win, width // 4, height // 2)  # this click brings the break back: no rep
        assert g.kinds(settle=0.5).count("rep") == 0
        assert xdisplay.focused() == win
        xdisplay.click(win, width // 4, height // 2)  # now a click on the figure counts
        assert g.wait_for("rep", count=1)
    finally:
        editor.kill()
        editor.wait()


def test_the_safety_notice_comes_once_before_the_first_break(xdisplay: XDisplay, guide) -> None:  # type: ignore[no-untyped-def]
    g = guide("--exercise", "hinge", notice_seen=False)
    assert g.wait_for("notice") == {"event": "notice", "id": "safety"}
    xdisplay.focus(g.window())
    time.sleep(0.3)
    assert g.kinds() == ["notice"]  # the break waits until it has been read
    xdisplay.key("space")
    g.wait_for("started")
    xdisplay.key("Escape")
    g.wait_for("abandoned")
    g.finish()
    again = guide("--exercise", "hinge", notice_seen=False)  # the same database: recorded, not shown again
    again.wait_for("started")
    assert "notice" not in again.kinds()


def test_the_break_runs_itself_without_a_key(xdisplay: XDisplay, guide) -> None:  # type: ignore[no-untyped-def]
    g = guide("--exercise", "move", "--hold-seconds", "1", "--ready-seconds", "0", pace="auto")
    g.wait_for("started")
    g.wait_for("hold", timeout=30, step=3)  # nobody touched a key: the walk and the reach ran by themselves
    xdisplay.focus(g.window())
    xdisplay.key("1")  # the self-check: fine
    assert g.wait_for("completed")["answers"] == {"feel": "fine"}
    assert g.finish() == 0
    assert [e["step"] for e in g.events if e["event"] == "step"] == [1, 2, 3]


def test_resizing_keeps_it_working(xdisplay: XDisplay, guide) -> None:  # type: ignore[no-untyped-def]
    g = guide("--exercise", "wall-hinge")
    g.wait_for("started")
    win = g.window()
    xdisplay.xdotool("windowsize", "--sync", str(win), "560", "400")
    assert xdisplay.geometry(win)[2:] == (560, 400)
    xdisplay.focus(win)
    xdisplay.key("space", "space", "space")
    g.wait_for("rep", count=1)
    xdisplay.xdotool("windowsize", "--sync", str(win), "1200", "780")
    xdisplay.key("space")
    g.wait_for("rep", count=2)
    xdisplay.key("Escape")
    g.wait_for("abandoned")
    assert g.finish() == 1


def test_unknown_exercise_is_a_one_line_error_without_a_window() -> None:
    done = subprocess.run([sys.executable, "-m", "breaker.ui.guide", "--exercise", "nope"], cwd=ROOT,
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert json.loads(done.stdout)["event"] == "error"
    assert done.stderr.strip().startswith("breaker: --exercise nope: unknown exercise")
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_locked_database_does_not_hold_up_the_break(xdisplay: XDisplay, guide, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    db = tmp_path / "locked.db"
    Storage.open(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # the daemon (or anything) holds the write lock
    try:
        began = time.monotonic()
        g = guide("--exercise", "hinge", "--db", str(db), notice_seen=False)
        g.wait_for("started", timeout=8)
        assert time.monotonic() - began < 6  # not the 10 s busy timeout, and no notice it could not record
        assert "notice" not in g.kinds()
        xdisplay.focus(g.window())
        xdisplay.key("Escape")
        g.wait_for("abandoned")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
