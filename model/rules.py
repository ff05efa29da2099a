"""Statutory rules from a versioned rule table (``model/rules/*.yaml``) and the logic that applies them.

Why a table: the rules that decide how long a citizen is paid and who pays (sygedagpengeloven §§ 24
and 27, the financing act §§ 5-6, the 2025 simplification) change with the law. Each entry carries
its paragraph, its source and the years it applies; a scenario uses the entries in force in its
``economics.start_year`` (as the rate table picks rates by year). Bad tables fail with named errors.

The model steps in weeks. Calendar months are needed once, for "the end of the calendar month" of
§ 24: week 0 starts on 1 January of ``start_year`` and week ``w`` covers days ``7w .. 7w+6``
(:class:`Calendar`). Everything else stays in weeks.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml

RULES_DIR = Path(__file__).resolve().parent / "rules"
RULE_NAMES = ("reassessment", "extension_nr1", "extension_nr2", "extension_nr3", "extension_nr4", "extension_nr5",
              "extension_nr6", "extension_nr7", "refund_staircase", "refund_restart", "followup_employed")
GROUNDS = ("nr2", "nr3", "nr4")  # extension grounds simulated (§ 27, stk. 1); the others are in the table only


class RuleError(ValueError):
    """A rule table that cannot be used, or a year it does not cover."""


class MissingParagraphError(RuleError):
    """A rule entry without the paragraph of law it comes from."""


class OverlappingYearsError(RuleError):
    """Two entries of one rule claim the same calendar year."""


class NegativeLimitError(RuleError):
    """A week limit, week count or share below zero."""


@dataclass(frozen=True)
class RuleSet:
    """The rules in force in one start year (one entry per rule)."""

    version: str
    year: int
    entries: dict[str, dict]

    def __getitem__(self, name: str) -> dict:
        return self.entries[name]

    @property
    def staircase(self) -> tuple[tuple[int, float], ...]:
        return tuple((int(s["from_week"]), float(s["share"])) for s in self.entries["refund_staircase"]["steps"])

    def limit(self, ground: str) -> int | None:
        v = self.entries["extension_" + ground]["limit_weeks"]
        return None if v is None else int(v)

    def refund_share(self, support_week):
        """Refund share for support week(s) 1, 2, ... since the last restart (§ 5, stk. 2)."""
        from .rate_table import staircase_share

        return staircase_share(self.staircase, support_week)

    def paragraphs(self) -> list[dict]:
        """Rule, paragraph, source and years of every entry in force (for reports and docs)."""
        return [{"rule": k, "paragraph": v["paragraph"], "source": v["source"],
                 "years": f"{v['years'][0]}-{v['years'][1]}"} for k, v in self.entries.items()]


@dataclass(frozen=True)
class RuleTable:
    version: str
    first_year: int
    last_year: int
    rules: dict[str, tuple[dict, ...]]

    def for_year(self, year: int) -> RuleSet:
        if not isinstance(year, int) or not self.first_year <= year <= self.last_year:
            raise RuleError(f"economics.start_year {year!r} is outside the rule table {self.version} "
                            f"(valid years {self.first_year}-{self.last_year})")
        chosen = {}
        for name, entries in self.rules.items():
            hit = [e for e in entries if e["years"][0] <= year <= e["years"][1]]
            if not hit:
                raise RuleError(f"rule table {self.version}: rule {name!r} has no entry for year {year}")
            chosen[name] = hit[0]
        return RuleSet(self.version, year, chosen)


def available_rule_tables() -> list[str]:
    return sorted(p.stem for p in RULES_DIR.glob("*.yaml"))


def parse_rule_table(data: dict, version: str) -> RuleTable:
    """Validate a rule table's content; raises a named :class:`RuleError` subclass."""
    try:
        first, last = (int(x) for x in data["valid_years"])
        raw = data["rules"]
    except (KeyError, TypeError, ValueError) as err:
        raise RuleError(f"rule table {version}: missing or malformed field {err} (needs valid_years: [first, last] "
                        f"and rules)") from None
    unknown = set(raw) - set(RULE_NAMES)
    if unknown:
        raise RuleError(f"rule table {version}: unknown rule(s) {sorted(unknown)}; allowed: {list(RULE_NAMES)}")
    missing = [n for n in RULE_NAMES if n not in raw]
    if missing:
        raise RuleError(f"rule table {version}: rule(s) {missing} missing")
    rules = {}
    for name in RULE_NAMES:
        entries = raw[name]
        if not isinstance(entries, list) or not entries:
            raise RuleError(f"rule table {version}: rules.{name} must be a non-empty list of entries")
        spans = []
        for k, e in enumerate(entries):
            where = f"rule table {version}: rules.{name}[{k}]"
            if not isinstance(e, dict) or not str(e.get("paragraph") or "").strip():
                raise MissingParagraphError(f"{where} has no 'paragraph' (every rule must cite its paragraph of law)")
            if not str(e.get("source") or "").strip():
                raise MissingParagraphError(f"{where} ({e['paragraph']}) has no 'source'")
            try:
                a, b = (int(x) for x in e["years"])
            except (KeyError, TypeError, ValueError):
                raise RuleError(f"{where}: 'years' must be [first, last]") from None
            if a > b:
                raise RuleError(f"{where}: years [{a}, {b}] run backwards")
            for key, v in e.items():
                if key in ("years", "paragraph", "source", "modelled", "at") or isinstance(v, bool) or v is None:
                    continue
                vals = [s[f] for s in v for f in ("from_week", "share")] if key == "steps" else [v]
                if any(float(x) < 0 for x in vals):
                    raise NegativeLimitError(f"{where}: {key} must be >= 0, got {v}")
            spans.append((a, b, k))
        spans.sort()
        for (a1, b1, k1), (a2, b2, k2) in zip(spans, spans[1:]):
            if a2 <= b1:
                raise OverlappingYearsError(f"rule table {version}: rules.{name}[{k1}] ({a1}-{b1}) and "
                                            f"rules.{name}[{k2}] ({a2}-{b2}) overlap")
        rules[name] = tuple(entries)
    for e in rules["refund_staircase"]:
        steps = [int(s["from_week"]) for s in e["steps"]]
        if not steps or steps[0] != 1 or steps != sorted(set(steps)):
            raise RuleError(f"rule table {version}: refund_staircase steps must start at from_week 1 and increase")
        if any(float(s["share"]) > 1 for s in e["steps"]):
            raise RuleError(f"rule table {version}: refund shares must lie in [0, 1]")
    return RuleTable(version, first, last, rules)


