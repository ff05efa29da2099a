"""Page 5, sensitivity: load a stored SALib study or run a small one here; Morris and Sobol charts.

Builds on ``sensitivity`` (problem files, ``study.run_study`` / ``study.analyze_store``, the run store
and its plots). A study run from the app is written to ``runs/app_sensitivity/<problem>_<hash>/``
like any ``rtwsim sensitivity`` study, so pressing the button again resumes instead of recomputing.
Until the sensitivity package exists the page says so.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import streamlit as st
import yaml

from presentation import labels

from .i18n import bound, lang, output_label, parameter_label, t
from .modules import available, load, not_available

ROOT = Path(__file__).resolve().parent.parent

def app_runs() -> Path:
    """Where studies started in the app are stored (RTWSIM_APP_RUNS overrides, e.g. in tests)."""
    return Path(os.environ.get("RTWSIM_APP_RUNS", ROOT / "runs" / "app_sensitivity"))

NEEDS = ("sensitivity.study", "sensitivity.store", "sensitivity.problem")
STATE = "sensitivity"


def results_roots() -> list[Path]:
    """The only folders the app reads studies from and writes into."""
    return [ROOT / "runs", app_runs()]


def within_results(path: Path) -> bool:
    """True when ``path`` (after symlinks and ``..``) lies inside one of ``results_roots()``."""
    target = path.resolve()
    return any(target.is_relative_to(base.resolve()) for base in results_roots())


def stored_studies() -> list[Path]:
    """Study folders (holding a manifest) under runs/ up to three levels deep and in ``app_runs()``."""
    found = set()
    for base in (ROOT / "runs", app_runs()):
        if base.exists():
            found |= {p.parent for pat in ("*/manifest.json", "*/*/manifest.json", "*/*/*/manifest.json")
                      for p in base.glob(pat)}
    return sorted(found)


def _shown(p: Path) -> str:
    try:
        return str(p.relative_to(ROOT))
    except ValueError:
        return str(p)


def open_study(study, store_mod, folder: Path) -> dict:
    store = store_mod.RunStore.open(folder)
    manifest = store.manifest()
    runs = store.runs()
    ok = int((runs["status"] == "ok").sum()) if len(runs) else 0
    entry = {"folder": str(folder), "method": manifest["method"], "num_runs": int(manifest["num_runs"]), "ok": ok,
             "name": store.problem().name or folder.name, "indices": None, "skipped": {}}
    if ok >= entry["num_runs"]:
        entry["indices"], entry["skipped"] = study.analyze_store(store)
    return entry


def ranking(ind, output: str, method: str):
    """One row per parameter for one output, most influential first (Morris: mu*; Sobol: ST)."""
    d = ind[(ind["output"] == output) & ind["parameter2"].isna()] if "parameter2" in ind else ind[ind["output"] == output]
    wide = d.pivot_table(index="parameter", columns="index", values=["value", "conf"], aggfunc="first")
    wide.columns = [f"{idx}" if kind == "value" else f"{idx} ±95%" for kind, idx in wide.columns]
    key = "mu_star" if method == "morris" and "mu_star" in wide else ("ST" if "ST" in wide else wide.columns[0])
    order = [c for c in ("mu_star", "mu_star ±95%", "sigma", "mu", "S1", "S1 ±95%", "ST", "ST ±95%") if c in wide]
    wide = wide[order + [c for c in wide.columns if c not in order]].sort_values(key, ascending=False)
    return wide.round(4).reset_index()


def _figure(ind, output: str, method: str):
    from presentation import figures

    make = figures.morris_figure if method == "morris" else figures.sobol_figure
    return make(ind, output, lang=lang(), name=parameter_label, output_name=output_label(output))


def show_study(entry: dict) -> None:
    from .common import report_download, show_table
    st.caption(t("sens_summary", name=entry["name"], method=entry["method"], ok=entry["ok"], n=entry["num_runs"]))
    if entry["indices"] is None:
        st.warning(t("sens_incomplete", ok=entry["ok"], n=entry["num_runs"]))
        return
    ind = entry["indices"]
    if entry["skipped"]:
        st.info(t("sens_skipped", items="; ".join(f"{output_label(k)}: {v}" for k, v in entry["skipped"].items())))
    outputs = list(dict.fromkeys(ind["output"]))
    out = st.selectbox(t("sens_output"), outputs, key="sens_output", format_func=bound(labels.output_label))
    st.plotly_chart(_figure(ind, out, entry["method"]), width="stretch", key="sens_fig")
    st.subheader(t("sens_indices"))
    table = ranking(ind, out, entry["method"])
    table["path"] = table["parameter"]   # the scenario path, for a reader who sets it with --set
    table["parameter"] = [parameter_label(p) for p in table["parameter"]]
    table = table.rename(columns={"parameter": t("sens_parameter")})
    show_table(table, f"sensitivity_{entry['name']}_{out}", "sens_dl_sel")
    with st.expander(t("sens_all_indices")):
        show_table(ind, f"sensitivity_{entry['name']}_all", "sens_dl_all", height=300)
    report_download(f"rtwsim: {t('page_sensitivity')} {entry['name']}",
                    [t("sens_summary", name=entry["name"], method=entry["method"], ok=entry["ok"], n=entry["num_runs"])],
                    [*[(output_label(o), _figure(ind, o, entry["method"])) for o in outputs], (t("sens_indices"), table)],
                    f"sensitivity_{entry['name']}.html", "sens_dl_report")


def render() -> None:
    st.header(t("page_sensitivity"))
    if not all(available(m) for m in NEEDS):
        not_available(" + ".join(NEEDS))
        return
    study, store_mod, problem_mod = (load(m) for m in NEEDS)
    if None in (study, store_mod, problem_mod):
        return
    from .common import number_input, run_button, start_checks

    start_checks()
    st.caption(t("sens_intro"))
    new = st.toggle(t("sens_new"), key="sens_mode_new")
    if not new:
        studies = stored_studies()
        options = [_shown(p) for p in studies]
        c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
        folder = c1.selectbox(t("sens_dir"), options, index=0 if options else None, key="sens_dir",
                              accept_new_options=True, help=t("sens_dir_help"))
        if c2.button(t("sens_open"), key="sens_open", disabled=not folder):
            path = Path(folder)
            path = path if path.is_absolute() else ROOT / path
            try:
                if not within_results(path):  # opening a study writes indices.csv into it
                    raise ValueError(t("sens_outside", where=", ".join(_shown(b) for b in results_roots())))
                st.session_state[STATE] = open_study(study, store_mod, path)
            except Exception as err:  # not a study folder, damaged store: message, keep earlier results
                st.error(t("sens_error", err=f"{type(err).__name__}: {err}"))
    else:
        problems = sorted((ROOT / "analysis" / "problems").glob("*.yaml"))
        names = [p.stem for p in problems]
        default = names.index("copenhagen_ibbis_morris") if "copenhagen_ibbis_morris" in names else 0
        c1, c2, c3 = st.columns(3)
        name = c1.selectbox(t("sens_problem"), names, index=default, key="sens_problem")
        path = problems[names.index(name)]
        try:
            base = problem_mod.load_problem(path)
        except Exception as err:
            st.error(t("sens_error", err=str(err)))
            return
        samples = number_input(c2, t("sens_trajectories") if base.method == "morris" else t("sens_samples"), 2, 1000,
                                  min(4, base.samples) if base.method == "morris" else min(8, base.samples), 1,
                                  key=f"sens_samples_{name}")
        reps = number_input(c3, t("sens_reps"), 1, 20, 1, 1, key=f"sens_reps_{name}")
        try:
            data = {**base.model_dump(mode="json"), "samples": int(samples), "reps": int(reps)}
            problem = problem_mod.problem_from_dict(data, str(path))
        except Exception as err:
            st.error(t("sens_error", err=str(err)))
            return
        st.caption(t("sens_runs", n=problem.num_runs))
        if run_button(t("sens_start"), key="sens_start"):
            text = yaml.safe_dump(problem.model_dump(mode="json"), sort_keys=False)
            out_dir = app_runs() / f"{name}_{hashlib.sha256(text.encode()).hexdigest()[:10]}"
            try:
                with st.spinner(t("sens_running", n=problem.num_runs)):
                    study.run_study(problem, text, out_dir, jobs=1, resume=(out_dir / "manifest.json").exists(),
                                    progress=False)
                st.session_state[STATE] = open_study(study, store_mod, out_dir)
            except Exception as err:
                st.error(t("sens_error", err=f"{type(err).__name__}: {err}"))
    entry = st.session_state.get(STATE)
    if entry is None:
        st.info(t("sens_nothing"))
        return
    show_study(entry)
