"""Core errors reach Chinese-speaking users in Chinese: the compiled zh_CN catalogue covers them."""
import os

import pytest
from qgis.PyQt.QtCore import QCoreApplication, QTranslator

from citycode.plugin.core.engine import AssignJob, EngineError, LayerInput, run_assign

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE = os.path.join(REPO, "resources", "sample", "sample_town.gpkg")


@pytest.fixture
def zh_cn(qgis_app):
    translator = QTranslator()
    assert translator.load(os.path.join(REPO, "i18n", "citycode_zh_CN.qm"))
    QCoreApplication.installTranslator(translator)
    yield
    QCoreApplication.removeTranslator(translator)


def test_missing_division_field_is_reported_in_chinese(zh_cn, tmp_path):
    job = AssignJob(buildings=LayerInput(path=SAMPLE, layer="buildings"),
                    divisions=LayerInput(path=SAMPLE, layer="divisions"), division_field="xzqdm",
                    output=str(tmp_path / "out.gpkg"), registry=str(tmp_path / "registry.sqlite"))
    with pytest.raises(EngineError) as err:
        run_assign(job)
    assert "没有字段" in str(err.value) and "xzqdm" in str(err.value)
    assert not (tmp_path / "out.gpkg").exists()
