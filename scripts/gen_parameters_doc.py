"""Generate docs/parameters.md from the scenario schema (model/scenario.py).

The schema is walked recursively: nested models become sections, dict-valued fields of models
(pathways, consultant pools, providers) get a ``<key>`` placeholder in the dotted path, lists of
models (piecewise tables) get ``<i>``, and duration distributions are listed once in their own
section. Nothing is typed in by hand: a new section (economics, investment, ...) appears in the
table as soon as it is in the schema, and ``make docs`` rewrites the file.

Every parameter must name a source (a seed file, DESIGN.md, a secondary or public source), say
"assumption", or say "local input"/"policy input" (a number the planner sets: staff, places, budget)
in its description; text fields (names, references to other names) and switches need none.

    .venv/bin/python scripts/gen_parameters_doc.py            # rewrite docs/parameters.md
    .venv/bin/python scripts/gen_parameters_doc.py --check    # exit 1 if stale or a source is missing
"""
from __future__ import annotations

import argparse
import re
import sys
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

import annotated_types as at
from pydantic import BaseModel
from pydantic.fields import FieldInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DOC = ROOT / "docs" / "parameters.md"

# Placeholders for the free keys of dict-valued fields whose values are models.
KEY_NAMES = {"pathways": "pathway", "consultants": "pool", "pools": "pool", "providers": "provider"}

# Rules enforced by validators in model/scenario.py that field metadata cannot show. Keyed by
# (model class name, field name); an entry for a field that no longer exists is simply unused.
VALIDATOR_RULES = {
    ("Population", "diagnosis"): "keys: depression, anxiety, stress, functional, personality; shares >= 0, sum to 1",
    ("Population", "risk"): "keys: low, medium, high; shares >= 0, sum to 1",
    ("Population", "who5_mean"): "exactly the keys low, medium, high; each 0 - 100",
    ("Allocation", "shares"): "keys: standard, uncoordinated, integrated; shares >= 0, sum to 1",
    ("Allocation", "places_per_year"): "keys: standard, uncoordinated, integrated; integer >= 0 or null",
    ("Hazard", "baseline_weekly"): "exactly the five diagnoses; each >= 0",
    ("Hazard", "risk_multiplier"): "exactly the keys low, medium, high; each >= 0",
    ("Hazard", "duration_dependence"): "starts at from_week 0; from_week strictly increasing",
    ("Relapse", "hazard"): "starts at from_week 0; from_week strictly increasing",
    ("Provider", "therapists"): "internal providers: >= 1",
    ("Provider", "slots_per_therapist"): "internal providers: >= 1",
    ("Provider", "wait"): "required for external providers",
    ("Escalation", "provider"): "required when probability > 0; a name in providers",
    ("Treatment", "provider"): "a name in providers",
    ("Pathway", "consultant_pool"): "a name in consultants",
    ("Scenario", "warmup_weeks"): "below horizon_weeks",
    ("Scenario", "pathways"): "keys: standard, uncoordinated, integrated; every pathway the allocation uses",
    ("Arrivals", "cohort_size"): ">= 1 in cohort mode",
    ("Geometric", "mean"): ">= 1",
    ("Empirical", "probs"): "same length as values; >= 0, sum to 1",
    ("_Dist", "max_weeks"): ">= min_weeks",
}

# What counts as a source in a description. Extend the list when a new kind of source is cited.
SOURCE_PATTERNS: list[tuple[str, str]] = [
    (r"(?<![\d,.])\b(00[0-9])\b(?![,.]?\d)", "seed `{0}`"),
    (r"DESIGN(?:\.md)?\s*(§\s*\d+(?:\s*-\s*\d+)?)", "DESIGN {0}"),
    (r"\bsecondary\b", "secondary source (named in DESIGN.md)"),
    (r"sygedagpengeloven", "sygedagpengeloven"),
    (r"\blov(?:en)?\b|\bLBK\b|bekendtg\w+", "Danish law"),
    (r"\b(?:SØM|Socialstyrelsen|Danmarks Statistik|Statistics Denmark|Jobindsats|STAR|DREAM|"
     r"Finansministeriet|Beskæftigelsesministeriet|refusion\w*|OECD|Cochrane)\b", "public source: {m}"),
    (r"https?://\S+", "{m}"),
    (r"\bcalibrated\b", "calibrated (docs/calibration.md)"),
    (r"\b(?:local|policy) input\b", "local/policy input"),
    (r"\bassumptions?\b", "assumption"),
]


