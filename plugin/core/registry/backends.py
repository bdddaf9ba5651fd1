"""Which backend serves a registry location: each backend class says with `handles(location)`, asked in the
order of BACKENDS (the first that takes it opens it); base.py knows none of them."""
from ..i18n import tr
from .base import Registry, RegistryError
from .field_package import FieldPackageRegistry
from .postgres import PostgresRegistry
from .sqlite import SQLiteRegistry

# PostgreSQL locations first: text that reads as a connection never becomes a file; a file is a field
# package or else the embedded registry.
BACKENDS = (PostgresRegistry, FieldPackageRegistry, SQLiteRegistry)


def open_registry(uri: str) -> Registry:
    """The registry behind `uri`: a file path (SQLite; a field package made by check_out issues only from its
    reserved blocks), or a PostgreSQL location (postgresql://…, service=…, qgis:<QGIS connection name>,
    host=… dbname=…; see pg_connection). A file is never made from text that reads as a connection."""
    if not uri or not uri.strip():
        raise RegistryError(tr("No registry location was given"))
    return next(backend for backend in BACKENDS if backend.handles(uri))(uri)
