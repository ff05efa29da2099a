"""Which optional layers (budget model, calibration, sensitivity) exist in this checkout.

The pages for investment, calibration and sensitivity build on modules that colleagues add; until a
module exists, its page shows a clear "not available yet" state instead of failing.
"""
from __future__ import annotations

import importlib
import importlib.util

import streamlit as st

from .i18n import t


def available(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def load(module: str):
    """Import a module or return None after showing why on the page."""
    if not available(module):
        return None
    try:
        return importlib.import_module(module)
    except Exception as err:  # a half-landed module must not take the app down
        st.error(t("module_error", module=module, err=f"{type(err).__name__}: {err}"))
        return None


def not_available(module: str) -> None:
    with st.container(border=True, key=f"na_{module.replace('.', '_')}"):
        st.subheader(t("not_available"))
        st.markdown(t("not_available_body", module=module))
