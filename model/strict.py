"""The base of every input schema: finite numbers only, and a boolean is not a number.

Every pydantic model that reads user input (scenario sections, distributions, economics,
investment, calibration targets and free parameters, sensitivity problems) derives from
``FiniteModel``, so one setting covers every numeric field at any depth, including values inside
dicts and lists:

- ``allow_inf_nan=False``: ``.nan``, ``.inf`` and ``-.inf`` are refused with the field named
  (NaN passes comparisons such as ``x < 0`` and ``abs(sum - 1) > 1e-6`` silently, so field
  validators alone cannot catch it).
- ``true``/``false`` where a number is expected are refused (pydantic would take ``true`` as 1).
- numbers beyond ±MAX_MAGNITUDE (10^12) are refused: no rate, count, week or price in DKK comes
  near it (a municipal budget is below 10^11 DKK), and larger finite values overflow to infinity
  inside the simulation (10^308 sessions a week, exp of a huge log-hazard).
"""
from __future__ import annotations

import math
import types
import typing
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator
from pydantic_core import PydanticCustomError

from .safe_yaml import cut

_NUMBERS = (int, float)
MAX_MAGNITUDE = 1e12


def _leaves(annotation: Any) -> set:
    """The plain types an annotation is made of (through Optional, unions, list, dict, Annotated)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return {type(a) for a in typing.get_args(annotation)}
    if origin is None:
        return {annotation}
    out: set = set()
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        args = args[:1]
    elif origin is dict:
        args = args[1:]  # the keys are names
    for a in args:
        out |= _leaves(a)
    return out


def _numeric_only(annotation: Any) -> bool:
    leaves = _leaves(annotation) - {type(None), types.NoneType}
    if bool in leaves or not leaves & set(_NUMBERS):
        return False
    return all(isinstance(x, type) and issubclass(x, _NUMBERS) for x in leaves)


def _find_huge(value: Any) -> Any:
    """The first number in ``value`` beyond ±MAX_MAGNITUDE (None if there is none)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value if MAX_MAGNITUDE < abs(value) < math.inf else None  # NaN/inf: pydantic names them
    items = value.values() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else ()
    for v in items:
        found = _find_huge(v)
        if found is not None:
            return found
    return None


def _find_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, dict):
        return any(_find_bool(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_find_bool(v) for v in value)
    return False


def error_location(e: Mapping[str, Any]) -> tuple:
    """The location of a pydantic error, with the field a boolean was given for appended."""
    loc = tuple(e.get("loc", ()))
    if e.get("type") == "unusable_number":
        loc += (e["ctx"]["field"],)
    return loc


def error_message(e: Mapping[str, Any]) -> str:
    """A pydantic error message without pydantic's prefixes (and without the field repeated)."""
    msg = e["msg"].removeprefix("Value error, ")
    if e.get("type") == "unusable_number":
        msg = msg.split(": ", 1)[1]
    return msg


_NUMERIC_FIELDS: dict[type, tuple[tuple[str, str | None], ...]] = {}


def _numeric_fields(cls: type[BaseModel]) -> tuple[tuple[str, str | None], ...]:
    """(name, alias) of the class's fields that hold only numbers: read off the annotations once per
    class, since walking them on every validation cost most of a scenario's validation (a Sobol row
    is one validation)."""
    found = _NUMERIC_FIELDS.get(cls)
    if found is None:
        found = tuple((name, field.alias) for name, field in cls.model_fields.items() if _numeric_only(field.annotation))
        _NUMERIC_FIELDS[cls] = found
    return found


class FiniteModel(BaseModel):
    """A pydantic model whose numbers are finite and never booleans (see the module docstring)."""

    model_config = ConfigDict(allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _no_bool_for_number(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        for name, alias in _numeric_fields(cls):
            key = alias if alias in data else name
            if key in data and _find_bool(data[key]):
                raise PydanticCustomError(
                    "unusable_number", "{field}: expected a number, got a boolean ({got}); write the number "
                    "itself (e.g. 1 or 0.5)", {"field": key, "got": cut(repr(data[key]), 80)})
            huge = _find_huge(data[key]) if key in data else None
            if huge is not None:
                raise PydanticCustomError(
                    "unusable_number", "{field}: {got} is beyond ±10^12, larger than any rate, count or price "
                    "the model uses (and it would overflow inside the simulation)",
                    {"field": key, "got": cut(repr(huge), 40)})
        return data
