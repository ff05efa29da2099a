"""Result folders: checked for writability before any simulation, written so that nothing is lost.

``check_writable`` runs before the first replication, so an unwritable ``--out`` costs seconds, not
a whole simulation. ``write_tables`` writes every table under a temporary name and renames it into
place (a reader never sees half a file); if writing fails anyway (disk full, folder removed while
running), the tables computed so far are written to a fresh folder under the system's temporary
directory and the error names it, so the computed results survive.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd


class OutputError(OSError):
    """An output folder that cannot be written; the message names it and what to do."""


def check_writable(folder: str | Path, option: str = "--out") -> Path:
    """Create ``folder`` if needed and prove a file can be written and removed there."""
    out = Path(folder)
    try:
        if out.exists() and not out.is_dir():
            raise OutputError(f"{option} {out}: exists and is not a folder")
        out.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".rtwsim-write-test-", dir=out)
        os.close(fd)
        os.unlink(probe)
    except OutputError:
        raise
    except OSError as err:
        raise OutputError(f"{option} {out}: cannot write there ({err.strerror or type(err).__name__}); "
                          "choose a folder you can write to (nothing has been simulated yet)") from None
    return out


def _write_one(df: pd.DataFrame, path: Path, fmt: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        if fmt == "parquet":
            df.to_parquet(tmp, index=False)
        else:
            df.to_csv(tmp, index=False)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def table_path(folder: Path, name: str, fmt: str) -> Path:
    small = name in {"summary", "differences", "key"}
    return folder / f"{name}.{'csv' if small or fmt != 'parquet' else 'parquet'}"


def write_tables(folder: str | Path, fmt: str, tables: dict[str, pd.DataFrame]) -> list[Path]:
    """Write every table atomically; on failure keep them in a rescue folder and say where."""
    out = Path(folder)
    written = []
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, df in tables.items():
            path = table_path(out, name, fmt)
            _write_one(df, path, "parquet" if path.suffix == ".parquet" else "csv")
            written.append(path)
    except OSError as err:
        rescue = Path(tempfile.mkdtemp(prefix="rtwsim-unsaved-"))
        for name, df in tables.items():
            path = table_path(rescue, name, fmt)
            _write_one(df, path, "parquet" if path.suffix == ".parquet" else "csv")
        raise OutputError(f"writing to {out} failed ({err.strerror or err}); the results were saved in "
                          f"{rescue}/ instead") from None
    return written