@dataclass
class Row:
    path: str
    section: str
    meaning: str
    unit: str
    default: str
    allowed: str
    kind: str  # "parameter" or "text"
    sources: list[str] = field(default_factory=list)


# ---- type helpers ----------------------------------------------------------------------------
def _strip_annotated(tp: Any) -> Any:
    while get_origin(tp) is typing.Annotated:
        tp = get_args(tp)[0]
    return tp


def _union_args(tp: Any) -> list[Any]:
    """Members of a (possibly nested, possibly Annotated) union, flattened."""
    tp = _strip_annotated(tp)
    if get_origin(tp) in (Union, types.UnionType):
        out: list[Any] = []
        for a in get_args(tp):
            out += _union_args(a)
        return out
    return [tp]


def _non_none(tp: Any) -> list[Any]:
    return [a for a in _union_args(tp) if a is not type(None)]


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _is_duration(tp: Any) -> bool:
    args = _non_none(tp)
    return len(args) > 1 and all(_is_model(a) and "dist" in a.model_fields for a in args)


def _duration_variants(tp: Any) -> list[type[BaseModel]]:
    return [a for a in _non_none(tp) if _is_model(a)]


def _nullable(tp: Any) -> bool:
    return type(None) in _union_args(tp)


def _literal_values(tp: Any) -> list[Any] | None:
    args = _non_none(tp)
    if len(args) == 1 and get_origin(args[0]) is Literal:
        return list(get_args(args[0]))
    return None


# ---- rendering helpers ---------------------------------------------------------------------
def _fmt_value(v: Any) -> str:
    if isinstance(v, BaseModel):
        v = v.model_dump(by_alias=True)
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, dict):
        if "dist" in v:
            return _fmt_duration(v)
        return "{" + ", ".join(f"{k}: {_fmt_value(x)}" for k, x in v.items()) + "}" if v else "{}"
    if isinstance(v, list):
        return "[" + ", ".join(_fmt_value(x) for x in v) + "]"
    if isinstance(v, str):
        return f'"{v}"' if v == "" else v
    return str(v)


def _fmt_duration(d: dict) -> str:
    rest = {k: v for k, v in d.items() if k != "dist"}
    return f"{d['dist']}(" + ", ".join(f"{k} {_fmt_value(v)}" for k, v in rest.items()) + ")"


def _default(fi: FieldInfo) -> tuple[str, bool]:
    """(rendered default, required?)."""
    if fi.is_required():
        return "required", True
    if fi.default_factory is not None:
        try:
            val = fi.default_factory()
        except TypeError:  # factories that take the validated data
            return "(computed)", False
        if isinstance(val, BaseModel):
            return "(section)", False
        return _fmt_value(val), False
    return _fmt_value(fi.default), False


def _bounds(fi: FieldInfo) -> list[str]:
    out = []
    for m in fi.metadata:
        if isinstance(m, at.Ge):
            out.append(f">= {m.ge:g}" if isinstance(m.ge, float) else f">= {m.ge}")
        elif isinstance(m, at.Gt):
            out.append(f"> {m.gt}")
        elif isinstance(m, at.Le):
            out.append(f"<= {m.le:g}" if isinstance(m.le, float) else f"<= {m.le}")
        elif isinstance(m, at.Lt):
            out.append(f"< {m.lt}")
        elif isinstance(m, at.MinLen):
            out.append(f"at least {m.min_length} item(s)")
        elif isinstance(m, at.MaxLen):
            out.append(f"at most {m.max_length} item(s)")
    return out


