"""Sensitivity analysis for rtwsim: SALib Morris/Sobol/FAST over any scenario parameter.

Data flows one way: problem file (`problem`) → design matrix (`sampling`) → batched runs on
an executor (`runs`, model.execution) → Parquet result store (`store`) → indices (`indices`) →
tables and plots (analysis.report). `study` ties the steps together; `cli.sensitivity` is the CLI.
"""

from sensitivity.errors import ProblemError, SensitivityError, StoreMismatchError
from sensitivity.problem import Parameter, SensitivityProblem, load_problem

__all__ = [
    "Parameter",
    "ProblemError",
    "SensitivityError",
    "SensitivityProblem",
    "StoreMismatchError",
    "load_problem",
]
