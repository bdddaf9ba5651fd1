"""The plugin's user settings (QgsSettings under "citycode/"), readable and checkable without a screen.

The dialog (gui/settings_dialog.py) only shows and edits these values; the batch dialog, the locator
and the planning loader read them through load().
"""
import os
from dataclasses import dataclass, field
from datetime import date
from typing import List, Optional

from qgis.core import QgsApplication, QgsSettings

from .i18n import tr
from .profiles import load_profile
from .registry import RegistryError, open_registry

PREFIX = "citycode/"
REGISTRY_FILE_NAME = "citycode_registry.sqlite"
KEYS = {  # attribute -> QgsSettings key (below PREFIX)
    "registry": "registry",
    "building_profile": "profile/building",
    "project_profile": "profile/project",
    "default_year": "default_year",
    "issuing_unit": "issuing_unit",
    "qr_url_template": "maps/qr_url",
    "planning_sources": "planning/sources",
}


def default_registry_path() -> str:
    """citycode_registry.sqlite in the user's QGIS profile folder (kept with the user's other QGIS data)."""
    return os.path.join(QgsApplication.qgisSettingsDirPath(), REGISTRY_FILE_NAME)


@dataclass
class CityCodeSettings:
    """registry: file path or URI, "" = default_registry_path();
    building_profile / project_profile: a shipped profile name or a JSON profile file path;
    default_year: None = the current year; planning_sources: paths/URIs of the planning layers."""
    registry: str = ""
    building_profile: str = "building"
    project_profile: str = "project"
    default_year: Optional[int] = None
    issuing_unit: str = ""
    qr_url_template: str = ""   # what a code card's QR holds, e.g. https://example.gov.cn/code/{code} ("" = the code)
    planning_sources: List[str] = field(default_factory=list)

    @property
    def registry_path(self) -> str:
        return self.registry or default_registry_path()

    @property
    def year(self) -> int:
        return self.default_year or date.today().year

    def profile_for(self, kind: str) -> str:
        """The profile (name or file) for "building" or "project" features."""
        return self.project_profile if kind == "project" else self.building_profile


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _year(value) -> Optional[int]:
    try:
        return int(_text(value)) or None
    except ValueError:
        return None  # a hand-edited, unreadable year falls back to "this year"


def _list(value) -> List[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):  # an ini file may hand back a single entry as a plain string
        value = [value]
    return [_text(v) for v in value if _text(v)]


def load(settings: Optional[QgsSettings] = None) -> CityCodeSettings:
    s = settings or QgsSettings()
    d = CityCodeSettings()

    def get(attr, default):
        return s.value(PREFIX + KEYS[attr], default)

    return CityCodeSettings(
        registry=_text(get("registry", d.registry)),
        building_profile=_text(get("building_profile", d.building_profile)) or d.building_profile,
        project_profile=_text(get("project_profile", d.project_profile)) or d.project_profile,
        default_year=_year(get("default_year", "")),
        issuing_unit=_text(get("issuing_unit", d.issuing_unit)),
        qr_url_template=_text(get("qr_url_template", d.qr_url_template)),
        planning_sources=_list(get("planning_sources", [])),
    )


def save(values: CityCodeSettings, settings: Optional[QgsSettings] = None) -> None:
    s = settings or QgsSettings()
    stored = {
        "registry": values.registry.strip(),
        "building_profile": values.building_profile.strip(),
        "project_profile": values.project_profile.strip(),
        "default_year": str(values.default_year) if values.default_year else "",
        "issuing_unit": values.issuing_unit.strip(),
        "qr_url_template": values.qr_url_template.strip(),
        "planning_sources": [v.strip() for v in values.planning_sources if v.strip()],
    }
    for attr, value in stored.items():
        s.setValue(PREFIX + KEYS[attr], value)


def registry_problem(path: str) -> str:
    """Why `path` cannot be the registry ("" when it can): its folder must exist and a file already
    there must open as a CityCode registry. A missing file is fine (the first batch creates it)."""
    path = path.strip()
    if not path:
        return ""  # the default location
    if path.startswith(("postgresql:", "postgres:", "service=")):
        return _opening_error(path)
    if os.path.isdir(path):
        return tr("{} is a folder; choose a registry file in it").format(path)
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        return tr("The registry folder does not exist: {}").format(folder)
    return _opening_error(path) if os.path.exists(path) else ""


def _opening_error(uri: str) -> str:
    try:
        open_registry(uri).close()
    except RegistryError as e:
        return str(e)
    return ""


def profile_problem(name_or_path: str) -> str:
    """Why a profile setting cannot be used ("" when it can)."""
    try:
        load_profile(name_or_path.strip())
    except (OSError, ValueError) as e:  # ProfileError and malformed JSON are ValueErrors
        return str(e)
    return ""
