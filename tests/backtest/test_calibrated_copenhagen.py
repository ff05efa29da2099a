"""Back-test of the shipped calibration (calibration/calibrated/copenhagen_ibbis.yaml).

Re-simulates the calibrated scenario on a seed the calibration never saw and checks that it still
reproduces the targets of DESIGN §6 (60% vs 48% recovered, integrated ~3 weeks shorter, shorter than
the uncoordinated arm) within the targets' intervals, and stays near the stored fit. A failure means
the model or the targets changed since calibration: re-run `rtwsim calibrate copenhagen_ibbis`.
"""
from __future__ import annotations

import pytest
import yaml

from calibration.files import CALIBRATED_DIR, sha256
from calibration.targets import load_targets
from model import compare, load_scenario, run

CAL = CALIBRATED_DIR / "copenhagen_ibbis.yaml"
SEED = 424242          # not the calibration's seed
REPS = 10


@pytest.fixture(scope="module")
def record():
    return yaml.safe_load(CAL.read_text())


@pytest.fixture(scope="module")
def calibrated(tmp_path_factory):
    p = tmp_path_factory.mktemp("sc") / "copenhagen_ibbis_calibrated.yaml"
    p.write_text("name: copenhagen_ibbis_calibrated\nextends: copenhagen_ibbis\nparameters: calibrated/copenhagen_ibbis\n")
    return load_scenario(p)


def test_record_is_fitted_with_provenance_of_the_current_targets(record):
    tset, tpath = load_targets("copenhagen_ibbis")
    prov = record["provenance"]
    assert record["status"] == "fitted" and record["accepted"]
    assert prov["targets_sha256"] == sha256(tpath), "targets changed since calibration: re-run rtwsim calibrate"
    assert prov["scenario"] == "copenhagen_ibbis" and prov["seed"] is not None
    assert prov["package_version"] and prov["date"]
    assert all(row["within"] for row in record["fit"])


def test_calibrated_scenario_reproduces_the_targets(calibrated, record):
    res = run(calibrated, reps=REPS, seed=SEED)
    out = res.outputs
    rec_int = out["recovered_share.integrated"].mean()
    rec_std = out["recovered_share.standard"].mean()
    gap = (out["mean_benefit_weeks.integrated"] - out["mean_benefit_weeks.standard"]).mean()
    gap_unc = (out["mean_benefit_weeks.integrated"] - out["mean_benefit_weeks.uncoordinated"]).mean()
    assert 0.50 <= rec_int <= 0.70            # 60% [50, 70] (001, local data)
    assert 0.38 <= rec_std <= 0.58            # 48% [38, 58] (001, local data)
    assert 0.06 <= rec_int - rec_std <= 0.18  # the 12-point gap [6, 18] (001)
    assert -6.0 <= gap <= -0.5                # about -3 weeks [-6, -0.5] (001)
    assert gap_unc < 0                        # integrated shorter than the uncoordinated combination (001)
    stored = {row["target"]: row["simulated"] for row in record["fit"]}
    assert rec_int == pytest.approx(stored["recovered_integrated"], abs=0.04)
    assert rec_std == pytest.approx(stored["recovered_control"], abs=0.04)
    assert gap == pytest.approx(stored["spell_gap_integrated_vs_standard"], abs=1.0)
    assert rec_int - rec_std == pytest.approx(stored["recovered_gap_integrated_vs_control"], abs=0.05)


def test_comparison_carries_the_accepted_sets(record):
    k = min(len(record["accepted"]), 8)
    base = load_scenario("baseline_standard")
    comp = compare([base, "copenhagen_ibbis"], reps=k, seed=SEED, weeks=130,
                   parameter_sets="calibrated/copenhagen_ibbis")
    ibbis = comp.results["copenhagen_ibbis"].outputs
    assert 0.40 <= ibbis["recovered_share.integrated"].mean() <= 0.80
    diff = comp.differences().set_index("output")
    assert diff.loc["recovered_share.all", "n"] == k
