"""Every scenario in scenarios/ loads, names its source, runs a short run and is listed by `rtwsim scenarios`."""
import pytest

from model import list_scenario_names, load_scenario, run
from cli.main import main
from model.scenario import SCENARIO_DIR

REQUIRED = ["baseline_standard", "copenhagen_ibbis", "aarhus_ibbis", "copenhagen_cms_pilot", "hjorring_investment",
            "kolding_screening", "syddjurs_job_og_sundhed", "vordingborg_tit", "copenhagen_ips",
            "hillerod_rehab_presence", "herning_stress_clinic", "aarhus_rehab_caseworker", "silkeborg_knowledge_sharing",
            "fredensborg_rudersdal_occupational_psychiatry", "sonderborg_clarifying_talk"]


def test_every_seed_system_has_a_file():
    assert set(REQUIRED) <= set(list_scenario_names())


@pytest.mark.parametrize("name", list_scenario_names())
def test_scenario_loads_runs_and_names_its_source(name):
    text = (SCENARIO_DIR / f"{name}.yaml").read_text(encoding="utf-8")
    assert text.lstrip().startswith("#"), "a header comment naming the source"
    sc = load_scenario(name)
    assert sc.source and sc.description
    res = run(sc, reps=1, seed=5, weeks=40)
    assert len(res.spells) > 0 and res.weekly["week"].max() == 39


def test_listed_by_cli(capsys):
    assert main(["scenarios"]) == 0
    out = capsys.readouterr().out
    for name in list_scenario_names():
        assert name in out and "INVALID" not in out
