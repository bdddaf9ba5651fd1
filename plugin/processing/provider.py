"""The CityCode Processing provider (id ``citycode``): the toolbox, models, batch runs and qgis_process."""
import os

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from .assign_codes import AssignCodesAlgorithm
from .base import ICON_PATH, tr
from .check_divisions import CheckDivisionsAlgorithm
from .code_points import CodePointsAlgorithm
from .convert_datum import ConvertDatumAlgorithm
from .export_coded_map import ExportCodedMapAlgorithm
from .export_codes import ExportCodesAlgorithm
from .field_package import CheckInAlgorithm, CheckOutAlgorithm, ResolveConflictAlgorithm
from .import_points import ImportPointsAlgorithm
from .observations import ExportObservationsAlgorithm, ImportObservationsAlgorithm
from .overlay_check import OverlayCheckAlgorithm
from .repair_text import RepairTextAlgorithm
from .sample_rasters import SampleRastersAlgorithm
from .update_vintage import UpdateVintageAlgorithm
from .validate_codes import ValidateCodesAlgorithm


class CityCodeProvider(QgsProcessingProvider):

    def id(self):
        return "citycode"

    def name(self):
        return "CityCode"

    def longName(self):
        return tr("CityCode — unified city codes (落图+赋码) and 三区三线 checks")

    def icon(self):
        return QIcon(ICON_PATH) if os.path.isfile(ICON_PATH) else super().icon()

    def svgIconPath(self):
        return ICON_PATH if os.path.isfile(ICON_PATH) else super().svgIconPath()

    def loadAlgorithms(self):
        for alg in (AssignCodesAlgorithm(), OverlayCheckAlgorithm(), ValidateCodesAlgorithm(),
                    ConvertDatumAlgorithm(), RepairTextAlgorithm(), CheckDivisionsAlgorithm(),
                    ExportCodesAlgorithm(), ExportCodedMapAlgorithm(), CodePointsAlgorithm(),
                    ImportPointsAlgorithm(), SampleRastersAlgorithm(), ImportObservationsAlgorithm(),
                    ExportObservationsAlgorithm(), CheckOutAlgorithm(), CheckInAlgorithm(),
                    ResolveConflictAlgorithm(), UpdateVintageAlgorithm()):
            self.addAlgorithm(alg)

    # The engine writes its outputs itself, to files: no memory layers, only GeoPackage or shapefile.
    def supportsNonFileBasedOutput(self):
        return False

    def supportedOutputVectorLayerExtensions(self):
        return ["gpkg", "shp"]

    def defaultVectorFileExtension(self, hasGeometry=True):
        return "gpkg"
