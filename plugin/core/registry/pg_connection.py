"""Where a shared (PostgreSQL) registry lives, and how to log in without storing a password.

Registry locations:
  postgresql://user@host:5432/db?sslmode=require&schema=citycode   a libpq URI (postgres:// too)
  service=name [schema=citycode]                                   libpq key=value conninfo, e.g. a service
                                                                   of pg_service.conf
  qgis:<connection name>[?schema=citycode]                         a PostgreSQL connection saved in QGIS
  host=127.0.0.1 port=5432 dbname=gis user=alice [schema=…]       any libpq key=value conninfo
Any text that reads as one of these is a PostgreSQL location (or refused, saying why), never a file name.
The schema defaults to "citycode". A password in the location is refused: libpq finds it in ~/.pgpass,
PGPASSWORD or the service file; a QGIS connection takes it from QGIS's authentication database
(authcfg) or from the connection itself when the user chose to save it there. It is handed to libpq in
memory and never written anywhere by CityCode.
"""
import re
from dataclasses import dataclass, field
from typing import Dict, Optional
from urllib.parse import unquote

from ..i18n import tr
from .base import RegistryError

PREFIXES = ("postgresql:", "postgres:", "service=", "qgis:")
DEFAULT_SCHEMA = "citycode"
_SCHEMA_KV = re.compile(r"(?:^|\s)schema\s*=\s*('(?:[^'\\]|\\.)*'|\S+)")
# libpq's conninfo grammar: key = value pairs, a value bare or in single quotes (backslash escapes).
_CONNINFO = re.compile(r"\s*(?:[A-Za-z_]+\s*=\s*(?:'(?:[^'\\]|\\.)*'|[^\s']+)\s*)+")
_PASSWORD_KV = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)")
_CONNINFO_KEY = re.compile(r"([A-Za-z_]+)\s*=")
# The keywords of libpq (PostgreSQL 16) and our schema: a key=value string naming one of them is a connection.
KEYWORDS = frozenset((
    "host hostaddr port dbname user password passfile channel_binding connect_timeout client_encoding options "
    "application_name fallback_application_name keepalives keepalives_idle keepalives_interval keepalives_count "
    "tcp_user_timeout replication gssencmode sslmode requiressl sslcompression sslcert sslkey sslpassword "
    "sslcertmode sslrootcert sslcrl sslcrldir sslsni requirepeer require_auth ssl_min_protocol_version "
    "ssl_max_protocol_version krbsrvname gsslib gssdelegation service target_session_attrs load_balance_hosts "
    "schema").split())
# QGIS stores a connection's SSL mode as a QgsDataSourceUri::SslMode name, or as its number (older versions).
_SSL_MODES = ("prefer", "disable", "allow", "require", "verify-ca", "verify-full")


@dataclass
class PgLocation:
    dsn: str            # libpq conninfo, without the password
    schema: str
    label: str          # where, for messages (never the password)
    password: Optional[str] = field(default=None, repr=False)

    def connect_args(self) -> Dict[str, str]:
        args = {"dsn": self.dsn}
        if self.password:
            args["password"] = self.password
        return args


def is_postgres_location(uri: str) -> bool:
    """A libpq URI, service=, qgis:<connection>, or key=value text naming a libpq keyword (e.g.
    "host=… dbname=…", quoted values too). A file named "a=b.sqlite" is no connection: "a" is no keyword."""
    text = (uri or "").strip()
    if text.startswith(PREFIXES):
        return True
    return bool(_CONNINFO.fullmatch(text)) and any(k.lower() in KEYWORDS for k in _CONNINFO_KEY.findall(text))


def driver():
    """psycopg2, or a RegistryError saying how to get it."""
    try:
        import psycopg2
        import psycopg2.errors
        import psycopg2.extensions
        import psycopg2.sql  # noqa: F401 (submodules used by the registry)
    except ImportError as e:
        raise RegistryError(tr("The shared registry needs the Python package psycopg2, which is missing ({}). "
                               "QGIS on Windows ships it; on Linux install python3-psycopg2.").format(e)) from None
    return psycopg2


