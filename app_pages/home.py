"""Landing page: what rtwsim answers, the pages, how to read the results, the Danish terms.

Imports nothing heavy (no model, no plotly), so it is interactive as soon as the server is up;
``warmup`` loads the simulation in the background meanwhile.
"""
from __future__ import annotations

import streamlit as st

from .i18n import TERMS, lang, t

# The st.Page objects of the navigation, by url path; app.py fills this on every run.
PAGE_OBJECTS: dict = {}

PAGES = [("explorer", "page_explorer", "home_explorer", ":material/search:"),
         ("compare", "page_compare", "home_compare", ":material/compare_arrows:"),
         ("investment", "page_investment", "home_investment", ":material/payments:"),
         ("optimise", "page_optimise", "home_optimise", ":material/insights:"),
         ("calibration", "page_calibration", "home_calibration", ":material/target:"),
         ("sensitivity", "page_sensitivity", "home_sensitivity", ":material/tune:")]


def render() -> None:
    st.header(t("app_title"))
    st.markdown(t("app_caption"))
    st.subheader(t("home_what"))
    # three cards a row: six in one row cut the titles ("Compare scenari...") on a laptop screen
    cols = [*st.columns(3), *st.columns(3)]
    for col, (path, title, body, icon) in zip(cols, PAGES):
        with col.container(border=True, height="stretch"):
            st.page_link(PAGE_OBJECTS[path], label=t(title), icon=icon)
            st.caption(t(body))
    st.subheader(t("home_read"))
    st.markdown(t("home_read_body"))
    st.warning(t("caveat"))
    st.subheader(t("glossary"))
    for key, text in TERMS.items():
        st.markdown(f"- {text[lang()]}")

