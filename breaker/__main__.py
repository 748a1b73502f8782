"""``python -m breaker`` runs the command line."""

import sys

from breaker.cli import main

sys.exit(main())
