"""rtwsim: agent-based simulation of return to work for sick-listed citizens with mental disorders.

The public API that the CLI, the app and notebooks share::

    from model import load_scenario, run, compare
    res = run("copenhagen_ibbis", reps=20, seed=1)
    res.summary()
"""
from .batch_key import BATCHED_PATHS, BatchKeyError
from .experiment import (Comparison, ExperimentResult, compare, evaluate, evaluate_runs, output_names, run, simulate,
                         simulate_runs)
from .model import RTWModel
from .intervals import t_interval
from .results import SPELL_METRICS, WEEKLY_METRICS, summarise
from .scenario import (PATHWAYS, Scenario, ScenarioError, list_scenario_names, list_scenarios, load_scenario,
                       scenario_from_dict)
from .streams import replication_seeds

__all__ = ["BATCHED_PATHS", "BatchKeyError", "Comparison", "ExperimentResult", "PATHWAYS", "RTWModel", "SPELL_METRICS", "Scenario", "ScenarioError",
           "WEEKLY_METRICS", "compare", "evaluate", "evaluate_runs", "list_scenario_names", "list_scenarios", "load_scenario",
           "output_names", "replication_seeds", "run", "scenario_from_dict", "simulate", "simulate_runs", "summarise", "t_interval"]
__version__ = "0.1.0"
