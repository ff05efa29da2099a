"""Import the simulation stack in the background as soon as the app first runs.

Importing ``model`` (pandas, scipy, Mesa) takes 3-6 s on this machine; the landing page needs none
of it, so it is drawn at once while this thread loads the explorer and comparison pages for the
planner's first click. Python's import lock makes a page that needs a module before the thread
has finished simply wait for it.
"""
from __future__ import annotations

import importlib
import threading

_started = False
_lock = threading.Lock()
MODULES = ("app_pages.explorer", "app_pages.compare")


def _load() -> None:
    for name in MODULES:
        try:
            importlib.import_module(name)
        except Exception:  # the page itself reports the error when it is opened
            pass


def start() -> None:
    global _started
    with _lock:
        if _started:
            return
        _started = True
    threading.Thread(target=_load, name="rtwsim-warmup", daemon=True).start()
