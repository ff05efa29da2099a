"""The app's language: labels from ``presentation.labels`` in the language chosen in the sidebar.

``t(key)`` returns the label in ``st.session_state["lang"]``; ``t(key, n=3)`` fills ``{n}``;
``term(key)`` is the hover explanation of a Danish term, for ``help=`` arguments.
"""
from __future__ import annotations

import streamlit as st

from presentation import labels
from presentation.labels import (DEFAULT_LANG, EFFECT_LABELS, GROUP_LABELS, LABELS, LANG_NAMES, LANGS,  # noqa: F401
                                 METRIC_LABELS, TERMS)


def lang() -> str:
    value = st.session_state.get("lang", DEFAULT_LANG)
    return value if value in LANGS else DEFAULT_LANG


def t(key: str, **fmt) -> str:
    return labels.text(key, lang(), **fmt)


def term(key: str) -> str:
    return labels.term(key, lang())


def metric_label(metric: str) -> str:
    return labels.metric_label(metric, lang())


def group_label(group: str) -> str:
    return labels.group_label(group, lang())


def effect_label(effect: str) -> str:
    return labels.effect_label(effect, lang())


def output_label(output: str) -> str:
    return labels.output_label(output, lang())


def name_label(identifier: str) -> str:
    return labels.name_label(identifier, lang())


def scenario_description(sc) -> str:
    return labels.scenario_description(sc, lang())


def evidence_label(name: str) -> str:
    return labels.evidence_label(name, lang())


def translate_warning(warning: str) -> str:
    return labels.translate_warning(warning, lang())


def parameter_label(path: str) -> str:
    return labels.parameter_label(path, lang())


def bound(label_fn):
    """``label_fn(x, lang)`` with the session's language taken now: for ``format_func=``, which Streamlit may
    call outside the session (a test's ``set_value``), where the language would read as the default."""
    lg = lang()
    return lambda x: label_fn(x, lg)