def resolve(uri: str) -> PgLocation:
    """The connection and schema behind a registry location (see the module doc)."""
    pg = driver()
    uri = uri.strip()
    password = None
    if uri.startswith("qgis:"):
        name, _, schema = uri[len("qgis:"):].partition("?schema=")
        params = qgis_connection(name)
        password = params.pop("password", None)
        dsn = pg.extensions.make_dsn(**params)
        label = "qgis:" + name
    elif uri.startswith(("postgresql:", "postgres:")):
        base, _, query = uri.partition("?")
        query = [p for p in query.split("&") if p]
        schemas = [unquote(p[len("schema="):]) for p in query if p.startswith("schema=")]
        schema = schemas[-1] if schemas else ""
        rest = "&".join(p for p in query if not p.startswith("schema="))
        dsn = base + ("?" + rest if rest else "")
        label = re.sub(r"(://[^/@:]*):[^/@]*@", r"\1:***@", dsn)  # never a password in a message
    else:
        found = _SCHEMA_KV.search(uri)
        schema = ""
        if found:
            schema = found.group(1)
            if schema.startswith("'"):
                schema = re.sub(r"\\(.)", r"\1", schema[1:-1])
        dsn = _SCHEMA_KV.sub(" ", uri).strip()
        label = _PASSWORD_KV.sub(r"\1***", dsn)
    try:
        params = pg.extensions.parse_dsn(dsn)
    except pg.ProgrammingError as e:
        raise RegistryError(tr("The registry location {} is not a valid PostgreSQL connection: {}")
                            .format(label, str(e).strip())) from None
    if "password" in params:
        raise RegistryError(tr("The registry location must not contain a password. Use a QGIS connection with "
                               "an authentication configuration (qgis:<connection name>), a service file or "
                               "~/.pgpass."))
    schema = schema or DEFAULT_SCHEMA
    if len(schema.encode()) > 63:
        raise RegistryError(tr("The schema name {} is longer than PostgreSQL allows (63 bytes)").format(schema))
    extra = {"application_name": "CityCode"}
    if "connect_timeout" not in params:
        extra["connect_timeout"] = "10"
    return PgLocation(dsn=pg.extensions.make_dsn(dsn, **extra), schema=schema, label=label, password=password)


def _true(value) -> bool:
    return str(value).lower() == "true"


def _ssl_mode(value) -> Optional[str]:
    text = str(value or "").strip()
    if text.isdigit():
        return _SSL_MODES[int(text)] if int(text) < len(_SSL_MODES) else None
    word = text.lower()
    word = word[3:] if word.startswith("ssl") else word
    word = {"verifyca": "verify-ca", "verifyfull": "verify-full"}.get(word, word)
    return word if word in _SSL_MODES else None


def qgis_connection(name: str) -> Dict[str, str]:
    """libpq parameters of a PostgreSQL connection saved in QGIS, credentials from its authentication database."""
    from qgis.core import QgsApplication, QgsAuthMethodConfig, QgsSettings

    settings = QgsSettings()
    key = "PostgreSQL/connections/" + name
    settings.beginGroup("PostgreSQL/connections")
    known = settings.childGroups()
    settings.endGroup()
    if name not in known:
        raise RegistryError(tr("QGIS has no PostgreSQL connection named '{}' (saved connections: {})")
                            .format(name, ", ".join(known) or "-"))

    def value(item):
        return str(settings.value(key + "/" + item, "") or "")

    params = {}
    if value("service"):
        params["service"] = value("service")
    else:
        params["host"] = value("host")
        params["port"] = value("port") or "5432"
    if value("database"):
        params["dbname"] = value("database")
    sslmode = _ssl_mode(settings.value(key + "/sslmode", ""))
    if sslmode:
        params["sslmode"] = sslmode
    if _true(settings.value(key + "/saveUsername", "")) and value("username"):
        params["user"] = value("username")
    if _true(settings.value(key + "/savePassword", "")) and value("password"):
        params["password"] = value("password")
    authcfg = value("authcfg")
    if authcfg:
        config = QgsAuthMethodConfig()
        QgsApplication.authManager().loadAuthenticationConfig(authcfg, config, True)  # fills config when it can
        if not config.isValid():
            raise RegistryError(tr("QGIS could not read the authentication configuration {} of connection '{}': "
                                   "unlock QGIS's authentication database (master password) or check the "
                                   "configuration").format(authcfg, name))
        if config.method() != "Basic":
            raise RegistryError(tr("The authentication configuration of connection '{}' uses {}; the shared "
                                   "registry supports user name and password (Basic) only").format(
                name, config.method()))
        params["user"] = config.config("username")
        params["password"] = config.config("password")
    return {k: v for k, v in params.items() if v}
