"""One number format per language: Danish 1.234,5 and "mio. kr.", English 1,234.5 and "DKK m".

Every figure the app, its downloads and the reports show as text goes through these, so a page
never mixes "1.5" and "1,5" or "mio. DKK" and "mio. kr.".
"""
from __future__ import annotations

import math
import re

_DA = str.maketrans({",": ".", ".": ","})


def _nan(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def number(x: float, digits: int = 1, lang: str = "en", signed: bool = False) -> str:
    """``1234.5`` -> '1,234.5' (en) / '1.234,5' (da); '-' for a missing value."""
    if _nan(x):
        return "-"
    s = f"{x:+,.{digits}f}" if signed else f"{x:,.{digits}f}"
    return s.translate(_DA) if lang == "da" else s


def percent(share: float, digits: int = 1, lang: str = "en", signed: bool = False) -> str:
    """A share as a percentage: ``0.543`` -> '54.3%' / '54,3%'."""
    return "-" if _nan(share) else number(100 * share, digits, lang, signed) + "%"


def points(share: float, digits: int = 1, lang: str = "en", signed: bool = True) -> str:
    """A difference of shares in percentage points: '+3.2 pp' / '+3,2 pp.'."""
    return "-" if _nan(share) else number(100 * share, digits, lang, signed) + (" pp." if lang == "da" else " pp")


def mdkk(dkk: float, digits: int = 1, lang: str = "en", signed: bool = False) -> str:
    """Kroner as millions with the unit: '12.3 DKK m' / '12,3 mio. kr.'."""
    if _nan(dkk):
        return "-"
    n = number(dkk / 1e6, digits, lang, signed)
    return f"{n} mio. kr." if lang == "da" else f"{n} DKK m"


def dkk(amount: float, lang: str = "en") -> str:
    """Whole kroner: '12,345 DKK' / '12.345 kr.'."""
    if _nan(amount):
        return "-"
    n = number(amount, 0, lang)
    return f"{n} kr." if lang == "da" else f"{n} DKK"


def interval(lo: str, hi: str, lang: str = "en") -> str:
    """Two formatted ends of an interval: '1.2 to 3.4' / '1,2 til 3,4'."""
    if lo == "-" or hi == "-":
        return "-"
    return f"{lo} til {hi}" if lang == "da" else f"{lo} to {hi}"


def ci(lo: str, hi: str, lang: str = "en") -> str:
    """The caption under a figure: '95%: 1.2 to 3.4' / '95%: 1,2 til 3,4'."""
    return f"95%: {interval(lo, hi, lang)}"


_NUMBER = re.compile(r"(?<![\w.])[-+]?\d{1,3}(?:,\d{3})*(?:\.\d+)?(?![\w])|(?<![\w.])[-+]?\d+(?:\.\d+)?(?![\w])")


def localise(cell: object, lang: str) -> object:
    """A text cell formatted in English by the core ('1,234.5 (0.5 to 2.0)', 'mio. DKK') in the language's format:
    numbers, 'to'/'til' and the currency unit. Non-text cells are returned as they are."""
    if not isinstance(cell, str):
        return cell
    s = cell.replace("mio. DKK", "DKK m").replace("n/a", "-")
    if lang != "da":
        return s
    s = _NUMBER.sub(lambda m: m.group(0).translate(_DA), s)
    return s.replace(" to ", " til ").replace("DKK m", "mio. kr.").replace(" DKK", " kr.")


def localise_table(df, lang: str):
    """``localise`` on every cell and column name of a table of text."""
    out = df.map(lambda c: localise(c, lang))
    out.columns = [localise(c, lang) for c in df.columns]
    return out
