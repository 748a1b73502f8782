"""The drawn tray icon: size, progress, warning colour, paused and in-break looks; menu dispatch."""

from __future__ import annotations

import pytest

from breaker.adapters.ports import TrayView
from breaker.adapters.trayicon import OVER, SLATE, appearance, draw_icon, to_argb32
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


def near(pixel: tuple[int, ...], colour: tuple[int, ...], slack: int = 40) -> bool:
    return pixel[3] > 200 and all(abs(p - c) <= slack for p, c in zip(pixel[:3], colour[:3], strict=True))


RING = ((32, 6), (6, 32), (32, 58), (58, 32))  # top, left, bottom, right on the 64 px ring


def test_over_the_limit_is_a_whole_orange_ring_with_an_arrow_not_a_recording_dot() -> None:
    from breaker.ui.shapes import OVER as CHART_OVER

    image = draw_icon(TrayView(1.3, ""), 64)
    assert all(near(image.getpixel(p), OVER, 12) for p in RING)
    assert "#%02x%02x%02x" % OVER[:3] == CHART_OVER  # one colour for "over the limit", chart and tray
    centre = image.getpixel((32, 32))
    assert min(centre[:3]) > 220  # white: the stem of the "stand up" arrow
    assert not any(near(image.getpixel((32 + dx, 32)), OVER, 60) for dx in (-6, 0, 6))  # no red dot
    below = draw_icon(TrayView(0.5, ""), 64)
    assert not near(below.getpixel((6, 32)), OVER, 12) and not near(below.getpixel((32, 6)), OVER, 12)


def test_paused_is_a_whole_ring_not_a_broken_one() -> None:
    image = draw_icon(TrayView(0.3, "", paused=True), 64)
    assert all(near(image.getpixel(p), SLATE, 12) for p in RING)
    assert draw_icon(TrayView(0.9, "", paused=True), 64).tobytes() == image.tobytes()


def luminance(rgb: tuple[int, ...]) -> float:
    r, g, b = ((c / 255) / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("panel", [(36, 31, 49), (0, 0, 0), (246, 245, 244), (255, 255, 255)])
@pytest.mark.parametrize("size", [16, 22, 48])
def test_the_nearly_empty_ring_stands_out_on_dark_and_light_panels(panel: tuple[int, int, int], size: int) -> None:
    from PIL import Image

    shown = Image.new("RGBA", (size, size), (*panel, 255))
    shown.alpha_composite(draw_icon(TrayView(0.02, ""), size))
    bg = luminance(panel)
    flat = shown.tobytes()  # RGBA bytes: Image.getdata is deprecated in Pillow 12.1 (get_flattened_data is new)
    every = [tuple(flat[i:i + 4]) for i in range(0, len(flat), 4)]
    assert len(every) == size * size
    ratios = [(max(luminance(p), bg) + 0.05) / (min(luminance(p), bg) + 0.05) for p in every]
    assert sum(r >= 3.0 for r in ratios) >= size * size * 0.2  # a clear shape, not a faint smudge


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
    ring = (2 * 16 + 8) * 4  # the top of the ring: orange
    a, r, g, b = data[ring:ring + 4]
    assert a > 200 and r > g > b


class Calls:
    def __init__(self) -> None:
        self.calls: list[tuple[str, ...]] = []

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return lambda *args: self.calls.append((name, *args))


def test_every_menu_item_dispatches_to_its_action() -> None:
    expected = {
        "break": ("start_break",), "snooze": ("snooze",), "skip": ("skip",), "pause:30m": ("pause", "30m"),
        "pause:1h": ("pause", "1h"), "pause:tomorrow": ("pause", "tomorrow"), "resume": ("resume",),
        "week": ("show_week",), "settings": ("open_settings",), "quit": ("quit",),
    }
    assert set(expected) | {"status"} == KEYS and len(MENU) == 11
    for key, call in expected.items():
        actions = Calls()
        assert dispatch(actions, key)  # type: ignore[arg-type]
        assert actions.calls == [call]
    assert not dispatch(Calls(), "nonsense")  # type: ignore[arg-type]


def test_resume_is_offered_only_while_paused() -> None:
    assert not enabled("resume", TrayView(0.2, "")) and enabled("resume", TrayView(0.2, "", paused=True))


def test_the_first_line_tells_the_bout_and_snooze_and_skip_name_what_they_do() -> None:
    from breaker.adapters.trayitems import label

    view = TrayView(0.5, "Sitting 23 min · next break in 22 min", snooze_s=600)
    assert MENU[0].key == "status" and label("status", view) == "Sitting 23 min · next break in 22 min"
    assert not enabled("status", view)
    assert label("snooze", view) == "Snooze 10 min" and label("skip", view) == "Skip this break"
    assert not enabled("snooze", view) and not enabled("skip", view)  # no prompt open: nothing to answer
    asked = TrayView(1.0, "Sitting 45 min · time for a break", prompt_open=True, snooze_s=300)
    assert enabled("snooze", asked) and enabled("skip", asked) and label("snooze", asked) == "Snooze 5 min"
    assert label("snooze", TrayView(0.1, "")) == "Snooze"


def test_tray_view_carries_the_prompt_and_the_snooze_length() -> None:
    from datetime import UTC, datetime, timedelta

    from breaker.config import Config
    from breaker.core.models import Rules, Status
    from breaker.daemon.views import tray_view

    at = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    config = Config(rules=Rules(snooze=timedelta(minutes=7)))
    status = Status(at=at, bout_start=at - timedelta(minutes=50), sitting=timedelta(minutes=50), input_active=True,
                    locked=False, suspended=False, open_prompt=3, next_prompt=None)
    view = tray_view(status, config)
    assert view.prompt_open and view.snooze_s == 420 and view.tooltip == "Sitting 50 min · time for a break"


def test_the_tooltip_changes_at_most_once_a_minute() -> None:
    """Ticks every 30 s (and every 7 s) over a bout with a snooze due at an odd second: the tooltip counts whole
    minutes from one minute, so it changes once a minute at most, and sitting + next break add up to the due time."""
    from datetime import UTC, datetime, timedelta

    from breaker.config import Config
    from breaker.core.models import Status
    from breaker.daemon.views import tray_view

    start = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    due = start + timedelta(minutes=12, seconds=17)
    for step in (30, 7):
        seen: list[tuple[int, str]] = []
        for t in range(0, 12 * 60, step):
            now = start + timedelta(seconds=t)
            status = Status(at=now, bout_start=start, sitting=now - start, input_active=True, locked=False,
                            suspended=False, open_prompt=None, next_prompt=due)
            tooltip = tray_view(status, Config()).tooltip
            if not seen or seen[-1][1] != tooltip:
                seen.append((t, tooltip))
        times = [t for t, _ in seen]
        assert len({t // 60 for t in times}) == len(times), seen  # one change per minute of sitting at most
        assert seen[0][1] == "Sitting less than 1 min · next break in 13 min"
        assert ("Sitting 5 min · next break in 8 min") in [text for _, text in seen]
        assert seen[-1][1] == "Sitting 11 min · next break in 2 min" and len(seen) == 12
