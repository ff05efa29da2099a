"""Placeholder until the page is built."""
import streamlit as st
from .modules import not_available
def render():
    st.header("sensitivity")
    not_available("x")
