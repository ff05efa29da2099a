import numpy as np
import pytest
from pydantic import TypeAdapter, ValidationError

from model.distributions import Duration

D = TypeAdapter(Duration)
U = (np.arange(20000) + 0.5) / 20000


def test_fixed_is_constant():
    d = D.validate_python({"dist": "fixed", "weeks": 5})
    assert set(d.weeks(U)) == {5}


def test_geometric_mean_and_support():
    d = D.validate_python({"dist": "geometric", "mean": 8})
    w = d.weeks(U)
    assert w.min() >= 1
    assert abs(w.mean() - 8) < 0.2


def test_lognormal_mean_close_to_parameter():
    d = D.validate_python({"dist": "lognormal", "mean": 12, "sd": 4})
    assert abs(d.weeks(U).mean() - 12.5) < 0.6  # ceil adds about half a week


def test_truncation_applies():
    d = D.validate_python({"dist": "lognormal", "mean": 12, "sd": 10, "min_weeks": 3, "max_weeks": 15})
    w = d.weeks(U)
    assert w.min() == 3 and w.max() == 15


def test_empirical_frequencies():
    d = D.validate_python({"dist": "empirical", "values": [2, 10], "probs": [0.25, 0.75]})
    w = d.weeks(U)
    assert abs((w == 2).mean() - 0.25) < 0.001


def test_quantile_monotone_for_crn():
    d = D.validate_python({"dist": "lognormal", "mean": 12, "sd": 5})
    assert np.all(np.diff(d.weeks(U)) >= 0)


@pytest.mark.parametrize("bad, needle", [
    ({"dist": "empirical", "values": [1, 2], "probs": [0.5]}, "same length"),
    ({"dist": "empirical", "values": [1, 2], "probs": [0.5, 0.6]}, "sum to 1"),
    ({"dist": "lognormal", "mean": -1, "sd": 1}, "greater than 0"),
    ({"dist": "weibull", "mean": 3}, "fixed"),
    ({"dist": "fixed", "weeks": 3, "min_weeks": 5, "max_weeks": 2}, "max_weeks"),
])
def test_invalid_distributions(bad, needle):
    with pytest.raises(ValidationError, match=needle):
        D.validate_python(bad)
