"""Writes a made-up but plausible activity trace (ten working weeks up to 2026-W48, and a quiet start of
W49) for the stats screenshots: ``python3 docs/screenshots/demo_trace.py > demo.jsonl``, then
``breaker simulate demo.jsonl --db demo.db``. Seeded, so the pictures can be made again."""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Europe/Berlin")


def event(at: datetime, name: str, **extra: str) -> str:
    return json.dumps({"at": at.isoformat(), "event": name, **extra})


def day(rng: random.Random, when: date, habit: float) -> list[str]:
    """One working day; ``habit`` (0..1) is how readily the user moves when asked."""
    out: list[str] = []
    for start, end in (("09:00", "12:30"), ("13:15", "17:30")):
        t = datetime.combine(when, datetime.strptime(start, "%H:%M").time(), ZONE) + timedelta(minutes=rng.randint(0, 20))
        stop = datetime.combine(when, datetime.strptime(end, "%H:%M").time(), ZONE)
        while t < stop - timedelta(minutes=20):
            out.append(event(t, "active"))
            length = timedelta(minutes=rng.randint(25, 95))
            prompt = t + timedelta(minutes=45)
            if t + length > prompt:
                answer = prompt + timedelta(seconds=rng.randint(20, 90))
                roll = rng.random()
                if roll < habit:
                    out += [event(answer, "answer", action="start"),
                            event(answer + timedelta(minutes=3), "finish", result="completed")]
                    length = answer + timedelta(minutes=3) - t
                elif roll < habit + 0.2:
                    out.append(event(answer, "answer", action="snooze"))
                    again = answer + timedelta(minutes=10, seconds=40)
                    if t + length > again - timedelta(seconds=40):
                        out += [event(again, "answer", action="start"),
                                event(again + timedelta(minutes=3), "finish", result="completed")]
                        length = again + timedelta(minutes=3) - t
                else:
                    out.append(event(answer, "answer", action="skip"))
            t += length
            out.append(event(t, "idle"))
            t += timedelta(minutes=rng.randint(6, 25))
    return out


def main() -> None:
    rng = random.Random(48)
    lines: list[str] = []
    first = date.fromisocalendar(2026, 39, 1)
    for week in range(10):
        habit = 0.25 + 0.05 * week
        for weekday in range(5):
            if rng.random() < 0.1:
                continue  # a day off
            lines += day(rng, first + timedelta(days=7 * week + weekday), habit)
    lines += day(rng, date(2026, 11, 30), 0.7)[:6]
    stop = datetime.fromisoformat(json.loads(lines[-1])["at"]) + timedelta(minutes=30)
    lines.append(event(stop, "end"))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
