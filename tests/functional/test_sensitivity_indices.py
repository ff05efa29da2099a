"""The SALib path reproduces known indices of test functions, end to end through the store."""

from __future__ import annotations

import math

import pytest

from sensitivity.problem import problem_from_dict
from sensitivity.study import run_study

PI = math.pi
ISHIGAMI_S1 = {"x1": 0.3139, "x2": 0.4424, "x3": 0.0}
ISHIGAMI_ST = {"x1": 0.5576, "x2": 0.4424, "x3": 0.2437}


def ishigami(method: str, samples: int, **extra):
    return problem_from_dict({
        "function": "sensitivity.testfunctions:ishigami", "method": method, "samples": samples,
        "seed": 20261125, "outputs": ["y"],
        "parameters": [{"path": f"x{i}", "bounds": [-PI, PI]} for i in (1, 2, 3)], **extra})


def table(indices, index):
    d = indices[(indices["output"] == "y") & (indices["index"] == index)]
    return {r.parameter: (r.value, r.conf) for r in d.itertuples()}


def test_sobol_reproduces_ishigami_within_salib_confidence_intervals(tmp_path):
    outcome = run_study(ishigami("sobol", 2048, calc_second_order=True), "", tmp_path,
                        jobs=1, progress=False)
    for index, truth in (("S1", ISHIGAMI_S1), ("ST", ISHIGAMI_ST)):
        got = table(outcome.indices, index)
        for name, true_value in truth.items():
            value, conf = got[name]
            assert abs(value - true_value) <= conf, (index, name, value, conf)
            assert conf < 0.1  # the interval is informative, not a free pass
    s2 = outcome.indices[outcome.indices["index"] == "S2"].set_index(["parameter", "parameter2"])
    # the only interaction of Ishigami is x1 x x3: S2 = ST1 - S1_1 = 0.244
    value, conf = s2.loc[("x1", "x3"), ["value", "conf"]]
    assert abs(value - 0.2437) <= conf


def test_fast_reproduces_ishigami_first_order(tmp_path):
    outcome = run_study(ishigami("fast", 1000), "", tmp_path, jobs=1, progress=False)
    got = table(outcome.indices, "S1")
    for name, true_value in ISHIGAMI_S1.items():
        assert got[name][0] == pytest.approx(true_value, abs=0.05)


def test_morris_recovers_exact_elementary_effects_of_a_linear_function(tmp_path):
    problem = problem_from_dict({
        "function": "sensitivity.testfunctions:linear", "method": "morris", "samples": 10,
        "seed": 1, "outputs": ["y"],
        "parameters": [{"path": "a", "bounds": [0, 2]}, {"path": "b", "bounds": [-1, 1]},
                       {"path": "c", "bounds": [5, 6]}]})
    outcome = run_study(problem, "", tmp_path, jobs=1, progress=False)
    assert problem.num_runs == 40
    mu_star, sigma = table(outcome.indices, "mu_star"), table(outcome.indices, "sigma")
    assert mu_star["a"][0] == pytest.approx(6.0)   # |3| x range 2
    assert mu_star["b"][0] == pytest.approx(4.0)   # |-2| x range 2
    assert mu_star["c"][0] == pytest.approx(0.0)
    assert all(sigma[p][0] == pytest.approx(0.0, abs=1e-9) for p in "abc")


def test_morris_on_ishigami_gives_sigma_with_intervals_and_screens_x3_by_sigma(tmp_path):
    outcome = run_study(ishigami("morris", 30), "", tmp_path, jobs=1, progress=False)
    sigma, mu_star = table(outcome.indices, "sigma"), table(outcome.indices, "mu_star")
    for name in ("x1", "x2", "x3"):
        value, conf = sigma[name]
        assert 0 < conf < value  # bootstrap half-width: present, finite, smaller than sigma
    # x3 acts only through its interaction with x1: a small mean effect, large sigma
    assert sigma["x3"][0] > mu_star["x3"][0] * 0.8
