"""One builder for every HTML page rtwsim writes: self-contained, so a moved or mailed file still draws.

plotly.js is inlined once per page (the first figure carries it, the rest reuse it); no file next to
the page, no network. Sections are a heading and a table, a paragraph, a list, raw HTML or a figure.
The page's words (footer, warnings heading) come in the page's language.
"""
from __future__ import annotations

import html
import time
from pathlib import Path
from typing import Any

import pandas as pd

from .labels import text

STYLE = ("body{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}"
         "table{border-collapse:collapse;font-size:13px;margin:1em 0}td,th{padding:4px 8px;border-bottom:1px solid #ddd;"
         "text-align:right}td:first-child,th:first-child{text-align:left}th{background:#f2f2f2}"
         ".warn{background:#fff3cd;padding:8px}.note{color:#555;font-size:13px}")
FIGURE_CONFIG = {"displaylogo": False}


class Raw(str):
    """HTML that goes into the page as it is (already escaped by its maker)."""


def table_html(df: pd.DataFrame) -> str:
    return df.to_html(index=False, border=0, na_rep="-", escape=True)


def list_html(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>"


def page(title: str, sections: list[tuple[str, object]], lang: str = "en", intro: list[str] | None = None,
         warnings: list[str] | None = None) -> str:
    """The page as one string. ``sections``: (heading, item) with item a DataFrame, a str (a paragraph),
    a list of str, ``Raw`` HTML, None (heading only) or a plotly figure; an empty heading adds none."""
    esc = html.escape
    parts = [f"<!doctype html><html lang='{esc(lang)}'><head><meta charset='utf-8'><title>{esc(title)}</title>"
             f"<style>{STYLE}</style></head><body><h1>{esc(title)}</h1>"]
    parts += [f"<p>{esc(p)}</p>" for p in intro or []]
    if warnings:
        parts.append(f"<div class='warn'><b>{esc(text('warnings', lang))}</b>{list_html(warnings)}</div>")
    plotly_js = True
    for heading, item in sections:
        if heading:
            parts.append(f"<h2>{esc(heading)}</h2>")
        if item is None:
            continue
        if isinstance(item, pd.DataFrame):
            parts.append(table_html(item))
        elif isinstance(item, Raw):
            parts.append(str(item))
        elif isinstance(item, str):
            parts.append(f"<p>{esc(item)}</p>")
        elif isinstance(item, list):
            parts.append(list_html(item))
        else:
            fig: Any = item   # a plotly figure (presentation.figures)
            parts.append(fig.to_html(full_html=False, include_plotlyjs=plotly_js, config=FIGURE_CONFIG))
            plotly_js = False
    parts.append(f"<p class='note'>{esc(text('report_footer', lang, when=time.strftime('%Y-%m-%d %H:%M')))}</p>"
                 "</body></html>")
    return "\n".join(parts)


def write_page(path: Path, title: str, sections: list[tuple[str, object]], **kw) -> Path:
    """Write ``page(...)`` to ``path`` (creating its folder); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page(title, sections, **kw), encoding="utf-8")
    return path
