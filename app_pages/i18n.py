"""The app's language: labels from ``presentation.labels`` in the language chosen in the sidebar.

``t(key)`` returns the label in ``st.session_state["lang"]``; ``t(key, n=3)`` fills ``{n}``;
``term(key)`` is the hover explanation of a Danish term, for ``help=`` arguments. The other helpers
are ``presentation.labels``' functions with the session's language filled in at each call.
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


def _in_session_language(label_fn):
    """``label_fn(x, lang)`` as ``f(x)``, reading the session's language at each call."""
    def label(x):
        return label_fn(x, lang())
    label.__name__, label.__doc__ = label_fn.__name__, label_fn.__doc__
    return label


term = _in_session_language(labels.term)
metric_label = _in_session_language(labels.metric_label)
group_label = _in_session_language(labels.group_label)
effect_label = _in_session_language(labels.effect_label)
output_label = _in_session_language(labels.output_label)
name_label = _in_session_language(labels.name_label)
evidence_label = _in_session_language(labels.evidence_label)
parameter_label = _in_session_language(labels.parameter_label)
scenario_description = _in_session_language(labels.scenario_description)
translate_warning = _in_session_language(labels.translate_warning)


def bound(label_fn):
    """``label_fn(x, lang)`` with the session's language taken now: for ``format_func=``, which Streamlit may
    call outside the session (a test's ``set_value``), where the language would read as the default."""
    lg = lang()
    return lambda x: label_fn(x, lg)
