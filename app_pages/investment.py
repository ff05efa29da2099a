"""Placeholder until the page is built."""
import streamlit as st
from .modules import not_available
def render():
    st.header("investment")
    not_available("x")
