"""Shared pieces of the app: cached runs, scenario input, tables, downloads and the HTML report.

Only the public API of ``model`` is used (``from model import ...``). Results are cached with
``st.cache_data`` keyed by the scenario's full YAML (``Scenario.to_yaml()``), the replications and
the seed, so the same scenario viewed again (on any page) is served from the cache.
"""
from __future__ import annotations

import io
import time
from typing import Callable

import pandas as pd
import streamlit as st
from model import safe_yaml

from model import (Comparison, ExperimentResult, Scenario, ScenarioError, list_scenario_names, load_scenario, run,
                   scenario_from_dict)
from model.intervals import indexed_interval

from presentation import html, numbers, tables
from presentation.workbook import to_excel_bytes

from .i18n import lang, output_label, t

DEFAULT_SEED = 1
DEFAULT_REPS = 20
DEFAULT_COMPARE = ["baseline_standard", "copenhagen_ibbis"]


def default_jobs() -> int:
    """One process by default: with the vectorised core a replication takes ~0.1 s, and on this 2-core
    machine (shared) compare(20 reps) measured 4.3 s with jobs=1 against 5.2 s with jobs=2 (process
    start-up and result pickling outweigh the gain). Planners with more cores can raise it."""
    return 1


# ---- cache --------------------------------------------------------------------------------
class _Miss(Exception):
    """Raised inside the cached function on a lookup that finds nothing (exceptions are not cached)."""


def _raise_miss():
    raise _Miss


@st.cache_data(show_spinner=False, max_entries=16)  # one 20-rep result of a 10-year run is ~30 MB
def _result_cache(scenario_yaml: str, reps: int, seed: int, psets: str | None,
                  _compute: Callable[[], ExperimentResult]) -> ExperimentResult:
    return _compute()


def cached_run(sc: Scenario, reps: int, seed: int, jobs: int = 1,
               progress: Callable[[int, int], None] | None = None,
               parameter_sets: str | None = None) -> tuple[ExperimentResult, bool]:
    """``model.run`` behind ``st.cache_data``: (result, taken_from_cache).

    The run itself happens outside the cached function so that it can drive a progress bar on the
    page (a cached function may not write to elements created outside it); the finished result is
    then stored under the same key.
    """
    key = sc.to_yaml()
    try:
        return _result_cache(key, int(reps), int(seed), parameter_sets, _compute=_raise_miss), True
    except _Miss:
        pass
    res = run(sc, reps=int(reps), seed=int(seed), jobs=int(jobs), progress=progress, parameter_sets=parameter_sets)
    _result_cache(key, int(reps), int(seed), parameter_sets, _compute=lambda: res)
    return res, False


def cached_compare(scenarios: list[Scenario], reps: int, seed: int, jobs: int = 1,
                   progress: Callable[[int, int], None] | None = None,
                   parameter_sets: str | None = None) -> tuple[Comparison, int]:
    """Scenarios on the same replication seeds (common random numbers), the first as baseline.

    Same result as ``model.compare`` (which runs each scenario with ``run`` on one seed), but each
    scenario's run is cached on its own, so a scenario already seen on another page is instant.
    Returns the comparison and how many scenarios came from the cache.
    """
    names = [s.name for s in scenarios]
    if len(scenarios) < 2 or len(set(names)) != len(names):
        raise ScenarioError(f"compare needs at least two scenarios with different names, got {names}")
    total = reps * len(scenarios)
    results, hits = {}, 0
    for k, sc in enumerate(scenarios):
        step = (lambda d, n, k=k: progress(k * reps + d, total)) if progress else None
        res, hit = cached_run(sc, reps, seed, jobs, step, parameter_sets)
        hits += hit
        if progress:
            progress((k + 1) * reps, total)
        results[sc.name] = res
    return Comparison(results, names[0]), hits


# ---- scenarios ----------------------------------------------------------------------------
def library_names() -> list[str]:
    return list_scenario_names()


def load_library(name: str) -> Scenario:
    return load_scenario(name)


