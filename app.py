"""rtwsim for planners: the Streamlit app (``make app`` = ``streamlit run app.py --server.headless true``).

Pages (one module each in ``app_pages/``): scenario explorer, compare scenarios, investment planner,
calibration and sensitivity. The language (Danish / English) is chosen in the sidebar, or with
``?lang=en`` in the address. The app reaches the simulation only through the public API of
``model`` (and ``calibration`` / ``analysis`` for their pages); the core never imports Streamlit.
"""
from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="rtwsim", page_icon="🧭", layout="wide")

from app_pages.i18n import DEFAULT_LANG, LANG_NAMES, LANGS, TERMS, lang, t  # noqa: E402


def _language() -> None:
    if "lang" not in st.session_state:
        q = st.query_params.get("lang")
        st.session_state["lang"] = q if q in LANGS else DEFAULT_LANG
    st.sidebar.segmented_control(t("language"), LANGS, format_func=LANG_NAMES.get, key="lang",
                                 selection_mode="single")
    if st.session_state.get("lang") not in LANGS:  # deselecting the active option keeps the language
        st.session_state["lang"] = DEFAULT_LANG


def _page(module: str):
    def render() -> None:
        import importlib
        importlib.import_module(f"app_pages.{module}").render()
    render.__name__ = f"render_{module}"
    return render


def main() -> None:
    _language()
    st.sidebar.title(t("app_title"))
    st.sidebar.caption(t("app_caption"))
    pages = [
        st.Page(_page("explorer"), title=t("page_explorer"), icon="🔎", url_path="explorer", default=True),
        st.Page(_page("compare"), title=t("page_compare"), icon="⚖️", url_path="compare"),
        st.Page(_page("investment"), title=t("page_investment"), icon="💰", url_path="investment"),
        st.Page(_page("calibration"), title=t("page_calibration"), icon="🎯", url_path="calibration"),
        st.Page(_page("sensitivity"), title=t("page_sensitivity"), icon="📊", url_path="sensitivity"),
    ]
    nav = st.navigation(pages)
    with st.sidebar.expander(t("glossary")):
        for term_key, text in TERMS.items():
            if term_key != "crn":
                st.markdown(f"- {text[lang()]}")
    nav.run()


main()
