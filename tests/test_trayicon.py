"""The drawn tray icon: size, progress, warning colour, paused and in-break looks; menu dispatch."""

from __future__ import annotations

import pytest

from breaker.adapters.ports import TrayView
from breaker.adapters.trayicon import RED, appearance, draw_icon, to_argb32
from breaker.adapters.trayitems import KEYS, MENU, dispatch, enabled


def pixels(view: TrayView, size: int = 32) -> bytes:
    return draw_icon(view, size).tobytes()


@pytest.mark.parametrize("size", [16, 22, 24, 32, 48, 64])
def test_drawn_at_the_size_asked(size: int) -> None:
    image = draw_icon(TrayView(0.5, ""), size)
    assert image.size == (size, size) and image.mode == "RGBA"
    assert image.getpixel((0, 0))[3] == 0  # transparent corners: round on any panel
    assert image.getpixel((size // 2, size // 2))[3] > 0


def test_different_fractions_draw_different_rings() -> None:
    drawn = {pixels(TrayView(f, "")) for f in (0.0, 0.25, 0.5, 0.75, 0.95)}
    assert len(drawn) == 5


def test_the_tooltip_does_not_change_the_pixels() -> None:
    assert pixels(TrayView(0.3, "a")) == pixels(TrayView(0.3, "b"))


def reddish(pixel: tuple[int, ...]) -> bool:
    r, g, b, a = pixel
    return a > 200 and r > 180 and g < 90 and b < 90


def test_over_the_limit_turns_the_whole_ring_red() -> None:
    image = draw_icon(TrayView(1.3, ""), 64)
    top, left, bottom = image.getpixel((32, 3)), image.getpixel((3, 32)), image.getpixel((32, 60))
    assert all(reddish(p) for p in (top, left, bottom))
    assert reddish(image.getpixel((32, 32)))  # the centre dot
    below = draw_icon(TrayView(0.5, ""), 64)
    assert not reddish(below.getpixel((3, 32))) and not reddish(below.getpixel((32, 3)))
    assert RED[:3] == (214, 48, 49)


def test_paused_and_in_break_look_different_from_sitting_and_each_other() -> None:
    sitting, paused = pixels(TrayView(0.5, "")), pixels(TrayView(0.5, "", paused=True))
    in_break = pixels(TrayView(0.5, "", in_break=True))
    assert len({sitting, paused, in_break}) == 3


def test_appearance_changes_exactly_when_the_look_does() -> None:
    assert appearance(TrayView(0.500, "x")) == appearance(TrayView(0.501, "y"))
    assert appearance(TrayView(0.5, "")) != appearance(TrayView(0.6, ""))
    assert appearance(TrayView(0.5, "")) != appearance(TrayView(0.5, "", paused=True))


def test_argb32_is_network_order() -> None:
    data = to_argb32(draw_icon(TrayView(1.5, ""), 16))
    assert len(data) == 16 * 16 * 4
    centre = (8 * 16 + 8) * 4
    a, r, g, b = data[centre:centre + 4]
    assert a > 200 and r > g and r > b


class Calls:
    def __init__(self) -> None:
        self.calls: list[tuple[str, ...]] = []

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return lambda *args: self.calls.append((name, *args))


def test_every_menu_item_dispatches_to_its_action() -> None:
    expected = {
        "break": ("start_break",), "snooze": ("snooze",), "pause:30m": ("pause", "30m"),
        "pause:1h": ("pause", "1h"), "pause:tomorrow": ("pause", "tomorrow"), "resume": ("resume",),
        "week": ("show_week",), "settings": ("open_settings",), "quit": ("quit",),
    }
    assert set(expected) == KEYS and len(MENU) == 9
    for key, call in expected.items():
        actions = Calls()
        assert dispatch(actions, key)  # type: ignore[arg-type]
        assert actions.calls == [call]
    assert not dispatch(Calls(), "nonsense")  # type: ignore[arg-type]


def test_resume_is_offered_only_while_paused() -> None:
    assert not enabled("resume", TrayView(0.2, "")) and enabled("resume", TrayView(0.2, "", paused=True))
