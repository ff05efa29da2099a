"""docs/seed_systems.md lists every seed system with a scenario or a reason; every named scenario exists and runs."""
import re
from pathlib import Path

import pytest

from core_helpers import is_trial_design
from model import load_scenario, run
from model.budget_lines import costing_problems
from model.scenario import SCENARIO_DIR

DOC = Path(__file__).resolve().parents[2] / "docs" / "seed_systems.md"
ROWS = [line for line in DOC.read_text(encoding="utf-8").splitlines() if re.match(r"\| 00[0-4]", line)]
NAMED = sorted({m for line in ROWS for m in re.findall(r"\.\./scenarios/(\w+)\.yaml", line)})


def test_every_row_has_a_scenario_or_a_reason():
    assert len(ROWS) >= 25
    for line in ROWS:
        cells = [c.strip() for c in line.strip("|").split("|")]
        assert len(cells) == 4, line
        seed, system, scenario, reason = cells
        assert system
        if scenario == "—":
            assert re.search(r"\*\*(not an employment–health pathway|too little information|out of scope)\*\*", reason), line
        else:
            assert "../scenarios/" in scenario, line


def test_every_seed_is_covered():
    assert {line[2:5] for line in ROWS} == {"000", "001", "002", "003", "004"}


@pytest.mark.parametrize("name", NAMED)
def test_named_scenario_exists_validates_and_runs(name):
    assert (SCENARIO_DIR / f"{name}.yaml").exists()
    sc = load_scenario(name)
    assert sc.source
    if sc.costing is not None:
        assert costing_problems(sc) == []
    res = run(sc, reps=1, seed=3, weeks=sc.warmup_weeks + 20)
    assert len(res.spells) > 0


def test_every_seed_scenario_is_in_the_table():
    from model import list_scenario_names
    municipal = {n for n in list_scenario_names() if not is_trial_design(n)}  # trial designs reproduce a study
    assert municipal <= set(NAMED) | {"baseline_standard"}
