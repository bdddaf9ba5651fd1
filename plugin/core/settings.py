"""The plugin's user settings (QgsSettings under "citycode/"), readable and checkable without a screen.

The dialog (gui/settings_dialog.py) only shows and edits these values; the batch dialog, the locator
and the planning loader read them through load(). The registry is a file, or a shared PostgreSQL registry
named by a PostgreSQL connection saved in QGIS ("qgis:<connection>[?schema=<schema>]", never a password);
check_registry() and setup_roles() are what the dialog's "Test connection" and "Set up roles…" do.
"""
import os
from dataclasses import dataclass, field
from datetime import date
from typing import List, Optional, Tuple

from qgis.core import QgsApplication, QgsSettings

from .i18n import tr
from .registry.pg_connection import DEFAULT_SCHEMA, is_postgres_location
from .codes.profiles import load_profile
from .registry.base import RegistryError, check_file_location
from .registry.backends import open_registry

QGIS_LOCATION = "qgis:"      # pg_connection's prefix of a connection saved in QGIS
SCHEMA_PARAMETER = "?schema="  # and how it is followed by a schema

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
    "planning_group": "planning/group",
    "output_folder": "output/folder",
}


def default_registry_path() -> str:
    """citycode_registry.sqlite in the user's QGIS profile folder (kept with the user's other QGIS data)."""
    return os.path.join(QgsApplication.qgisSettingsDirPath(), REGISTRY_FILE_NAME)


@dataclass
class CityCodeSettings:
    """registry: file path or URI, "" = default_registry_path();
    building_profile / project_profile: a shipped profile name or a JSON profile file path;
    default_year: None = the current year; planning_sources: paths/URIs of the planning layers;
    planning_group: a layer group of the user's whose layers are planning layers too (besides the loader's);
    output_folder: where outputs go unless the user names a file ("" = not chosen yet: ask)."""
    registry: str = ""
    building_profile: str = "building"
    project_profile: str = "project"
    default_year: Optional[int] = None
    issuing_unit: str = ""
    qr_url_template: str = ""   # what a code card's QR holds, e.g. https://example.gov.cn/code/{code} ("" = the code)
    planning_sources: List[str] = field(default_factory=list)
    planning_group: str = ""
    output_folder: str = ""

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
        planning_group=_text(get("planning_group", d.planning_group)),
        output_folder=_text(get("output_folder", d.output_folder)),
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
        "planning_group": values.planning_group.strip(),
        "output_folder": values.output_folder.strip(),
    }
    for attr, value in stored.items():
        s.setValue(PREFIX + KEYS[attr], value)


def remember_output_folder(path: str, settings: Optional[QgsSettings] = None) -> None:
    """Keep the output folder the user chose (the other settings are left as they are)."""
    (settings or QgsSettings()).setValue(PREFIX + KEYS["output_folder"], path.strip())


def registry_problem(path: str) -> str:
    """Why `path` cannot be the registry ("" when it can): its folder must exist and a file already
    there must open as a CityCode registry. A missing file is fine (the first batch creates it)."""
    path = path.strip()
    if not path:
        return ""  # the default location
    if is_postgres_location(path):
        return _opening_error(path)
    try:
        check_file_location(path)  # text that reads as a mistyped connection, not a path
    except RegistryError as e:
        return str(e)
    if os.path.isdir(path):
        return tr("{} is a folder; choose a registry file in it").format(path)
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        return tr("The registry folder does not exist: {}").format(folder)
    return _opening_error(path) if os.path.exists(path) else ""


def output_folder_problem(path: str) -> str:
    """Why `path` cannot take outputs ("" when it can, or when it is not chosen yet)."""
    path = path.strip()
    if not path:
        return ""
    if not os.path.isdir(path):
        return tr("The output folder does not exist: {}").format(path)
    if not os.access(path, os.W_OK):
        return tr("The output folder cannot be written to: {}").format(path)
    return ""


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


# -- the shared registry on PostgreSQL --------------------------------------------------------------------
def qgis_registry_location(connection: str, schema: str = "") -> str:
    """The registry location of the PostgreSQL connection saved in QGIS as `connection`, in `schema` (""
    or the default schema: not written)."""
    schema = schema.strip()
    return QGIS_LOCATION + connection + (SCHEMA_PARAMETER + schema if schema and schema != DEFAULT_SCHEMA else "")


def parse_qgis_registry_location(location: str) -> Optional[Tuple[str, str]]:
    """(connection, schema, "" for the default) of a "qgis:" registry location; None for any other."""
    location = location.strip()
    if not location.startswith(QGIS_LOCATION):
        return None
    connection, _, schema = location[len(QGIS_LOCATION):].partition(SCHEMA_PARAMETER)
    return connection, schema


@dataclass
class RegistryStatus:
    """What "Test connection" found: the server, and the registry in its schema."""
    server: str          # e.g. "PostgreSQL 15.4, 127.0.0.1:5432, database gis, user eve"
    schema: str
    schema_version: int
    codes: int           # codes ever issued (active and retired)


def _postgres(registry):
    from .registry.postgres import PostgresRegistry
    if not isinstance(registry, PostgresRegistry):
        raise RegistryError(tr("This is not a shared PostgreSQL registry"))
    return registry


def _server(conn) -> str:
    info = conn.info
    version = info.server_version  # e.g. 150004 (major * 10000 + minor since PostgreSQL 10)
    where = "{}:{}".format(info.host, info.port) if not info.host.startswith("/") else info.host
    return tr("PostgreSQL {}.{}, {}, database {}, user {}").format(version // 10000, version % 10000, where,
                                                                   info.dbname, info.user)


def check_registry(location: str) -> RegistryStatus:
    """Open the shared registry at `location`, as coding does (its schema is created or migrated when it needs
    to be), and say what it is. Raises RegistryError saying what is wrong."""
    with open_registry(location) as registry:
        registry = _postgres(registry)
        from psycopg2 import sql  # there: opening the registry says what to install when it is missing
        with registry.conn.cursor() as cur:
            cur.execute(sql.SQL("SELECT value FROM {} WHERE key='schema_version'").format(
                sql.Identifier(registry.schema, "meta")))
            version = int(cur.fetchone()[0])
        return RegistryStatus(server=_server(registry.conn), schema=registry.schema, schema_version=version,
                              codes=registry.count())


def setup_roles(location: str) -> List[str]:
    """Make the roles of the shared registry at `location` and give them the registry
    (PostgresRegistry.grant_roles()); what was done, as sentences. Raises RegistryError (PermissionDenied when
    the database user may not)."""
    from .registry.postgres_schema import ROLES
    with open_registry(location) as registry:
        registry = _postgres(registry)

        def existing():
            with registry.conn.cursor() as cur:
                cur.execute("SELECT rolname FROM pg_roles WHERE rolname = ANY(%s)", (list(ROLES),))
                return {r[0] for r in cur.fetchall()}

        before = existing()
        registry.grant_roles()
        made = [r for r in ROLES if r in existing() - before]
        done = []
        if made:
            done.append(tr("Created the roles {}.").format(", ".join(made)))
        if before:
            done.append(tr("The roles {} existed already.").format(", ".join(r for r in ROLES if r in before)))
        done.append(tr("The schema {} now belongs to citycode_admin (may upgrade the registry); citycode_code may "
                       "issue and change codes, citycode_read may read them.").format(registry.schema))
        done.append(tr("Give each user a role, e.g. GRANT citycode_code TO alice;"))
        return done
