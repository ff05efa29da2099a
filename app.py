"""rtwsim for planners: the Streamlit app (``make app`` = ``streamlit run app.py --server.headless true``).

Pages (one module each in ``app_pages/``): a landing page, scenario explorer, compare scenarios,
investment planner, best split of a budget (optimiser), calibration and sensitivity. The language (Danish / English) is chosen in the
sidebar, or with ``?lang=en`` in the address. The app reaches the simulation only through the
public API of ``model`` (and ``calibration`` / ``analysis`` for their pages); the core never
imports Streamlit. The landing page imports nothing heavy, and ``app_pages.warmup`` loads the
simulation in the background, so the first page is interactive at once.
"""
from __future__ import annotations

import importlib

import streamlit as st

st.set_page_config(page_title="rtwsim", page_icon=":material/work_history:", layout="wide")

from app_pages import home, warmup  # noqa: E402
from app_pages.i18n import DEFAULT_LANG, LANG_NAMES, LANGS, t  # noqa: E402

PAGES = [  # url path, label key, icon
    ("explorer", "page_explorer", ":material/search:"),
    ("compare", "page_compare", ":material/compare_arrows:"),
    ("investment", "page_investment", ":material/payments:"),
    ("optimise", "page_optimise", ":material/insights:"),
    ("calibration", "page_calibration", ":material/target:"),
    ("sensitivity", "page_sensitivity", ":material/tune:"),
]


def _language() -> None:
    if "lang" not in st.session_state:
        q = st.query_params.get("lang")
        st.session_state["lang"] = q if q in LANGS else DEFAULT_LANG
    elif st.session_state["lang"] not in LANGS:  # deselecting the active option keeps a language
        st.session_state["lang"] = DEFAULT_LANG
    st.sidebar.segmented_control(t("language"), LANGS, format_func=LANG_NAMES.get, key="lang")


def _page(module: str):
    def render() -> None:
        importlib.import_module(f"app_pages.{module}").render()
    render.__name__ = f"render_{module}"
    return render


def main() -> None:
    _language()
    pages = [st.Page(home.render, title=t("page_home"), icon=":material/home:", url_path="home", default=True)]
    for path, label, icon in PAGES:
        page = st.Page(_page(path), title=t(label), icon=icon, url_path=path)
        home.PAGE_OBJECTS[path] = page
        pages.append(page)
    nav = st.navigation(pages)
    st.sidebar.caption(t("app_caption"))
    nav.run()
    warmup.start()  # after the page is drawn, so the first page does not wait for the import


main()