def _type_name(tp: Any) -> str:
    args = _non_none(tp)
    if len(args) != 1:
        return " or ".join(_type_name(a) for a in args)
    tp = args[0]
    origin = get_origin(tp)
    if origin is Literal:
        return "one of " + ", ".join(f"`{v}`" for v in get_args(tp))
    if origin is list:
        (inner,) = get_args(tp) or (Any,)
        lit = _literal_values(inner)
        if lit is not None:
            return "list of " + ", ".join(f"`{v}`" for v in lit)
        return f"list of {_type_name(inner)}"
    if origin is dict:
        k, v = get_args(tp) or (str, Any)
        return f"mapping name → {_type_name(v)}"
    return {int: "integer", float: "number", bool: "true/false", str: "text", Any: "any"}.get(
        tp, getattr(tp, "__name__", str(tp)))


def _allowed(owner: str, name: str, fi: FieldInfo) -> str:
    tp = fi.annotation
    if _is_duration(tp):
        parts = ["distribution: " + " | ".join(f"`{_dist_name(v)}`" for v in _duration_variants(tp))
                 + " (see [Duration distributions](#duration-distributions))"]
    else:
        parts = [_type_name(tp)]
    b = _bounds(fi)
    if b:
        parts.append(", ".join(b))
    if _nullable(tp) and not _is_duration(tp):
        parts.append("or null")
    elif _nullable(tp):
        parts.append("or null")
    extra = VALIDATOR_RULES.get((owner, name))
    if extra:
        parts.append(extra)
    return "; ".join(parts)


def _dist_name(model: type[BaseModel]) -> str:
    lit = _literal_values(model.model_fields["dist"].annotation)
    return str(lit[0]) if lit else model.__name__.lower()


UNIT_BY_NAME = {
    "per_year": "citizens per year", "cohort_size": "citizens", "recruit_weeks": "weeks",
    "entry_spell_week": "sickness week", "who5_mean": "WHO-5 points (0-100)", "who5_sd": "WHO-5 points",
    "who5_threshold": "WHO-5 points (0-100)", "count": "consultants (FTE)", "caseload_limit": "citizens per consultant",
    "hours_per_week": "hours per consultant per week", "contact_hours": "hours per contact",
    "meeting_hours": "hours per meeting", "therapists": "therapists", "slots_per_therapist": "concurrent courses",
    "sessions_per_week": "sessions per week", "places_per_year": "citizens per year",
    "baseline_weekly": "hazard per week", "treatment_who5_gain": "WHO-5 points per full course",
    "meeting_cap": "meetings", "max_spells": "spells", "from_week": "week",
    "reassessment_week": "sickness week", "places_by_year": "citizens per simulated year",
    "payer": "shares by payer (0-1)", "split": "shares by budget line (0-1)", "start_year": "calendar year",
    "year_shares": "share (0-1) per year", "years": "years",
}
# Names that mean different things in different sections: (section suffix, field) -> unit.
UNIT_BY_SECTION = {("meetings", "count"): "meetings", ("investment", "years"): "calendar years",
                   ("fixed_costs", "years"): "simulated years"}


