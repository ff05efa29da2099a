import numpy as np
import pytest
from pydantic import TypeAdapter, ValidationError
from scipy.special import ndtri

from model.distributions import Duration, Geometric, LogNormal

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


def test_weeks_are_the_plain_numpy_formula():
    """The cached lognormal constants and the two-ufunc clip give the numbers of the formula written out."""
    u = np.concatenate([np.random.default_rng(3).random(500), [0.0, 1e-13, 0.5, 1 - 1e-13, 1.0]])
    for mean, sd, lo, hi in [(3.0, 2.0, 1, 20), (12.0, 6.0, 2, 60), (0.4, 3.0, 0, 520)]:
        d = LogNormal(dist="lognormal", mean=mean, sd=sd, min_weeks=lo, max_weeks=hi)
        for _ in range(2):  # the second time from the cache
            sigma2 = np.log1p((sd / mean) ** 2)
            q = np.exp(np.log(mean) - sigma2 / 2 + np.sqrt(sigma2) * ndtri(np.clip(u, 1e-12, 1 - 1e-12)))
            want = np.clip(np.ceil(q - 1e-9), lo, hi).astype(np.int64)
            assert d.weeks(u).tobytes() == want.tobytes()
    g = Geometric(dist="geometric", mean=4.0)
    want = np.clip(np.ceil(np.maximum(1.0, np.ceil(np.log1p(-np.clip(u, 0, 1 - 1e-12)) / np.log1p(-0.25))) - 1e-9), 0, 520)
    assert g.weeks(u).tobytes() == want.astype(np.int64).tobytes()
