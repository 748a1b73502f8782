"""``python -m breaker`` runs the command line."""

import sys

from breaker.cli.main import main

sys.exit(main())