@lru_cache(maxsize=8)
def load_rule_table(version: str) -> RuleTable:
    path = RULES_DIR / f"{version}.yaml"
    if not path.exists():
        raise RuleError(f"rules.table: unknown rule table {version!r}; available: {available_rule_tables()}")
    return parse_rule_table(yaml.safe_load(path.read_text(encoding="utf-8")), version)


def rules_for(sc) -> RuleSet:
    """The rule set a scenario runs under: its table, in force in ``economics.start_year``."""
    return load_rule_table(sc.rules.table).for_year(int(sc.economics.start_year))


# ---- calendar --------------------------------------------------------------------------------
class Calendar:
    """Weeks to calendar months, computed once: week 0 starts on 1 January of ``start_year``; week
    ``w`` covers days ``7w .. 7w+6``. Weeks down to ``-PRE_WEEKS`` (spells that began before the
    simulation, e.g. a citizen arriving in week 0 at sickness week 4) are covered too."""

    PRE_WEEKS = 60

    def __init__(self, start_year: int, weeks: int):
        origin = np.datetime64(f"{int(start_year):04d}-01-01", "D")
        self.first_day = -7 * self.PRE_WEEKS
        self.n_days = 7 * (int(weeks) + 2 * self.PRE_WEEKS)
        days = origin + np.arange(self.first_day, self.first_day + self.n_days).astype("timedelta64[D]")
        next_month = (days.astype("datetime64[M]") + np.timedelta64(1, "M")).astype("datetime64[D]")
        self._month_end_day = (next_month - origin).astype(np.int64) - 1  # day (from origin) of each day's month end

    def month_end_week(self, week: int) -> int:
        """The first week wholly after the end of the calendar month in which week ``week`` begins:
        the week the reassessment falls due when the count passes its limit in week ``week``."""
        k = min(max(7 * int(week) - self.first_day, 0), self.n_days - 1)
        return int(self._month_end_day[k]) // 7 + 1

    def month_end_weeks(self, weeks: np.ndarray) -> np.ndarray:
        """:meth:`month_end_week` for an array of weeks."""
        k = np.minimum(np.maximum(7 * np.asarray(weeks, np.int64) - self.first_day, 0), self.n_days - 1)  # np.clip costs more
        return self._month_end_day[k] // 7 + 1


@lru_cache(maxsize=16)
def calendar(start_year: int, weeks: int) -> Calendar:
    return Calendar(start_year, weeks)


# ---- reassessment (§ 24) ---------------------------------------------------------------------
def excluded_weeks(rs: RuleSet) -> int:
    """The first 30 days of a spell do not count (§ 24, stk. 3), in whole weeks."""
    return int(round(rs["reassessment"]["excluded_days"] / 7))


def window_weeks(rs: RuleSet) -> int:
    """9 months in weeks: 9 x 365.25 / 12 / 7 = 39.1, taken as 39."""
    return int(rs["reassessment"]["window_months"] * 365.25 / 12 / 7)


