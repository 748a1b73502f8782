"""How a window process reports to the daemon: one JSON object a line on stdout, flushed at once."""

from __future__ import annotations

import json
import sys
from typing import Any


def emit(event: dict[str, Any]) -> None:
    """Write one report line; a caller that went away is not an error."""
    try:
        sys.stdout.write(json.dumps(event) + "\n")
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        pass
