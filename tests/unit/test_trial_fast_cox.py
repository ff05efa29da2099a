"""The calibration's Cox estimate (model.trial.efron_log_hazard_ratio) against statsmodels' PHReg.

The fit asks for a hazard ratio some 30,000 times, so it maximises Efron's partial likelihood on counts per
event week; these tests hold it to the library's estimate and standard error on the data the model makes:
whole weeks (many ties), censoring, unequal arms."""
import math
import warnings

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.duration.hazard_regression import PHReg

from model.trial import efron_log_hazard_ratio, hazard_ratio_estimate, index_spells, cox_hazard_ratio, trial_value

from .test_trial_outputs import _synthetic


def _phreg(da, ea, db, eb) -> tuple[float, float]:
    x = np.r_[np.ones(len(da)), np.zeros(len(db))][:, None]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = PHReg(np.r_[da, db], x, status=np.r_[ea, eb], ties="efron").fit()
    return float(res.params[0]), float(res.bse[0])


def _direct_efron(da, ea, db, eb) -> float:
    """Efron's partial likelihood written per citizen, maximised by scipy on [-30, 30]: an independent check."""
    from scipy.optimize import minimize_scalar

    t, e, x = np.r_[da, db], np.r_[ea, eb], np.r_[np.ones(len(da)), np.zeros(len(db))]

    def nll(b: float) -> float:
        ll = 0.0
        for tt in np.unique(t[e > 0]):
            dead, risk = (t == tt) & (e > 0), t >= tt
            s_risk, s_dead, d = np.exp(b * x[risk]).sum(), np.exp(b * x[dead]).sum(), dead.sum()
            ll += b * x[dead].sum() - sum(np.log(s_risk - j / d * s_dead) for j in range(d))
        return -ll

    return float(minimize_scalar(nll, bounds=(-30, 30), method="bounded", options={"xatol": 1e-9}).x)


@settings(max_examples=60, deadline=None)
@given(n_a=st.integers(3, 300), n_b=st.integers(3, 300), mean_a=st.floats(2, 60), mean_b=st.floats(2, 60),
       cens_a=st.floats(0, 0.8), cens_b=st.floats(0, 0.8), seed=st.integers(0, 2**32 - 1))
def test_efron_counts_equal_phreg_on_tied_censored_weeks(n_a, n_b, mean_a, mean_b, cens_a, cens_b, seed):
    rng = np.random.default_rng(seed)
    da, db = np.floor(rng.exponential(mean_a, n_a)), np.floor(rng.exponential(mean_b, n_b))
    ea, eb = (rng.random(n_a) >= cens_a).astype(int), (rng.random(n_b) >= cens_b).astype(int)
    beta, se = efron_log_hazard_ratio(da, ea, db, eb)
    if ea.sum() == 0 or eb.sum() == 0:
        assert math.isnan(beta) and math.isnan(se)    # no finite estimate: named as NaN, not a huge number
        return
    ref_beta, ref_se = _phreg(da, ea, db, eb)
    if not np.isfinite(ref_beta) or ref_se > 50:
        # PHReg gives NaN (its Newton steps diverge on small samples) or a huge SE (separated arms: no finite
        # estimate exists): the likelihood maximised directly decides
        direct = _direct_efron(da, ea, db, eb)
        assert (math.isnan(beta) and abs(direct) > 15) or abs(beta - direct) < 1e-5
        return
    assert abs(beta - ref_beta) < 1e-7 and abs(se - ref_se) < 1e-7


def test_the_calibration_value_is_the_tables_hazard_ratio():
    idx = index_spells(_synthetic(1.5))
    table_hr = cox_hazard_ratio(idx, 200, "integrated", "standard", followup_weeks=52)[0]
    fast = trial_value(idx, 200, "hazard_ratio", "integrated", "standard", followup_weeks=52, idx=idx)
    assert abs(fast - table_hr) < 1e-9
    a, b = idx[idx["arm"] == "integrated"], idx[idx["arm"] == "standard"]
    assert hazard_ratio_estimate(a, b, 200, 52) == fast
    assert 1.3 < fast < 1.7


def test_one_arm_without_returns_has_no_estimate():
    beta, se = efron_log_hazard_ratio(np.array([3.0, 5.0]), np.array([0, 0]), np.array([2.0, 4.0]), np.array([1, 1]))
    assert math.isnan(beta) and math.isnan(se)
