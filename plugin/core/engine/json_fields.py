"""GeoJSON properties of any type (nested objects, arrays, a field whose type changes from feature to feature)
for the algorithms that copy a layer's fields through a QGIS feature sink.

GDAL reads such a property as a list field or as text with the JSON subtype. QGIS 3.22 turns the JSON ones into
map/list values, drops the scalars among them (a mixed 'adcode' of 320505 and "320507" comes back as NULL in
every row), and its file writer refuses map and list fields ("Unsupported type for field parent").

They are kept as JSON text, one text field each, rather than flattened into columns: arrays differ in length from
feature to feature (a flattened layer's columns would depend on the data), and the text keeps every value and its
structure, so json.loads gives the property back as it was. Values are read with GDAL from the file when there
is one (what QGIS dropped is there), else written from what QGIS holds.
"""
import json
import os
from typing import Dict, List, Optional

from ..i18n import tr


def _is_json(field) -> bool:
    from ..compat import field_type
    return field.type() in (field_type("Map"), field_type("List"), field_type("StringList")) or (
        field.type() == field_type("String") and field.typeName().upper() == "JSON")


def _text(value) -> Optional[str]:
    """A value QGIS holds as JSON text (None for NULL)."""
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


class JsonFields:
    """The JSON fields of a source and what replaces them: `fields` (theirs as text) and `attributes(feature)`."""

    def __init__(self, fields, path: Optional[str] = None, layer: Optional[str] = None):
        from qgis.core import QgsField, QgsFields
        from ..compat import field_type
        self.indexes = [i for i in range(fields.count()) if _is_json(fields.at(i))]
        self.names = [fields.at(i).name() for i in self.indexes]
        self.fields = QgsFields()
        for i in range(fields.count()):
            field = fields.at(i)
            self.fields.append(QgsField(field.name(), field_type("String")) if i in self.indexes else QgsField(field))
        self._raw = _read_raw(path, layer, self.names) if self.indexes and path else None

    def __bool__(self):
        return bool(self.indexes)

    def attributes(self, feature) -> List:
        values = list(feature.attributes())
        raw = self._raw.get(feature.id()) if self._raw is not None else None
        for i, name in zip(self.indexes, self.names):
            values[i] = raw[name] if raw is not None else _text(values[i])
        return values

    def message(self, layer_name: str) -> str:
        return tr("{}: fields {} hold nested or mixed JSON values (objects, arrays); they are written as JSON "
                  "text, one field each, not flattened, so every value is kept whole").format(
            layer_name, ", ".join(self.names)) if self.indexes else ""


def open_options(path: Optional[str]) -> List[str]:
    """GDAL open options that read a GeoJSON file's arrays as JSON text, as its objects are (not as GDAL's
    list fields, which only some readers and writers carry)."""
    geojson = os.path.splitext(path or "")[1].lower() in (".geojson", ".json", ".geojsonl", ".geojsons")
    return ["ARRAY_AS_STRING=YES"] if geojson else []


def _read_raw(path: str, layer: Optional[str], names: List[str]) -> Optional[Dict[int, Dict[str, Optional[str]]]]:
    """{feature id: {field: JSON text or None}} as GDAL reads the file (arrays as JSON text, not GDAL's lists);
    None when GDAL cannot open it."""
    from osgeo import gdal, ogr
    try:
        ds = gdal.OpenEx(path, gdal.OF_VECTOR, open_options=open_options(path))
        lyr = ds.GetLayerByName(layer) if layer else ds.GetLayer(0)
    except (RuntimeError, AttributeError):  # not a file GDAL opens (an exception or None, as GDAL is set)
        return None
    if lyr is None:
        return None
    defn = lyr.GetLayerDefn()
    index = {name: defn.GetFieldIndex(name) for name in names}
    lists = {name for name, i in index.items() if i >= 0 and defn.GetFieldDefn(i).GetType() in (
        ogr.OFTIntegerList, ogr.OFTInteger64List, ogr.OFTRealList, ogr.OFTStringList)}
    out = {}
    for feature in lyr:
        row = {}
        for name, i in index.items():
            if i < 0 or not feature.IsFieldSetAndNotNull(i):
                row[name] = None
            elif name in lists:
                row[name] = json.dumps(feature.GetField(i), ensure_ascii=False)
            else:
                row[name] = feature.GetFieldAsString(i)
        out[feature.GetFID()] = row
    return out

