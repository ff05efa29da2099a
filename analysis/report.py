"""`sensitivity-report DIR`: indices as tables, CSV files and HTML plots from a stored study."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from rich.console import Console

from sensitivity.oat import run_oat
from sensitivity.store import RunStore
from sensitivity.study import analyze_store
from presentation import figures, html
from presentation.console_tables import indices_tables


@dataclass
class Report:
    indices: pd.DataFrame
    skipped: dict[str, str]
    files: list[Path] = field(default_factory=list)
    tornado: pd.DataFrame | None = None
    runs_total: int = 0
    runs_ok: int = 0
    runs_failed: int = 0


def build_report(root: str | Path, *, tornado: bool = True, jobs: int | None = None,
                 scheduler: str | None = None, progress: bool = True,
                 console: Console | None = None, trust_module: bool = False) -> Report:
    console = console or Console()
    store = RunStore.open(Path(root))
    problem = store.problem()
    runs = store.runs()
    indices, skipped = analyze_store(store)
    rep = Report(indices, skipped, [store.root / "indices.csv"], runs_total=store.manifest()["num_runs"],
                 runs_ok=int((runs["status"] == "ok").sum()) if len(runs) else 0,
                 runs_failed=int((runs["status"] == "failed").sum()) if len(runs) else 0)
    console.print(f"[bold]{problem.name}[/bold]: {problem.method}, {len(problem.parameters)} parameters, "
                  f"{rep.runs_ok} ok / {rep.runs_failed} failed / {rep.runs_total} runs")
    for table in indices_tables(indices, problem.method):
        console.print(table)
    for output, reason in skipped.items():
        console.print(f"[yellow]no indices for {output}: {reason}[/yellow]")
    if rep.runs_failed:
        console.print(f"[yellow]{rep.runs_failed} runs failed; see the error column: "
                      f"SELECT run_index, error FROM read_parquet('{store.root}/runs/*.parquet') "
                      "WHERE status = 'failed'; rerun them with --resume --retry-failed[/yellow]")
    outputs = [o for o in problem.outputs if o not in skipped]
    if outputs:
        make = figures.morris_figure if problem.method == "morris" else figures.sobol_figure
        name = "morris.html" if problem.method == "morris" else f"{problem.method}.html"
        rep.files.append(html.write_page(store.root / name, f"{problem.name}: {problem.method} indices",
                                         [("", make(indices, o)) for o in outputs]))
    if tornado:
        rep.tornado = run_oat(store, jobs=jobs, scheduler=scheduler, progress=progress,
                              trust_module=trust_module)
        rep.files.append(store.root / "tornado.csv")
        rep.files.append(html.write_page(store.root / "tornado.html", f"{problem.name}: one-at-a-time ranges",
                                         [("", figures.tornado_figure(rep.tornado, o)) for o in problem.outputs]))
    for path in rep.files:
        console.print(f"wrote {path}")
    return rep