UPLOAD_BYTES = 200_000  # a scenario file is a few kB; .streamlit/config.toml caps uploads at 1 MB


def _upload_dict(name: str, content: bytes) -> dict:
    """An uploaded file's YAML as a dict: text, no aliases, at most UPLOAD_BYTES; ScenarioError naming the file."""
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(t("upload_not_text", name=name)) from None
    try:  # no aliases, at most UPLOAD_BYTES, short messages (model/safe_yaml.py)
        data = safe_yaml.load_bytes(content, max_aliases=0, max_bytes=UPLOAD_BYTES)
    except safe_yaml.UnsafeYAMLError as err:
        raise ScenarioError(t("upload_not_yaml", name=name, err=str(err))) from None
    if not isinstance(data, dict):
        raise ScenarioError(t("upload_not_yaml", name=name, err=f"expected a mapping of fields, got {type(data).__name__}"))
    return data


def parse_upload(name: str, content: bytes) -> Scenario:
    """Validate one uploaded scenario file; raise ScenarioError with a message for the page."""
    return scenario_from_dict(_upload_dict(name, content), where=f"file {name}")


UPLOAD_FILES = 20   # files in one upload (or one zip)
YAML_SUFFIXES = (".yaml", ".yml")


def upload_files(uploads: list[tuple[str, bytes]]) -> dict[str, bytes]:
    """The YAML files of an upload by bare file name; a zip contributes its YAML members (folders dropped).
    Raises ScenarioError for a bad zip, too many files or the same name twice."""
    import zipfile
    from pathlib import PurePosixPath

    files: dict[str, bytes] = {}

    def add(name: str, content: bytes) -> None:
        if name in files:
            raise ScenarioError(t("upload_twice", name=name))
        files[name] = content

    for name, content in uploads:
        if name.lower().endswith(".zip"):
            try:
                with zipfile.ZipFile(io.BytesIO(content)) as zf:
                    members = [i for i in zf.infolist() if not i.is_dir()
                               and PurePosixPath(i.filename).suffix.lower() in YAML_SUFFIXES]
                    if len(members) > UPLOAD_FILES:
                        raise ScenarioError(t("upload_too_many", n=UPLOAD_FILES))
                    for i in members:
                        if i.file_size > UPLOAD_BYTES:
                            raise ScenarioError(t("upload_not_yaml", name=i.filename, err=f"larger than {UPLOAD_BYTES} bytes"))
                        add(PurePosixPath(i.filename).name, zf.read(i))
            except zipfile.BadZipFile:
                raise ScenarioError(t("upload_bad_zip", name=name)) from None
        else:
            add(PurePosixPath(name).name, content)
    if len(files) > UPLOAD_FILES:
        raise ScenarioError(t("upload_too_many", n=UPLOAD_FILES))
    return files


def parse_uploads(files: dict[str, bytes]) -> tuple[dict[str, Scenario], dict[str, str]]:
    """Every uploaded scenario that no other uploaded file extends, validated with ``extends`` between the
    uploaded files honoured (``extends: my_municipality_today.yaml``): ({file: scenario}, {file: error}).

    Each file is checked as an upload first (text, YAML, size, no aliases); then all are written to a fresh
    temporary folder and loaded with ``model.load_scenario``, so a file can extend a file beside it or a
    library scenario, and nothing else."""
    import tempfile
    from pathlib import Path

    raw, errors = {}, {}
    for name, content in files.items():
        try:
            raw[name] = _upload_dict(name, content)
        except ScenarioError as err:
            errors[name] = str(err)
    parents = {str(d.get("extends")) for d in raw.values() if d.get("extends")}
    for name, d in raw.items():
        parent = str(d.get("extends") or "")
        if parent.endswith(YAML_SUFFIXES) and parent not in files:
            errors[name] = t("upload_missing_parent", name=name, parent=parent)
    leaves = [n for n in raw if n not in parents and n not in errors] or [n for n in raw if n not in errors]
    scenarios = {}
    with tempfile.TemporaryDirectory(prefix="rtwsim_upload_") as tmp:
        for name, content in files.items():
            if name in raw:
                (Path(tmp) / name).write_bytes(content)
        for name in leaves:
            try:
                scenarios[name] = load_scenario(str(Path(tmp) / name))
            except ScenarioError as err:
                errors[name] = str(err).replace(str(Path(tmp)) + "/", "").replace(Path(tmp).name + "/", "")
    return scenarios, errors


