"""Linear contrasts of output names: the syntax of a target's ``output`` field.

A target may name one output (``recovered_share.integrated``) or a linear combination of outputs
of the same replication, e.g. ``mean_benefit_weeks.integrated - mean_benefit_weeks.standard`` or
``recovered_share.integrated - 0.5*recovered_share.standard - 0.5*recovered_share.uncoordinated``.
Terms are ``[+|-] [number *] metric.group``; nothing else is evaluated (no ``eval``). Contrasts are
taken within a replication, so arms simulated on common random numbers are compared paired.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

_TERM = re.compile(r"\s*([+-])?\s*(?:(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+)\s*\*\s*)?([A-Za-z_]\w*\.[A-Za-z_0-9][\w-]*)\s*")


@dataclass(frozen=True)
class Contrast:
    """Σ coefficient · output, parsed from text."""

    text: str
    terms: tuple[tuple[float, str], ...]

    @property
    def names(self) -> list[str]:
        return [n for _, n in self.terms]

    def value(self, outputs: dict[str, float]) -> float:
        total = 0.0
        for coef, name in self.terms:
            v = outputs.get(name, math.nan)
            total += coef * (math.nan if v is None else float(v))
        return total


def parse_contrast(text: str) -> Contrast:
    """Parse ``text``; raise ValueError naming the position of the first thing not understood."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("expected an output name such as 'recovered_share.integrated' or a contrast such as "
                         "'mean_benefit_weeks.integrated - mean_benefit_weeks.standard'")
    terms: list[tuple[float, str]] = []
    pos = 0
    while pos < len(text):
        m = _TERM.match(text, pos)
        if not m or m.end() == pos:
            raise ValueError(f"cannot read {text!r} from position {pos} ({text[pos:]!r}); terms are "
                             "'[+|-] [number *] metric.group', e.g. 'recovered_share.integrated - recovered_share.standard'")
        sign, coef, name = m.groups()
        if terms and sign is None:
            raise ValueError(f"cannot read {text!r}: terms must be joined by '+' or '-' (before {name!r})")
        c = float(coef) if coef else 1.0
        terms.append((-c if sign == "-" else c, name))
        pos = m.end()
    return Contrast(text.strip(), tuple(terms))
