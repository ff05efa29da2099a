"""Back-test: key outputs of the shipped scenarios stay within tolerance of stored values."""
import json

import pytest

from backtest.core_backtest import CASES, STORE, TOLERANCE, compute


@pytest.fixture(scope="module")
def current():
    return compute()


@pytest.mark.parametrize("scenario", sorted(CASES))
def test_key_outputs_match_stored(current, scenario):
    stored = json.loads(STORE.read_text())[scenario]
    assert stored, "no stored values"
    for key, value in stored.items():
        tol = TOLERANCE[key.split(".")[0]]
        assert current[scenario][key] == pytest.approx(value, abs=tol), (
            f"{scenario} {key}: {current[scenario][key]:.4f} vs stored {value:.4f} (tolerance {tol}); "
            "if the change is intended, regenerate with tests/backtest/core_backtest.py")


def test_integrated_beats_standard_in_copenhagen(current):
    c = current["copenhagen_ibbis"]
    assert c["recovered_share.integrated"] > c["recovered_share.standard"]
    assert c["mean_benefit_weeks.integrated"] < c["mean_benefit_weeks.standard"]
