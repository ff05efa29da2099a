"""Page 4, calibration: a stored fit's targets against the simulated values, accepted parameter ranges.

Reads the records ``rtwsim calibrate`` writes (``calibration/calibrated/*.yaml``) through
``calibration.report.build_report`` and its figures; fitting itself is a long job for the CLI.
Until the calibration package exists the page says so.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from .i18n import LABELS, t
from .modules import available, load, not_available

NEEDS = ("calibration.report", "calibration.files")


def records(files) -> list[Path]:
    return sorted(Path(files.CALIBRATED_DIR).glob("*.y*ml"))


def render() -> None:
    st.header(t("page_calibration"))
    if not all(available(m) for m in NEEDS):
        not_available(" + ".join(NEEDS))
        return
    report, files = load("calibration.report"), load("calibration.files")
    if report is None or files is None:
        return
    from presentation import figures
    from presentation.tables import fit_text, ranges_text

    from .common import report_download, show_table
    from .i18n import lang, parameter_label, translate_warning

    lg = lang()
    st.caption(t("cal_intro"))
    found = records(files)
    if not found:
        st.info(t("cal_none"))
        return
    names = [p.stem for p in found]
    default = names.index("copenhagen_ibbis") if "copenhagen_ibbis" in names else 0
    name = st.selectbox(t("cal_record"), names, index=default, key="cal_record", help=t("cal_record_help"))
    try:
        rep = report.build_report(found[names.index(name)])
    except Exception as err:  # a broken or half-written record: say which and keep the app running
        st.error(t("cal_error", name=name, err=f"{type(err).__name__}: {err}"))
        return
    rec = rep.record
    prov = rec["provenance"]
    status = t(f"cal_status_{rec['status']}") if f"cal_status_{rec['status']}" in LABELS else rec["status"]
    st.markdown(t("cal_status", status=status, scenario=prov.get("scenario", "?"),
                  targets=prov.get("targets_file", "?"), trials=prov.get("trials", "?"),
                  reps=prov.get("reps_per_trial", "?"), accepted=len(rec.get("accepted") or []),
                  horizons=", ".join(str(h) for h in prov.get("target_horizons_weeks", []))))
    st.warning(t("caveat"))
    warnings = [translate_warning(w) for w in rep.warnings]
    for w in warnings:
        st.info(w)

    st.subheader(t("cal_fit"))
    fit_readable = fit_text(rep.fit, lg)
    show_table(fit_readable, f"fit_{name}", "cal_dl_fit")
    figs = []
    cols = st.columns(2)
    for k, (_, row) in enumerate(rep.fit.iterrows()):
        fig = figures.target_figure(row, rep.simulated(row["target"]), rep.simulated(row["target"], "rejected"),
                                    lang=lg, title=str(row["target"]))
        cols[k % 2].plotly_chart(fig, width="stretch", key=f"cal_target_{k}")
        figs.append((str(row["target"]), fig))

    if len(rep.ranges):
        st.subheader(t("cal_ranges"))
        ranges = ranges_text(rep.ranges, lg, parameter_label)
        show_table(ranges, f"accepted_ranges_{name}", "cal_dl_ranges")
        acc_df = rep.accepted()
        if len(acc_df):
            fig = figures.ranges_figure(rep.ranges, acc_df, lang=lg, name=parameter_label)
            st.plotly_chart(fig, width="stretch", key="cal_ranges_fig")
            figs.append((t("cal_ranges"), fig))
            pf = figures.pairs_figure(acc_df, lang=lg, name=parameter_label)
            if pf is not None:
                with st.expander(t("cal_pairs")):
                    st.plotly_chart(pf, width="stretch", key="cal_pairs_fig")
                figs.append((t("cal_pairs"), pf))
    else:
        st.info(t("cal_no_ranges"))
    sections = [(t("cal_fit"), fit_readable), *figs]
    if len(rep.ranges):
        sections.insert(1, (t("cal_ranges"), ranges))
    report_download(f"rtwsim: {t('page_calibration')} {name}", [t("caveat"), *warnings], sections,
                    f"calibration_{name}.html", "cal_dl_report")
