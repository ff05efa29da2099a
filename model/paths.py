"""Dotted paths (``consultants.standard.caseload_limit``, ``pathways.integrated.meetings.count``) through
the nested dicts and lists of a scenario as data: what overrides, calibrated sets and sensitivity
problems name."""
from __future__ import annotations

from typing import Any


def lookup_path(data: Any, path: str) -> tuple[bool, Any, str | None]:
    """Walk a dotted path through dicts and lists: (found, value or the node where it stopped, missing part)."""
    node = data
    for part in path.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return False, node, part
    return True, node, None
