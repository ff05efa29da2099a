"""Placeholder until the page is built."""
import streamlit as st

from .i18n import t
from .modules import not_available


def render():
    st.header(t("page_sensitivity"))
    not_available("x")
