"""One YAML loader for every file rtwsim reads: scenarios, calibration targets and free
parameters, calibrated sets, sensitivity problems, rate tables, ``--set`` values and uploads.

A YAML file can be small and still explode: nine anchors of nine aliases each (a "billion
laughs" file of 380 bytes) stand for 9^9 nodes, and every later step that walks the data
(merging ``extends``, validating, printing an error) pays for all of them. This loader refuses

- files above ``max_bytes`` (1 MB: the largest shipped file, a calibrated set, is about 42 kB),
- more than ``max_aliases`` aliases (``*name``; none of the shipped files uses any; uploads
  from the app are read with ``max_aliases=0``, i.e. no aliases at all),
- documents that would expand to more than ``MAX_NODES`` nodes once aliases are followed,

*before* any Python object is built, and cuts every error message to ``MAX_MESSAGE`` characters
so that a hostile file cannot fill a terminal or a web page (and file contents are not echoed
beyond the offending line).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, SequenceNode

MAX_BYTES = 1_000_000
MAX_ALIASES = 50
MAX_NODES = 200_000
MAX_MESSAGE = 300


class UnsafeYAMLError(ValueError):
    """A YAML text that cannot be read safely or is not valid YAML; the message is short."""


def cut(text: str, limit: int = MAX_MESSAGE) -> str:
    """At most ``limit`` characters of ``text`` (first lines kept), marked when cut."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 15].rstrip() + " … (cut short)"


def _loader(max_aliases: int) -> type:
    class _Loader(yaml.SafeLoader):
        _aliases = 0

        def compose_node(self, parent, index):  # noqa: D401 - PyYAML hook
            if self.check_event(AliasEvent):
                self._aliases += 1
                if self._aliases > max_aliases:
                    mark = self.peek_event().start_mark
                    raise UnsafeYAMLError(
                        "aliases (*name) are not accepted here" if max_aliases == 0 else
                        f"more than {max_aliases} aliases (*name) at line {mark.line + 1}; "
                        "refused because aliases can multiply a small file into gigabytes")
            return super().compose_node(parent, index)

    return _Loader


def _expanded_size(node, limit: int) -> int:
    """Nodes in the document once every alias is followed (memoised, stops above ``limit``)."""
    sizes: dict[int, int] = {}

    def size(n) -> int:
        key = id(n)
        if key in sizes:
            return sizes[key]
        sizes[key] = 1  # a recursive alias counts once (PyYAML builds it as a cycle)
        total = 1
        if isinstance(n, SequenceNode):
            for child in n.value:
                total += size(child)
                if total > limit:
                    break
        elif isinstance(n, MappingNode):
            for k, v in n.value:
                total += size(k) + size(v)
                if total > limit:
                    break
        sizes[key] = total
        return total

    return size(node)


def load_text(text: str, *, max_aliases: int = MAX_ALIASES, max_bytes: int = MAX_BYTES) -> Any:
    """Parse YAML text safely; raise UnsafeYAMLError with a short message."""
    if len(text.encode("utf-8", errors="replace")) > max_bytes:
        raise UnsafeYAMLError(f"larger than {max_bytes // 1000} kB; refused (rtwsim input files are a few kB)")
    loader = _loader(max_aliases)(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if _expanded_size(node, MAX_NODES) > MAX_NODES:
            raise UnsafeYAMLError(f"expands to more than {MAX_NODES} values once aliases are followed; refused")
        return loader.construct_document(node)
    except UnsafeYAMLError:
        raise
    except yaml.YAMLError as err:
        raise UnsafeYAMLError(f"not valid YAML ({cut(err)})") from None
    except RecursionError:
        raise UnsafeYAMLError("nested too deeply to be read") from None
    finally:
        loader.dispose()


def load_bytes(content: bytes, *, max_aliases: int = MAX_ALIASES, max_bytes: int = MAX_BYTES) -> Any:
    """Parse uploaded bytes: size first, then UTF-8, then YAML."""
    if len(content) > max_bytes:
        raise UnsafeYAMLError(f"larger than {max_bytes // 1000} kB; refused (rtwsim input files are a few kB)")
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as err:
        raise UnsafeYAMLError(f"not UTF-8 text (byte {err.start}); save the file as UTF-8") from None
    return load_text(text, max_aliases=max_aliases, max_bytes=max_bytes)


def load_file(path: str | Path, *, max_aliases: int = MAX_ALIASES, max_bytes: int = MAX_BYTES) -> Any:
    """Read and parse a YAML file; every failure (missing, a folder, too big, not UTF-8, not YAML,
    an alias bomb) is an UnsafeYAMLError with a short message (without the file name: callers add it)."""
    p = Path(path)
    try:
        if p.is_dir():
            raise UnsafeYAMLError("is a folder, not a file")
        size = p.stat().st_size
        if size > max_bytes:
            raise UnsafeYAMLError(f"larger than {max_bytes // 1000} kB ({size} bytes); refused "
                                  "(rtwsim input files are a few kB)")
        content = p.read_bytes()
    except OSError as err:
        raise UnsafeYAMLError(f"cannot be read ({err.strerror or type(err).__name__})") from None
    return load_bytes(content, max_aliases=max_aliases, max_bytes=max_bytes)
