"""``python -m generator`` is the ``atlas`` command."""

import sys

from generator.cli import main

sys.exit(main())
