"""Moved to ``presentation.workbook``; kept so that imports by the old path work until the lead merges."""
from presentation.workbook import (YEAR_QUANTITIES, assumption_rows, budget_sheets, budget_workbook_bytes,  # noqa: F401
                                   headline_frame, items_long, package_version, write_budget_workbook, year_long)
