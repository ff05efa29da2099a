"""Sensitivity analysis for rtwsim: SALib Morris/Sobol/FAST over any scenario parameter.

Data flows one way: problem file (`problem`) → design matrix (`sampling`) → batched runs on
an executor (`runs`, `executors`) → Parquet result store (`store`) → indices (`indices`) →
tables and plots (`report`). `study` ties the steps together; `commands` is the CLI.
"""

from analysis.errors import ProblemError, SensitivityError, StoreMismatchError
from analysis.problem import Parameter, SensitivityProblem, load_problem

__all__ = [
    "Parameter",
    "ProblemError",
    "SensitivityError",
    "SensitivityProblem",
    "StoreMismatchError",
    "load_problem",
]
