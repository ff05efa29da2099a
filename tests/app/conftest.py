"""AppTest helpers: the app's pages run in-process with small replications and English labels."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

APP = str(ROOT / "app.py")
TIMEOUT = 180


def page_script(module: str) -> str:
    return (f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nimport streamlit as st\n"
            f"from app_pages import {module}\n{module}.render()\n")


@pytest.fixture
def app():
    """The whole app (navigation, sidebar, default page) in English."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["lang"] = "en"
    return at


@pytest.fixture
def page():
    """One page of the app on its own, in English: ``page("compare")``."""
    def make(module: str, lang: str = "en") -> AppTest:
        at = AppTest.from_string(page_script(module), default_timeout=TIMEOUT)
        at.session_state["lang"] = lang
        return at
    return make


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [e.value for e in at.error]
    parts += [w.value for w in at.warning] + [i.value for i in at.info] + [s.value for s in at.success]
    parts += [h.value for h in at.header] + [h.value for h in at.subheader]
    return "\n".join(str(p) for p in parts)


def charts(at: AppTest) -> list:
    return list(at.get("plotly_chart"))


def chart_json(chart) -> str:
    return chart.proto.spec


@pytest.fixture(autouse=True)
def _fresh_cache():
    """st.cache_data lives in the test process: start every test with an empty result cache."""
    import streamlit as st
    st.cache_data.clear()
    yield
