"""Pages of the rtwsim Streamlit app (``app.py``), one module per page.

The folder is deliberately not called ``pages/``: Streamlit would auto-discover that name, while
``app.py`` declares the pages itself with ``st.navigation``. Labels come from ``i18n`` (Danish and
English); the computing core is reached only through the public API of ``model`` (and of
``calibration`` / ``analysis`` for their pages).
"""
