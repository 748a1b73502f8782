"""Move KWin's pointer once through ``org_kde_kwin_fake_input``: ``python kwin_fake_input.py SOCKET``.

A test helper run as its own process (KWin grants the interface per executable, see tests/compositors.py).
Exits 2 when KWin does not offer the interface to this executable.
"""

from __future__ import annotations

import sys
from typing import Any

from pywayland.client import Display
from pywayland.protocol_core import Argument, ArgumentType, Interface, Proxy


class FakeInput(Interface):
    name = "org_kde_kwin_fake_input"
    version = 4


class FakeInputProxy(Proxy[FakeInput]):
    interface = FakeInput

    @FakeInput.request(Argument(ArgumentType.String), Argument(ArgumentType.String))
    def authenticate(self, application: str, reason: str) -> None:
        self._marshal(0, application, reason)

    @FakeInput.request(Argument(ArgumentType.Fixed), Argument(ArgumentType.Fixed))
    def pointer_motion(self, dx: float, dy: float) -> None:
        self._marshal(1, dx, dy)


FakeInput.proxy_class = FakeInputProxy
FakeInput._gen_c()


def main(socket: str) -> int:
    display = Display(socket)
    display.connect()
    registry = display.get_registry()
    offered: dict[str, int] = {}

    def on_global(_registry: Any, gid: int, iface: str, _version: int) -> None:
        offered[iface] = gid

    registry.dispatcher["global"] = on_global
    display.roundtrip()
    if FakeInput.name not in offered:
        display.disconnect()
        return 2
    fake = registry.bind(offered[FakeInput.name], FakeInput, 1)
    fake.authenticate("breaker tests", "move the pointer")
    fake.pointer_motion(5.0, 3.0)
    display.roundtrip()
    display.disconnect()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
