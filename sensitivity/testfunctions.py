"""Test functions with known sensitivity indices, evaluated through the same path as the model.

They follow the evaluation-function contract of `evaluators.FunctionEvaluator`:
``fn(params: dict[str, float], seed: numpy.random.SeedSequence) -> dict[str, float]``, with
optional ``parameters`` / ``outputs`` attributes so a problem file can be checked up front.
"""

from __future__ import annotations

import math

import numpy as np

ISHIGAMI_A = 7.0
ISHIGAMI_B = 0.1


def declare(fn, parameters: tuple[str, ...], outputs: tuple[str, ...]) -> None:
    """The parameter and output names a problem file may use with ``fn`` (checked before any run)."""
    setattr(fn, "parameters", parameters)
    setattr(fn, "outputs", outputs)


def ishigami(params: dict[str, float], seed: np.random.SeedSequence) -> dict[str, float]:
    """Ishigami & Homma (1990); on [-pi, pi]^3: S1 = 0.314/0.442/0, ST = 0.558/0.442/0.244.

    ``noisy_y`` adds a small seed-driven noise term, so tests can see that every row received
    its own seed and that executors hand out the same seeds.
    """
    x1, x2, x3 = params["x1"], params["x2"], params["x3"]
    y = math.sin(x1) + ISHIGAMI_A * math.sin(x2) ** 2 + ISHIGAMI_B * x3 ** 4 * math.sin(x1)
    noise = np.random.default_rng(seed).normal(0.0, 0.01)
    return {"y": y, "noisy_y": y + noise}


declare(ishigami, ("x1", "x2", "x3"), ("y", "noisy_y"))


def fails_when_x1_negative(params: dict[str, float], seed: np.random.SeedSequence) -> dict[str, float]:
    """Ishigami that raises for x1 < 0: exercises failure recording on roughly half the runs."""
    if params["x1"] < 0:
        raise ValueError(f"x1 = {params['x1']:.3f} is negative")
    return ishigami(params, seed)


declare(fails_when_x1_negative, ("x1", "x2", "x3"), ("y", "noisy_y"))


def linear(params: dict[str, float], seed: np.random.SeedSequence) -> dict[str, float]:
    """y = 3a - 2b + 0c: Morris elementary effects are exact (mu* = |coef| x range, sigma = 0)."""
    return {"y": 3.0 * params["a"] - 2.0 * params["b"] + 0.0 * params["c"]}


declare(linear, ("a", "b", "c"), ("y",))


def slow_linear(params: dict[str, float], seed: np.random.SeedSequence) -> dict[str, float]:
    """`linear` after a pause of 0.2 s: lets tests stop, kill or starve a study while it runs."""
    import time

    time.sleep(0.2)
    return linear(params, seed)


declare(slow_linear, ("a", "b", "c"), ("y",))