def _unit(section: str, name: str, fi: FieldInfo) -> str:
    extra = fi.json_schema_extra if isinstance(fi.json_schema_extra, dict) else {}
    if "unit" in extra:
        return str(extra["unit"])
    tp = fi.annotation
    n = name.lower()
    if _is_duration(tp):
        return "weeks (distribution)"
    if _literal_values(tp) is not None or bool in _non_none(tp):
        return "choice"
    if str in _non_none(tp):
        return "text"
    if section.endswith("hazard.effects") or n.endswith("_effect"):
        return "log-hazard (β)"
    for (sec, fname), u in UNIT_BY_SECTION.items():
        if n == fname and section.endswith(sec):
            return u
    if n in UNIT_BY_NAME:
        return UNIT_BY_NAME[n]
    if "dkk" in n or any(w in n for w in ("cost", "price", "fee", "salary", "budget", "rate_per", "amount")):
        return "DKK"
    if "multiplier" in n:
        return "factor (×)"
    if n.endswith("_days") or n == "days":
        return "days"
    if n.endswith("_fraction"):
        return "fraction (0-1)"
    if (n.endswith("_share") or n in {"shares", "diagnosis", "risk", "uptake"} or "share" in n
            or n.endswith("probability")):
        return "share (0-1)"
    if n == "weekly" or n.endswith("_weekly"):
        return "probability per week"
    if "percent" in n or n.endswith("_pct"):
        return "percent"
    if "year" in n:
        return "years" if n.endswith("years") else "year"
    if "week" in n:
        return "weeks"
    if "hours" in n:
        return "hours"
    return "-"


def _sources(text: str) -> list[str]:
    found: list[str] = []
    for pat, label in SOURCE_PATTERNS:
        for m in re.finditer(pat, text, flags=re.IGNORECASE if label in {"assumption", "local/policy input"} or "secondary" in label else 0):
            s = label.format(*[re.sub(r"\s+", "", g) for g in m.groups()], m=m.group(0).rstrip(").,;"))
            if s not in found:
                found.append(s)
    return found


def _is_text(fi: FieldInfo) -> bool:
    """Names, free text and references to other names: not quantities, so they need no source."""
    return all(a is str for a in _non_none(fi.annotation))


def _is_choice(fi: FieldInfo) -> bool:
    """Switches between mechanisms (a Literal, a list of Literals, true/false): a policy or design choice."""
    args = _non_none(fi.annotation)
    if len(args) != 1:
        return False
    tp = args[0]
    if tp is bool or get_origin(tp) is Literal:
        return True
    return get_origin(tp) is list and _literal_values((get_args(tp) or (None,))[0]) is not None


def _is_open(fi: FieldInfo) -> bool:
    """A free-form mapping (``dict[str, Any]``), e.g. a section another module validates."""
    args = _non_none(fi.annotation)
    return len(args) == 1 and get_origin(args[0]) is dict and (get_args(args[0]) or (str, Any))[1] is Any


# ---- the walk --------------------------------------------------------------------------------
def collect(model: type[BaseModel], prefix: str = "", section: str = "", rows: list[Row] | None = None,
            durations: dict[str, type[BaseModel]] | None = None) -> tuple[list[Row], dict[str, type[BaseModel]]]:
    """Rows for every field of ``model`` and its nested models; also the duration variants seen."""
    rows = [] if rows is None else rows
    durations = {} if durations is None else durations
    for name, fi in model.model_fields.items():
        key = fi.alias or name
        path = f"{prefix}{key}"
        tp = fi.annotation
        meaning = " ".join((fi.description or "").split())
        args = _non_none(tp)
        # nested model (possibly optional): a section of its own
        if len(args) == 1 and _is_model(args[0]) and not _is_duration(tp):
            sub = args[0]
            doc = " ".join((fi.description or sub.__doc__ or "").split())
            rows.append(Row(path, section or "(top level)", doc or f"Section {key}", "section",
                            _default(fi)[0], "section" + ("; or null (none)" if _nullable(tp) else ""), "section"))
            collect(sub, f"{path}.", path, rows, durations)
            continue
        # mapping name -> model (pathways, consultant pools, providers)
        if len(args) == 1 and get_origin(args[0]) is dict and _is_model(get_args(args[0])[1]):
            sub = get_args(args[0])[1]
            ph = f"<{KEY_NAMES.get(key, 'key')}>"
            rows.append(Row(path, section or "(top level)", meaning, "mapping", _default(fi)[0],
                            _allowed(model.__name__, name, fi), "section", _sources(meaning)))
            collect(sub, f"{path}.{ph}.", f"{path}.{ph}", rows, durations)
            continue
        # list of models (piecewise tables)
        if len(args) == 1 and get_origin(args[0]) is list and _is_model((get_args(args[0]) or (None,))[0]):
            sub = get_args(args[0])[0]
            row = Row(path, section or "(top level)", meaning, "table", _default(fi)[0],
                      _allowed(model.__name__, name, fi), "parameter", _sources(meaning))
            rows.append(row)
            for sname, sfi in sub.model_fields.items():
                sm = " ".join((sfi.description or "").split())
                rows.append(Row(f"{path}.<i>.{sfi.alias or sname}", section or "(top level)",
                                f"{sm} (one row of `{key}`)".strip(), _unit(path, sname, sfi), "-",
                                _allowed(sub.__name__, sname, sfi), "row", _sources(meaning)))
            continue
        if _is_duration(tp):
            for v in _duration_variants(tp):
                durations[_dist_name(v)] = v
        kind = ("text" if _is_text(fi) else "choice" if _is_choice(fi) else "open" if _is_open(fi)
                else "parameter")
        rows.append(Row(path, section or "(top level)", meaning, _unit(section, name, fi), _default(fi)[0],
                        _allowed(model.__name__, name, fi), kind, _sources(meaning)))
    return rows, durations


