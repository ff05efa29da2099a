"""The scenario library: one YAML file per scenario (and ``claims/``), shipped as package data.

This folder is a package only so that an installed rtwsim finds its scenarios with
``importlib.resources`` (``model.library.shipped``) wherever it is installed; it holds no code.
"""
