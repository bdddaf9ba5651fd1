"""What a map export works on: its inputs (MapInputs) and the layout bound to clones of them (MapDocument),
apart from maps.py so that the code cards and code tables can name them without importing the export."""
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

from qgis.core import QgsPrintLayout, QgsProject, QgsVectorLayer

from ..definitions import CODE_FIELD
from ..i18n import tr
from .layouts import MapError, text_value
from .map_styles import guess_name_field


@dataclass
class MapInputs:
    buildings: QgsVectorLayer                   # coded buildings or projects (field `code_field`)
    divisions: Optional[QgsVectorLayer] = None  # required for the atlas
    division_field: str = "code"
    division_name_field: str = ""               # "" = guessed (name, mc, 名称 ...), else the code is shown
    planning: Sequence[QgsVectorLayer] = ()
    code_field: str = CODE_FIELD

    def name_field(self, divisions: QgsVectorLayer) -> str:
        """The field naming the divisions of `divisions` (the division layer or its clone): division_name_field
        when given, else guessed."""
        if not self.division_name_field:
            return guess_name_field(divisions, self.division_field)
        if self.division_name_field not in divisions.fields().names():
            raise MapError(tr("The division layer has no field named '{}'").format(self.division_name_field))
        return self.division_name_field


@dataclass
class MapDocument:
    """A layout bound to clones of the input layers in its own project (keep it alive while exporting)."""
    layout: QgsPrintLayout
    project: QgsProject
    mode: str
    layers: Dict[str, QgsVectorLayer]
    warnings: List[str] = field(default_factory=list)
    key: str = ""  # atlas: the field naming a page's PNG file (division code, card code)
    code_tables: List[str] = field(default_factory=list)  # atlas: divisions whose page has a code table
    map_pages: int = 1  # the template's pages (a code table's pages come after them)
    table_fields: tuple = ()  # atlas: (code field, division field) of the code tables
    label_dpi: int = 0  # atlas: the resolution the labels were placed at to choose the code tables

    def page_count(self) -> int:
        """The pages the export writes (an atlas page's code table may take several)."""
        pages = self.layout.pageCollection()
        if self.mode == "single":
            return pages.pageCount()
        atlas = self.layout.atlas()
        atlas.updateFeatures()
        if not self.code_tables:
            return atlas.count() * self.map_pages
        total = 0
        atlas.beginRender()
        try:  # a map page each; a code table takes the pages after it (the layout grows to fit it)
            for i in range(atlas.count()):
                atlas.seekTo(i)  # the layout refreshes: the code table takes the pages it needs
                division = text_value(self.layout.reportContext().feature()[self.key])
                total += pages.pageCount() if division in self.code_tables else self.map_pages
        finally:
            atlas.endRender()
        return total
