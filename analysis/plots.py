"""Moved to ``presentation.figures`` / ``presentation.html``; kept so that imports by the old path work.

``write_page`` keeps its old signature but now writes one self-contained page (plotly.js inlined).
"""
from __future__ import annotations

from pathlib import Path

from presentation import html
from presentation.figures import morris_figure, sobol_figure, tornado_figure  # noqa: F401


def write_page(path: Path, figures: list, title: str) -> Path:
    return html.write_page(path, title, [("", f) for f in figures])