def scenario_file_name(sc: Scenario) -> str:
    return f"{sc.name}.yaml"


# ---- tables ----------------------------------------------------------------------------------
def fmt_value(metric: str, x: float, signed: bool = False) -> str:
    return tables.fmt_value(metric, x, lang(), signed)


def fmt_interval(metric: str, lo: float, hi: float, signed: bool = False) -> str:
    return tables.fmt_interval(metric, lo, hi, lang(), signed)


def fmt_num(x: float, digits: int = 1, signed: bool = False) -> str:
    return numbers.number(x, digits, lang(), signed)


def ci_caption(lo: str, hi: str) -> str:
    """'95%: lo to hi' in the session's language."""
    return numbers.ci(lo, hi, lang())


def readable_summary(summary: pd.DataFrame, signed: bool = False, metrics: list[str] | None = None) -> pd.DataFrame:
    """A summary table (``ExperimentResult.summary()`` shape) with labels and formatted intervals."""
    return tables.readable_summary(summary, lang(), signed, metrics)


def table_downloads(df: pd.DataFrame, basename: str, key: str) -> None:
    """CSV and Excel download buttons for one table."""
    c1, c2, _ = st.columns([1, 1, 4])
    c1.download_button(f"⬇ {t('download_csv')}", df.to_csv(index=False).encode("utf-8"), f"{basename}.csv",
                       "text/csv", key=f"{key}_csv", on_click="ignore")
    c2.download_button(f"⬇ {t('download_xlsx')}", lambda: to_excel_bytes(df, basename), f"{basename}.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_xlsx",
                       on_click="ignore")


def cost_per_return_text(value: float) -> str:
    """The sign of 'net cost per extra return' in words: a negative figure is a saving (issue 14)."""
    import math

    if value is None or math.isnan(value):
        return ""
    return t("inv_cost_per_return_saving" if value < 0 else "inv_cost_per_return_cost", amount=fmt_num(abs(value), 0))


def show_table(df: pd.DataFrame, basename: str, key: str, height: int | None = None) -> None:
    if height:
        st.dataframe(df, hide_index=True, width="stretch", height=height)
    else:
        st.dataframe(df, hide_index=True, width="stretch")
    table_downloads(df, basename, key)


interval_of = indexed_interval   # mean and interval of per-replication values indexed by replication (model.intervals)


def total_returns_per_year(outputs: pd.DataFrame) -> pd.Series:
    """Returns to work per year over all pathways, per replication (the outputs name them by pathway)."""
    cols = [c for c in outputs.columns if c.startswith("returns_per_year.")]
    return outputs.set_index("replication")[cols].sum(axis=1)


# ---- bounded number fields ----------------------------------------------------------------
PROBLEMS = "_input_problems"   # {widget key: message} of this run's out-of-range fields


def start_checks() -> None:
    """Forget last run's out-of-range fields (every page calls this first)."""
    st.session_state[PROBLEMS] = {}


def number_input(where, label: str, lo: float, hi: float, value: float, step: float, *, key: str, **kw):
    """``st.number_input`` whose range is checked here rather than in the browser.

    The browser refuses a value outside ``min_value``/``max_value`` without telling the script, so Run
    would silently use the old value; here the typed value comes through, an out-of-range one gets a
    message naming the field and the allowed range, and ``input_problems()`` blocks Run."""
    v = where.number_input(label, value=value, step=step, key=key, **kw)
    digits = 0 if isinstance(step, int) else max(0, len(f"{step:g}".partition(".")[2]))
    if v is None or not (lo <= v <= hi):
        msg = t("out_of_range", field=label, lo=fmt_num(lo, digits), hi=fmt_num(hi, digits),
                value="-" if v is None else fmt_num(v, digits))
        where.error(msg)
        st.session_state.setdefault(PROBLEMS, {})[key] = msg
    return v


