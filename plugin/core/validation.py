"""Validating codes in bulk: each value against a chosen kind of code, or the kind its layout matches.

Kinds are the code profiles today; the national codes a unified code links (统一社会信用代码,
不动产单元号, 投资项目代码) join this list as validators with the same shape.
"""
from dataclasses import dataclass
from typing import Callable, Dict, Iterable, List, Optional

from .i18n import tr
from .profiles import builtin_profiles, match_profile

AUTO = "auto"


@dataclass
class ValidationRow:
    value: object
    kind: Optional[str]
    ok: bool
    reasons: List[str]


def kinds() -> Dict[str, str]:
    """Kind key -> title, for choosers in Processing and the forms (AUTO first)."""
    out = {AUTO: tr("Detect from the code's layout")}
    for name, p in builtin_profiles().items():
        out[name] = tr(p.title) if p.title else name
    return out


def _validator(kind: str, profiles, known_divisions) -> Callable[[str], List[str]]:
    profile = profiles[kind]
    return lambda v: [x.message for x in profile.validate(v, known_divisions)]


def validate_values(values: Iterable, kind: str = AUTO, known_divisions=None) -> List[ValidationRow]:
    profiles = builtin_profiles()
    if kind != AUTO and kind not in profiles:
        raise ValueError(tr("Unknown kind of code: {}").format(kind))
    fixed = _validator(kind, profiles, known_divisions) if kind != AUTO else None
    rows = []
    for v in values:
        text = None if v is None else str(v).strip()
        if fixed:
            reasons, k = fixed(text), kind
        else:
            p = match_profile(text or "", profiles)
            k = p.name if p else None
            reasons = _validator(k, profiles, known_divisions)(text) if p else \
                [tr("The layout matches no known kind of code (length {})").format(len(text or ""))]
        rows.append(ValidationRow(value=v, kind=k, ok=not reasons, reasons=reasons))
    return rows
