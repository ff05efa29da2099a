"""`python -m cli ...` is `rtwsim ...` (without the entry point installed)."""
import sys

from cli.main import main

sys.exit(main())