def missing_sources(rows: list[Row]) -> list[str]:
    """Paths of parameters whose description names no source and does not say 'assumption'."""
    return [r.path for r in rows if r.kind == "parameter" and not r.sources]


def _cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ") if s else "-"


def _source_cell(r: Row) -> str:
    if r.kind == "text":
        return "- (name or text)"
    if r.kind == "choice":
        return ", ".join(r.sources + ["scenario choice"])
    if r.kind == "open":
        return ", ".join(r.sources + ["free-form; validated by its own module"])
    if r.kind == "section":
        return ", ".join(r.sources) if r.sources else "- (section)"
    if r.kind == "row":
        return "as the table above"
    return ", ".join(r.sources) if r.sources else "**MISSING**"


def render(model: type[BaseModel] | None = None) -> str:
    if model is None:
        from model.scenario import Scenario as model  # noqa: N813
    rows, durations = collect(model)
    n_params = sum(1 for r in rows if r.kind in {"parameter", "row"})
    n_choices = sum(1 for r in rows if r.kind == "choice")
    n_assumption = sum(1 for r in rows if r.kind == "parameter" and r.sources == ["assumption"])
    lines = [
        "# Scenario parameters",
        "",
        "<!-- Generated by scripts/gen_parameters_doc.py from model/scenario.py. Do not edit by hand:",
        "     run `make docs` (or `.venv/bin/python scripts/gen_parameters_doc.py`). A test fails when",
        "     this file is stale or a parameter names neither a source nor \"assumption\". -->",
        "",
        "Every input of a scenario, as the scenario schema (`model/scenario.py`) defines it. The",
        "**path** is the dotted name used in YAML files, in `rtwsim run --set PATH=VALUE` and in",
        "calibration and sensitivity problem files. `<pathway>`, `<pool>` and `<provider>` stand for",
        "the names a scenario gives to its pathways (`standard`, `uncoordinated`, `integrated`),",
        "consultant pools and treatment providers; `<i>` is a row number (from 0) of a piecewise table.",
        "",
        "**Defaults** are the schema's defaults; the shipped scenarios override many of them",
        "(see `scenarios/baseline_standard.yaml`, and `rtwsim run NAME` prints the values a scenario",
        "uses). **Source** names the seed file (`shared/seeds/000`-`004`, Danish), the section of",
        "`DESIGN.md`, a secondary or public source named in DESIGN.md, or says **assumption**: a",
        "value nobody has measured for this purpose, to be given a wide range in calibration and",
        "sensitivity analysis and replaced by local data where a municipality has it; or says",
        "**local/policy input**: a number the planner sets for their own municipality or proposal",
        "(staff, places, budget, payers), which the shipped defaults only illustrate. Text fields",
        "(names and references to other names) need no source; *scenario choices* (switches between",
        "mechanisms: one of a list of values, or true/false) are the planner's design decision and",
        "carry the source of the scenario file that sets them.",
        "",
        f"{n_params} parameters and {n_choices} scenario choices in {len({r.section for r in rows})} sections; "
        f"{n_assumption} of the parameters rest on an assumption alone.",
        "",
        "Units: *log-hazard (β)* is an additive term in the exponent of the weekly return hazard",
        "`h = h0 · rr(risk) · d(week) · m(state) · exp(Σ β_k x_k)` (a β of 0.1 multiplies the hazard",
        "by e^0.1 ≈ 1.105); *hazard per week* is a rate, *probability per week* is the chance of the",
        "event in one week; *share* is a fraction from 0 to 1; *sickness week* counts from the first",
        "day of absence, *weeks* count from the citizen's arrival at the jobcentre unless the meaning",
        "says otherwise. See [odd.md](odd.md) for how each parameter enters the model.",
        "",
    ]
    sections: dict[str, list[Row]] = {}
    for r in rows:
        sections.setdefault(r.section, []).append(r)
    lines.append("## Contents")
    lines.append("")
    for sec in sections:
        lines.append(f"- [`{sec}`](#{_anchor(sec)})")
    lines.append("- [Duration distributions](#duration-distributions)")
    lines.append("")
    for sec, rs in sections.items():
        lines += [f"## `{sec}`", "", "| Parameter | Meaning | Unit | Default | Allowed | Source |",
                  "|---|---|---|---|---|---|"]
        for r in rs:
            lines.append(f"| `{r.path}` | {_cell(r.meaning)} | {_cell(r.unit)} | {_cell(r.default)} | "
                         f"{_cell(r.allowed)} | {_cell(_source_cell(r))} |")
        lines.append("")
    lines += [
        "## Duration distributions",
        "",
        "Fields marked *weeks (distribution)* take one of these forms, chosen by `dist`. Durations are",
        "whole weeks, drawn by inverse CDF from a uniform pre-drawn for each citizen and spell",
        "(`model/distributions.py`), so a scenario that changes a distribution changes the same",
        "citizen's duration, never which citizen is drawn. The source of a distribution's numbers is",
        "the source of the field that uses it.",
        "",
        "| Form | Field | Meaning | Unit | Default | Allowed |",
        "|---|---|---|---|---|---|",
    ]
    for dname, dm in durations.items():
        fields = sorted(dm.model_fields.items(), key=lambda kv: (kv[0] != "dist", kv[0] in {"min_weeks", "max_weeks"}))
        for fname, fi in fields:
            lines.append(f"| `{dname}` | `{fi.alias or fname}` | {_cell(' '.join((fi.description or '').split()))} | "
                         f"{'choice' if fname == 'dist' else 'weeks' if 'week' in fname or fname in {'mean', 'sd', 'values'} else 'share (0-1)' if fname == 'probs' else '-'} | "
                         f"{_cell(_default(fi)[0])} | {_cell(_allowed(dm.__name__ if fname not in {'min_weeks', 'max_weeks'} else '_Dist', fname, fi))} |")
    lines.append("")
    return "\n".join(lines)


def _anchor(sec: str) -> str:
    return re.sub(r"[^a-z0-9 _-]", "", sec.lower()).replace(" ", "-")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--check", action="store_true", help="do not write; exit 1 if the file is stale or a source is missing")
    p.add_argument("--out", type=Path, default=DOC)
    args = p.parse_args(argv)
    from model.scenario import Scenario

    rows, _ = collect(Scenario)
    missing = missing_sources(rows)
    text = render(Scenario)
    if missing:
        print("parameters without a source or 'assumption' in their description (model/scenario.py):",
              file=sys.stderr)
        for m in missing:
            print(f"  {m}", file=sys.stderr)
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is stale: run `make docs`", file=sys.stderr)
            return 1
        return 1 if missing else 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out} "
          f"({sum(1 for r in rows if r.kind in {'parameter', 'row'})} parameters)", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
