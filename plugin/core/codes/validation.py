"""Validating codes in bulk: each value against a chosen kind of code, or the kind its layout matches.

The kinds are the code profiles (resources/profiles) and the national codes a unified code links
(national_codes.py: 统一社会信用代码, 不动产单元号, 投资项目代码, GB/T 2260 行政区划代码). This module
is their one registry: Processing and the forms list and dispatch through kinds() and validate_values().
"""
from dataclasses import dataclass
from typing import Callable, Dict, Iterable, List, Optional

from . import national_codes
from ..exceptions import CityCodeError
from ..i18n import tr
from .profiles import builtin_profiles, match_profile

AUTO = "auto"


class KindError(CityCodeError, ValueError):
    """A kind of code to check against that there is not."""


@dataclass
class ValidationRow:
    value: object
    kind: Optional[str]
    ok: bool
    reasons: List[str]  # errors and national_codes.Notice items; ok ignores the notices


@dataclass
class Kind:
    title: str
    reasons: Callable[[Optional[str], object], List[str]]  # (text, known_divisions) -> reasons
    matches: Callable[[str], bool]  # (stripped text) -> has this kind's layout


def _registry() -> Dict[str, Kind]:
    """Kind key -> Kind, in the order AUTO tries them: profiles first, then the national codes."""
    out = {}
    for name, p in builtin_profiles().items():
        out[name] = Kind(tr(p.title) if p.title else name,
                         lambda text, known, p=p: [v.message for v in p.validate(text, known)],
                         lambda text, p=p: match_profile(text, {p.name: p}) is not None)
    for key, (title, validator, layout) in national_codes.kinds().items():
        # known_divisions is a profile option; the national codes check against the GB/T 2260 table
        out[key] = Kind(title, lambda text, known, f=validator: f(text), layout)
    return out


def kinds() -> Dict[str, str]:
    """Kind key -> title, for choosers in Processing and the forms (AUTO first)."""
    out = {AUTO: tr("Detect from the code's layout")}
    out.update((key, kind.title) for key, kind in _registry().items())
    return out


def validate_values(values: Iterable, kind: str = AUTO, known_divisions=None) -> List[ValidationRow]:
    registry = _registry()
    if kind != AUTO and kind not in registry:
        raise KindError(tr("Unknown kind of code: {}").format(kind))
    rows = []
    for v in values:
        text = None if v is None else str(v).strip()
        k = kind if kind != AUTO else next(
            (key for key, entry in registry.items() if entry.matches((text or "").upper())), None)
        if k is None:
            reasons = [tr("The layout matches no known kind of code (length {})").format(len(text or ""))]
        else:
            reasons = registry[k].reasons(text, known_divisions)
        rows.append(ValidationRow(value=v, kind=k, ok=not national_codes.errors(reasons), reasons=reasons))
    return rows
