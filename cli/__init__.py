"""The ``rtwsim`` command line: a thin layer over the public API of ``model``, ``calibration`` and ``analysis``.

``main`` registers every subcommand in one place; ``options`` holds the argument types and the
option groups the commands share (``--reps``/``--seed``/``--jobs``/``--scheduler``/``--out``/``--set``/
``--parameter-sets``/``--evidence``).
"""
