"""`rtwsim fit-report CALIBRATION`: targets against simulated values, accepted ranges, identifiability.

Reads a calibration record (``calibration/calibrated/<name>.yaml``) and assembles what the CLI prints
and the app shows; the tables, figures and the one self-contained HTML page (one plot per target, the
accepted ranges against the priors, the accepted sets pairwise) are drawn by ``presentation``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from presentation import figures, html
from presentation.tables import fit_text, ranges_text  # noqa: F401  (the CLI prints them)

from .store import load_record


@dataclass
class FitReport:
    record: dict[str, Any]
    path: Path
    fit: pd.DataFrame
    ranges: pd.DataFrame
    warnings: list[str]
    files: list[Path] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.record["status"]

    def accepted(self) -> pd.DataFrame:
        """The accepted parameter sets, one column per free parameter."""
        names = [p["name"] for p in self.record["free_parameters"]]
        return pd.DataFrame([a["parameters"] for a in self.record.get("accepted") or []], columns=names)

    def simulated(self, target: str, which: str = "accepted") -> list[float]:
        """The simulated values of one target over the accepted sets (or the rejected candidates)."""
        rows = self.record.get("accepted" if which == "accepted" else "rejected_candidates") or []
        return [a["simulated"][target] for a in rows if a["simulated"].get(target) is not None]

    def figures(self, lang: str = "en", name=lambda p: p) -> list:
        """One figure per target, then the accepted ranges and the pairwise plot when there are sets."""
        out = [figures.target_figure(row, self.simulated(row["target"]), self.simulated(row["target"], "rejected"),
                                     lang=lang) for _, row in self.fit.iterrows()]
        accepted = self.accepted()
        if len(accepted) and len(self.ranges):
            out.append(figures.ranges_figure(self.ranges, accepted, lang=lang, name=name))
            pf = figures.pairs_figure(accepted, lang=lang, name=name)
            if pf is not None:
                out.append(pf)
        return out


def build_report(ref: str | Path, out_dir: Path | None = None) -> FitReport:
    rec, path = load_record(ref)
    ranges = pd.DataFrame(rec.get("accepted_ranges") or [])
    warns = list(rec.get("warnings") or [])
    if len(ranges) and rec.get("accepted"):
        from .identifiability import edge_warnings

        warns += [w for w in edge_warnings(ranges) if w not in warns]
    rep = FitReport(rec, path, pd.DataFrame(rec["fit"]), ranges, warns)
    if out_dir is None:
        return rep
    prov = rec["provenance"]
    intro = (f"Status: {rec['status']}. Scenario {prov['scenario']}, targets {prov['targets_file']} "
             f"(sha256 {prov['targets_sha256'][:12]}), seed {prov['seed']}, {prov['trials']} trials x "
             f"{prov['reps_per_trial']} replications, {len(rep.accepted())} accepted sets re-simulated with "
             f"{prov['accept_reps']} replications; rtwsim {prov['package_version']}, {prov['date']}.")
    sections: list[tuple[str, object]] = [("Targets against simulated (point estimate)", fit_text(rep.fit))]
    if len(ranges):
        sections.append(("Accepted parameter ranges", ranges_text(ranges)))
    sections += [("", f) for f in rep.figures()]
    page = html.write_page(Path(out_dir) / f"fit_report_{path.stem}.html", f"Calibration fit: {path.stem}", sections,
                           intro=[intro], warnings=rep.warnings)
    fit_text(rep.fit).to_csv(Path(out_dir) / f"fit_{path.stem}.csv", index=False)
    rep.files = [page, Path(out_dir) / f"fit_{path.stem}.csv"]
    return rep
