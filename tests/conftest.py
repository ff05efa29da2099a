import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))  # core_helpers

# The one default number of workers (model.execution.default_jobs) is every core; the suite runs on
# two shared cores under pytest-xdist, so runs are serial unless a test asks for a pool or Dask.
os.environ.setdefault("RTWSIM_JOBS", "1")