def passing_week(count_start: int, history: list[tuple[int, int]], limit: int, window: int) -> int:
    """The week in which the municipal-benefit count passes ``limit`` weeks: the first week ``p`` >=
    ``count_start`` such that the weeks paid in the ``window`` weeks up to and including ``p`` (this
    spell from ``count_start`` plus earlier spells' paid weeks ``[a, b)`` in ``history``) exceed ``limit``."""
    p = count_start + limit  # with no history the (limit+1)-th week
    if not history:
        return p
    for p in range(count_start, count_start + limit + 1):
        lo = p - window + 1
        n = p - max(count_start, lo) + 1
        for a, b in history:
            n += max(0, min(b, count_start, p + 1) - max(a, lo))
        if n > limit:
            return p
    return count_start + limit


def reassessment_week(cal: Calendar, count_start: int, history: list[tuple[int, int]], rs: RuleSet) -> int:
    """§ 24, stk. 1: at the end of the calendar month in which paid weeks within 9 months pass 22."""
    p = passing_week(count_start, history, int(rs["reassessment"]["benefit_weeks"]), window_weeks(rs))
    return cal.month_end_week(p) if rs["reassessment"]["at"] == "month_end" else p


# ---- refund history (financing act §§ 5-6) ----------------------------------------------------
def support_offsets(starts: np.ndarray, ends: np.ndarray, restart_weeks: int, window: int) -> np.ndarray:
    """Weeks of public support already counted when each support interval begins, for one citizen's
    intervals sorted by start (half-open weeks ``[start, end)``, non-overlapping). The count restarts
    (§ 6) once the self-support weeks since the last restart, within the last ``window`` weeks, reach
    ``restart_weeks``. Self-support = the gaps between intervals."""
    out = np.zeros(starts.size)
    count = 0.0
    gaps: list[tuple[float, float]] = []  # self-support gaps since the last restart
    prev_end = None
    for k in range(starts.size):
        a, b = float(starts[k]), float(ends[k])
        if prev_end is not None and a > prev_end:
            gaps.append((prev_end, a))
            lo = a - window
            selfsup = sum(max(0.0, g1 - max(g0, lo)) for g0, g1 in gaps)
            if selfsup >= restart_weeks:
                count, gaps = 0.0, []
        out[k] = count
        count += max(0.0, b - a)
        prev_end = b if prev_end is None else max(prev_end, b)
    return out


# ---- extension (§ 27, stk. 1) ----------------------------------------------------------------
def choose_ground(rs: RuleSet, ext, in_care: bool, elapsed: int, u_nr3: float, u_nr2: float, u_nr4: float,
                  exclude: tuple[str, ...] = ()) -> str | None:
    """The extension ground that applies ``elapsed`` weeks after the reassessment, or None (jobafklaring).

    Eligibility comes from the citizen's state: in or waiting for treatment -> nr. 3 (if the doctor
    expects work capacity back within its limit); otherwise work capacity to be clarified -> nr. 2;
    otherwise the case may go to the rehabilitation team -> nr. 4. A ground whose limit (counted from
    the reassessment) has passed no longer applies. ``ext`` holds the judgement probabilities
    (scenario ``rules.extension``); the uniforms are the citizen's pre-drawn judgement draws."""
    def open_(g: str) -> bool:
        lim = rs.limit(g)
        return g not in exclude and (lim is None or elapsed < lim)

    if in_care and open_("nr3") and u_nr3 < ext.nr3_expected_recovery:
        return "nr3"
    if open_("nr2") and u_nr2 < ext.nr2_clarification:
        return "nr2"
    if open_("nr4") and u_nr4 < ext.nr4_rehabilitation_team:
        return "nr4"
    return None


def choose_grounds(rs: RuleSet, ext, in_care: np.ndarray, elapsed: np.ndarray, u_nr3: np.ndarray, u_nr2: np.ndarray,
                   u_nr4: np.ndarray, exclude_nr4: np.ndarray) -> np.ndarray:
    """:func:`choose_ground` for arrays of citizens: index into ``("", "nr2", "nr3", "nr4")`` (0 = none)."""
    def open_(g: str) -> np.ndarray:
        lim = rs.limit(g)
        return np.ones(elapsed.shape, bool) if lim is None else elapsed < lim

    nr3 = in_care & open_("nr3") & (u_nr3 < ext.nr3_expected_recovery)
    nr2 = ~nr3 & open_("nr2") & (u_nr2 < ext.nr2_clarification)
    nr4 = ~nr3 & ~nr2 & ~exclude_nr4 & open_("nr4") & (u_nr4 < ext.nr4_rehabilitation_team)
    return nr2 + 2 * nr3 + 3 * nr4  # the grounds exclude each other (np.select costs more on a few citizens)


def ground_end(rs: RuleSet, ground: str, reassessed_week: int, now: int, ext) -> int:
    """The week the extension under ``ground`` ends and is reviewed: its limit counted from the
    reassessment (nr. 2, nr. 3), or the rehabilitation team's decision (nr. 4)."""
    if ground == "nr4":
        return now + int(ext.rehabilitation_team_weeks)
    return reassessed_week + int(rs.limit(ground))
