"""The result store: a directory that survives a stop.

Layout of DIR::

    problem.yaml     the problem file as given (for people)
    problem.json     the validated problem (for the resume check)
    design.parquet   run_index + one column per parameter (the SALib design)
    manifest.json    problem fingerprint, design hash, run count, versions
    runs/part-*.parquet   one file per finished batch, written atomically as it arrives
    indices.csv      written once all runs are in
    .lock            held (flock) by the one run writing the study; a second run is refused
    quarantine/      parts that could not be read (truncated, corrupt), set aside on open so
                     that their runs are recomputed by --resume

Each run row holds run_index, status ('ok'/'failed'), error text, seed (root entropy and spawn
key), worker, elapsed seconds, session, finish time, ``param.<path>`` and ``out.<name>``
columns. Query it with DuckDB: ``SELECT * FROM read_parquet('DIR/runs/*.parquet')``.
If a run index appears more than once (a failed run retried), the latest session wins.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sensitivity.errors import StoreLockedError, StoreMismatchError
from sensitivity.problem import ANALYSIS_ONLY, SensitivityProblem

PARAM = "param."
OUT = "out."


def design_hash(design: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(design, dtype=np.float64).tobytes()).hexdigest()


def _versions() -> dict[str, str]:
    out = {}
    for pkg in ("rtwsim", "SALib", "numpy", "mesa"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            pass
    return out


@dataclass
class RunStore:
    """Read and append runs of one study directory; one writer (the study loop) at a time."""

    root: Path
    session: int = 0
    lock_fd: int | None = None
    quarantined: list[tuple[str, str]] | None = None

    @property
    def runs_dir(self) -> Path:
        return self.root / "runs"

    # -- creating and reopening ------------------------------------------------------------
    @classmethod
    def create(cls, root: Path, problem: SensitivityProblem, problem_text: str,
               design: np.ndarray, target: str | None = None) -> "RunStore":
        """Start a new study in `root`; refuse a directory that already holds runs.

        A directory with a manifest but no runs (e.g. the scheduler was unreachable) holds
        nothing to lose and is started afresh.
        """
        root = Path(root)
        # locked before the check, so two runs cannot both find the folder empty
        return cls._holding_lock(root, lambda: cls._create_locked(root, problem, problem_text, design, target))

    @classmethod
    def _holding_lock(cls, root: Path, make) -> "RunStore":
        """The store ``make()`` returns, holding the folder's writer lock (released if ``make`` fails)."""
        lock = _lock(root)
        try:
            store = make()
        except BaseException:
            _unlock(lock)
            raise
        store.lock_fd = lock
        return store

    @classmethod
    def _create_locked(cls, root: Path, problem: SensitivityProblem, problem_text: str,
                       design: np.ndarray, target: str | None) -> "RunStore":
        if any(root.glob("runs/*.parquet")):
            raise StoreMismatchError(
                f"{root} already holds a study; pass --resume to continue it or choose another --out")
        (root / "runs").mkdir(parents=True, exist_ok=True)
        (root / "problem.yaml").write_text(problem_text)
        (root / "problem.json").write_text(problem.model_dump_json(indent=2))
        frame = pd.DataFrame(design, columns=problem.parameter_names)
        frame.insert(0, "run_index", np.arange(len(design), dtype=np.int64))
        frame.to_parquet(root / "design.parquet", index=False)
        manifest = {"fingerprint": problem.fingerprint(), "design_sha256": design_hash(design),
                    "target_fingerprint": target,
                    "num_runs": int(len(design)), "method": problem.method,
                    "parameters": problem.parameter_names, "outputs": problem.outputs,
                    "created": dt.datetime.now(dt.timezone.utc).isoformat(),
                    "versions": _versions()}
        _atomic_write_text(root / "manifest.json", json.dumps(manifest, indent=2))
        return cls(root, session=1)

    @classmethod
    def open(cls, root: Path) -> "RunStore":
        root = Path(root)
        if not (root / "manifest.json").exists():
            raise StoreMismatchError(f"{root} holds no sensitivity study (no manifest.json); "
                                     "run `rtwsim sensitivity FILE --out DIR` first")
        store = cls(root)
        store._quarantine_corrupt_parts()
        store.session = store._last_session() + 1
        return store

    @classmethod
    def resume(cls, root: Path, problem: SensitivityProblem, design: np.ndarray,
               target: str | None = None) -> "RunStore":
        """Reopen `root` after checking it was made for this very problem, design and scenario."""
        return cls._holding_lock(Path(root), lambda: cls._resume_locked(root, problem, design, target))

    @classmethod
    def _resume_locked(cls, root: Path, problem: SensitivityProblem, design: np.ndarray,
                       target: str | None) -> "RunStore":
        store = cls.open(root)
        manifest = store.manifest()
        # compare the problems themselves (not only the stored hash), so the message can name
        # the fields that differ
        stored = store.problem().model_dump(mode="json")  # defaults filled in, like `given`
        given = problem.model_dump(mode="json")
        fields = sorted(k for k in set(stored) | set(given)
                        if k not in ANALYSIS_ONLY and stored.get(k) != given.get(k))
        if fields:
            raise StoreMismatchError(
                f"{root} was made for a different problem (differs in: {', '.join(fields)}); "
                "resume with the same problem file, or choose another --out")
        if manifest["design_sha256"] != design_hash(design):
            raise StoreMismatchError(
                f"{root}: the design matrix regenerated from the problem differs from the stored "
                "one (different SALib version?); the stored runs cannot be continued")
        if manifest.get("target_fingerprint") != target:
            raise StoreMismatchError(
                f"{root}: scenario {problem.scenario!r}"
                + (f" or baseline {problem.baseline!r}" if problem.baseline else "")
                + " has changed since the study started; runs from before and after would not "
                "be comparable. Restore the scenario file or start a new --out")
        # analysis-only settings (confidence level, resamples) may have changed: keep the new ones
        (store.root / "problem.json").write_text(problem.model_dump_json(indent=2))
        return store

    def close(self) -> None:
        """Release the writer's lock (also released by the system if the process dies)."""
        if self.lock_fd is not None:
            _unlock(self.lock_fd)
            self.lock_fd = None

    def _quarantine_corrupt_parts(self) -> None:
        """Move parts that cannot be read in full into DIR/quarantine/, with a message; the run
        indices they held count as missing, so --resume computes them again."""
        self.quarantined = []
        for part in sorted(self.runs_dir.glob("*.parquet")):
            try:
                names = pq.read_table(part).column_names
                missing = {"run_index", "status", "session", "finished_at"} - set(names)
                if missing:
                    raise ValueError(f"missing columns {sorted(missing)}")
            except Exception as exc:  # noqa: BLE001 - any unreadable part is set aside
                folder = self.root / "quarantine"
                folder.mkdir(exist_ok=True)
                os.replace(part, folder / part.name)
                reason = f"{type(exc).__name__}: {str(exc)[:200]}"
                self.quarantined.append((part.name, reason))
                print(f"warning: {part.name} could not be read ({reason}); moved to {folder}/. Its runs "
                      "count as missing and are computed again by --resume", file=sys.stderr)

    def manifest(self) -> dict:
        return json.loads((self.root / "manifest.json").read_text())

    def problem(self) -> SensitivityProblem:
        return SensitivityProblem.model_validate_json((self.root / "problem.json").read_text())

    def design(self) -> np.ndarray:
        frame = pd.read_parquet(self.root / "design.parquet")
        return frame.drop(columns="run_index").to_numpy(dtype=float)

    # -- writing ------------------------------------------------------------------------------
    def append(self, records: list[dict], design: np.ndarray, problem: SensitivityProblem) -> Path:
        """Write one finished batch as its own part file (tmp + rename: never half a file)."""
        now = dt.datetime.now(dt.timezone.utc)
        idx = np.array([r["run_index"] for r in records], dtype=np.int64)
        columns: dict[str, object] = {
            "run_index": idx,
            "status": [r["status"] for r in records],
            "error": [r["error"] for r in records],
            "seed_entropy": [r["seed_entropy"] for r in records],
            "seed_spawn_key": np.array([r["seed_spawn_key"] for r in records], dtype=np.int64),
            "worker": [r["worker"] for r in records],
            "elapsed_s": np.array([r["elapsed_s"] for r in records], dtype=float),
            "session": np.full(len(records), self.session, dtype=np.int64),
            "finished_at": pa.array([now] * len(records), type=pa.timestamp("us", tz="UTC")),
        }
        for j, name in enumerate(problem.parameter_names):
            columns[PARAM + name] = design[idx, j]
        for name in problem.outputs:
            columns[OUT + name] = np.array([r["outputs"].get(name, np.nan) for r in records],
                                           dtype=float)
        table = pa.table(columns)
        path = self.runs_dir / f"part-s{self.session:03d}-{idx.min():07d}-{os.getpid()}-{now.strftime('%H%M%S%f')}.parquet"
        tmp = path.with_suffix(".parquet.tmp")
        pq.write_table(table, tmp)
        os.replace(tmp, path)
        return path

    # -- reading ------------------------------------------------------------------------------
    def _parts_glob(self) -> str:
        return str(self.runs_dir / "*.parquet")

    def has_runs(self) -> bool:
        return any(self.runs_dir.glob("*.parquet"))

    def all_rows(self) -> pd.DataFrame:
        """Every stored row, including superseded attempts (for auditing)."""
        if not self.has_runs():
            return pd.DataFrame(columns=["run_index", "status", "session"])
        return duckdb.sql(f"SELECT * FROM read_parquet('{self._parts_glob()}', union_by_name=true) "
                          "ORDER BY run_index, session").df()

    def runs(self) -> pd.DataFrame:
        """The latest record of each run index."""
        if not self.has_runs():
            return pd.DataFrame(columns=["run_index", "status", "session"])
        return duckdb.sql(
            f"SELECT * FROM read_parquet('{self._parts_glob()}', union_by_name=true) "
            "QUALIFY row_number() OVER (PARTITION BY run_index "
            "ORDER BY session DESC, finished_at DESC) = 1 ORDER BY run_index").df()

    def _last_session(self) -> int:
        if not self.has_runs():
            return 0
        return int(duckdb.sql(f"SELECT max(session) FROM read_parquet('{self._parts_glob()}')")
                   .fetchall()[0][0])

    def outputs_matrix(self, problem: SensitivityProblem, num_runs: int) -> dict[str, np.ndarray]:
        """Output vectors in design order; NaN where a run is missing or failed."""
        runs = self.runs()
        ok = runs[runs["status"] == "ok"]
        result = {}
        for name in problem.outputs:
            y = np.full(num_runs, np.nan)
            if len(ok):
                y[ok["run_index"].to_numpy(dtype=np.int64)] = ok[OUT + name].to_numpy(dtype=float)
            result[name] = y
        return result


def _lock(root: Path) -> int:
    """Take the study's writer lock (an flock on DIR/.lock, released when the process ends)."""
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
        os.close(fd)
        raise StoreLockedError(f"{root} is being written by another run (process {holder}); wait for it "
                               "to finish, or choose another --out") from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, str(os.getpid()).encode(), 0)
    return fd


def _unlock(fd: int) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)
