"""Page 4, calibration: a stored fit's targets against the simulated values, accepted parameter ranges.

Reads the records ``rtwsim calibrate`` writes (``calibration/calibrated/*.yaml``) through
``calibration.report.build_report`` and its figures; fitting itself is a long job for the CLI.
Until the calibration package exists the page says so.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from .i18n import t
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
    from .common import report_html, show_table

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
    st.markdown(t("cal_status", status=rec["status"], scenario=prov.get("scenario", "?"),
                  targets=prov.get("targets_file", "?"), trials=prov.get("trials", "?"),
                  reps=prov.get("reps_per_trial", "?"), accepted=len(rec.get("accepted") or []),
                  horizons=", ".join(str(h) for h in prov.get("target_horizons_weeks", []))))
    st.warning(t("caveat"))
    for w in rep.warnings:
        st.info(w)

    st.subheader(t("cal_fit"))
    fit_readable = report.fit_text(rep.fit)
    show_table(fit_readable, f"fit_{name}", "cal_dl_fit")
    figs = []
    accepted = rec.get("accepted") or []
    rejected = rec.get("rejected_candidates") or []
    cols = st.columns(2)
    for k, (_, row) in enumerate(rep.fit.iterrows()):
        acc = [a["simulated"][row["target"]] for a in accepted if a["simulated"].get(row["target"]) is not None]
        rej = [a["simulated"][row["target"]] for a in rejected if a["simulated"].get(row["target"]) is not None]
        fig = report.target_figure(row, acc, rej)
        fig.update_layout(height=300, margin={"l": 40, "r": 20, "t": 50, "b": 40},
                          title={"text": str(row["target"]), "font": {"size": 14}})
        cols[k % 2].plotly_chart(fig, width="stretch", key=f"cal_target_{k}")
        figs.append((str(row["target"]), fig))

    if len(rep.ranges):
        st.subheader(t("cal_ranges"))
        show_table(report.ranges_text(rep.ranges), f"accepted_ranges_{name}", "cal_dl_ranges")
        import pandas as pd
        names_p = [p["name"] for p in rec["free_parameters"]]
        acc_df = pd.DataFrame([a["parameters"] for a in accepted], columns=names_p)
        if len(acc_df):
            fig = report.ranges_figure(rep.ranges, acc_df)
            st.plotly_chart(fig, width="stretch", key="cal_ranges_fig")
            figs.append((t("cal_ranges"), fig))
            pf = report.pairs_figure(acc_df)
            if pf is not None:
                with st.expander(t("cal_pairs")):
                    st.plotly_chart(pf, width="stretch", key="cal_pairs_fig")
                figs.append((t("cal_pairs"), pf))
    else:
        st.info(t("cal_no_ranges"))
    sections = [(t("cal_fit"), fit_readable), *figs]
    if len(rep.ranges):
        sections.insert(1, (t("cal_ranges"), report.ranges_text(rep.ranges)))
    st.download_button(f"⬇ {t('download_report')}",
                       lambda: report_html(f"rtwsim calibration: {name}", [t("caveat")], sections),
                       f"calibration_{name}.html", "text/html", key="cal_dl_report")