def input_problems() -> list[str]:
    return list(st.session_state.get(PROBLEMS, {}).values())


def run_button(label: str, key: str, disabled: bool = False, **kw) -> bool:
    """The page's Run button, disabled while a field is out of range, with the reason above it."""
    problems = input_problems()
    if problems:
        st.warning(t("run_blocked") + "\n\n" + "\n".join(f"- {m}" for m in problems))
    return st.button(label, type="primary", key=key, disabled=disabled or bool(problems), **kw)


# ---- HTML report --------------------------------------------------------------------------
def report_html(title: str, intro: list[str], sections: list[tuple[str, object]], lang_: str | None = None) -> bytes:
    """One self-contained HTML page (``presentation.html``) in the given (default: the session's) language."""
    return html.page(title, sections, lang=lang_ or lang(), intro=intro).encode("utf-8")


REPORTS = "_report_builders"   # {download key: callable building the report's bytes}


def report_download(title: str, intro: list[str], sections: list[tuple[str, object]], file_name: str, key: str) -> None:
    """The page's HTML report behind a download button. The words are taken now, in the session's language:
    the page itself is built only on click, where Streamlit runs the callable without the session (so a
    language read there would be the default one). ``on_click="ignore"``: a download does not rerun the
    page, so the open tab stays open."""
    lang_ = lang()

    def build() -> bytes:
        return report_html(title, intro, sections, lang_)

    st.session_state.setdefault(REPORTS, {})[key] = build   # the page's last report, for tests and reuse
    st.download_button(f"⬇ {t('download_report')}", build, file_name, "text/html", key=key, on_click="ignore")


CANCELLED = "_run_cancelled"   # set by a Cancel button's callback; the page says so once


def _cancel() -> None:
    st.session_state[CANCELLED] = True


def progress_bar(cancel_key: str | None = "run_cancel"):
    """A progress bar with the time left, a Cancel button, and a callback ``(done, total)`` for the API's
    ``progress=``; returns (placeholder, callback). ``placeholder.empty()`` removes both.

    Each update writes to the page, which is where Streamlit stops a script whose session has asked for
    something else: a click on Cancel (or on any widget) or a closed tab raises inside the callback, so a
    run stops between two replications instead of keeping the server busy; nothing half-done is cached."""
    box = st.empty()
    with box.container():
        bar = st.progress(0.0, text=t("running", done=0, total="…"))
        if cancel_key:
            st.button(t("cancel"), key=cancel_key, on_click=_cancel, icon=":material/stop_circle:")
    start = time.perf_counter()

    def update(done: int, total: int) -> None:
        elapsed = time.perf_counter() - start
        text = t("running", done=done, total=total)
        if 0 < done < total:
            text += " " + t("time_left", s=fmt_num(elapsed / done * (total - done), 0))
        bar.progress(min(done / max(total, 1), 1.0), text=text)

    return box, update


def say_if_cancelled() -> None:
    """After a cancelled run: one line saying so (earlier results stay on the page)."""
    if st.session_state.pop(CANCELLED, False):
        st.info(t("run_cancelled"))


__all__ = ["DEFAULT_COMPARE", "DEFAULT_REPS", "DEFAULT_SEED", "cached_compare", "cached_run", "ci_caption",
           "cost_per_return_text", "default_jobs", "fmt_interval", "fmt_num", "fmt_value", "input_problems",
           "interval_of", "library_names", "load_library", "number_input", "output_label", "parse_upload",
           "parse_uploads", "progress_bar", "readable_summary", "report_download", "report_html", "run_button",
           "say_if_cancelled", "scenario_file_name", "show_table", "start_checks", "table_downloads", "to_excel_bytes",
           "total_returns_per_year", "upload_files"]
