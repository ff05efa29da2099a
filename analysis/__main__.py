"""`python -m analysis sensitivity ...` works before (and without) the rtwsim CLI."""

import sys

from analysis.commands import main

sys.exit(main())
