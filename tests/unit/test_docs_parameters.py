"""docs/parameters.md is generated from the scenario schema, is current, and names a source for every parameter."""
from __future__ import annotations

import importlib.util
import sys
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel, Field, create_model

from model.scenario import Effects, Hazard, Scenario

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "parameters.md"


def _load_generator():
    spec = importlib.util.spec_from_file_location("gen_parameters_doc", ROOT / "scripts" / "gen_parameters_doc.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look the module up by name
    spec.loader.exec_module(mod)
    return mod


gen = _load_generator()


def _all_field_names(model: type[BaseModel], seen: set | None = None) -> set[str]:
    """Every field name of every model reachable from ``model``, walked without the generator's help."""
    seen = set() if seen is None else seen
    if model in seen:
        return set()
    seen.add(model)
    names: set[str] = set()
    for name, fi in model.model_fields.items():
        names.add(fi.alias or name)
        stack = [fi.annotation]
        while stack:
            tp = stack.pop()
            if isinstance(tp, type) and issubclass(tp, BaseModel):
                names |= _all_field_names(tp, seen)
            else:
                stack.extend(a for a in typing.get_args(tp) if not isinstance(a, (str, int, float, bool)) or isinstance(a, type))
    return names


def test_committed_parameters_doc_is_current():
    assert DOC.exists(), "docs/parameters.md is missing: run `make docs`"
    assert DOC.read_text(encoding="utf-8") == gen.render(Scenario), (
        "docs/parameters.md is stale: run `make docs` (or .venv/bin/python scripts/gen_parameters_doc.py) and commit it")


def test_every_schema_parameter_names_a_source_or_assumption():
    rows, _ = gen.collect(Scenario)
    missing = gen.missing_sources(rows)
    assert not missing, ("these scenario parameters name neither a source (seed file, DESIGN.md, a secondary or public "
                         "source) nor 'assumption' in their description: " + ", ".join(missing))


def test_every_schema_field_appears_in_the_doc():
    text = DOC.read_text(encoding="utf-8")
    rows, durations = gen.collect(Scenario)
    for r in rows:
        assert f"| `{r.path}` |" in text, r.path
        if r.kind in {"parameter", "choice", "row"}:
            line = next(ln for ln in text.splitlines() if ln.startswith(f"| `{r.path}` |"))
            cells = [c.strip() for c in line.strip("|").split(" | ")]
            assert len(cells) == 6 and cells[5] not in {"", "-", "**MISSING**"}, line
    documented = {r.path.rsplit(".", 1)[-1] for r in rows}
    for dm in durations.values():
        documented |= {fi.alias or n for n, fi in dm.model_fields.items()}
    assert _all_field_names(Scenario) <= documented, _all_field_names(Scenario) - documented
    assert {"fixed", "geometric", "lognormal", "empirical"} <= set(durations)


# ---- the checks can fail -----------------------------------------------------------------------
def _scenario_with_bad_effect_description() -> type[BaseModel]:
    """The real schema, except that one nested effect's description names no source."""
    bad_effects = create_model("BadEffects", __base__=Effects,
                               wellbeing=(float, Field(0.15, description="Per 10 WHO-5 points above 50")))
    bad_hazard = create_model("BadHazard", __base__=Hazard, effects=(bad_effects, Field(default_factory=bad_effects)))
    return create_model("BadScenario", __base__=Scenario, hazard=(bad_hazard, Field(default_factory=bad_hazard)))


def test_source_check_fails_on_an_incomplete_description():
    rows, _ = gen.collect(_scenario_with_bad_effect_description())
    assert "hazard.effects.wellbeing" in gen.missing_sources(rows)
    assert "**MISSING**" in gen.render(_scenario_with_bad_effect_description())


@pytest.mark.parametrize("description, ok", [
    ("Weekly visits", False),
    ("Weekly visits. Assumption", True),
    ("Weekly visits (001)", True),
    ("Weekly visits, DESIGN §4", True),
    ("Weekly visits (secondary)", True),
    ("Weekly visits. Local input", True),
    ("Costs 550,000-700,000 DKK", False),   # digits inside a number are not seed file 000
])
def test_source_detection(description, ok):
    leaf = create_model("Leaf", rate=(float, Field(1.0, ge=0, description=description)))
    top = create_model("Top", clinics=(dict[str, leaf], Field(default_factory=dict, description="Clinics by name")),
                       table=(list[leaf], Field(default_factory=list, description="A table. Assumption")))
    rows, _ = gen.collect(top)
    assert [r.path for r in rows] == ["clinics", "clinics.<key>.rate", "table", "table.<i>.rate"]
    assert (gen.missing_sources(rows) == []) is ok


def test_new_sections_appear_without_editing_the_generator():
    extra = create_model("Budget", fee_dkk=(float, Field(10.0, ge=0, description="Fee per visit. Assumption")))
    wider = create_model("WiderScenario", __base__=Scenario, budget=(extra, Field(default_factory=extra)))
    text = gen.render(wider)
    assert "| `budget.fee_dkk` | Fee per visit. Assumption | DKK | 10 | number; >= 0 | assumption |" in text


def test_check_mode_reports_a_stale_file(tmp_path):
    stale = tmp_path / "parameters.md"
    stale.write_text(gen.render(Scenario).replace("Every input of a scenario", "Some inputs"), encoding="utf-8")
    assert gen.main(["--check", "--out", str(stale)]) == 1
