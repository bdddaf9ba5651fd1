"""Core errors reach Chinese-speaking users in Chinese: the compiled zh_CN catalogue covers them."""
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from qgis.PyQt.QtCore import QCoreApplication, QTranslator

from citycode.plugin.core.engine.assign import AssignJob, LayerInput, run_assign
from citycode.plugin.core.engine.jobs import EngineError

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


# -- the catalogue stays complete ------------------------------------------------------------------------
TS = os.path.join(REPO, "i18n", "citycode_zh_CN.ts")
QM = os.path.join(REPO, "i18n", "citycode_zh_CN.qm")
# What must survive translation unchanged: format fields ({}, {name}, {x:.6g}, {{...}}), %1, HTML tags and
# entities, line breaks.
MARKS = re.compile(r"\{\{?[^{}]*\}?\}|%\d+|</?[a-zA-Z][^>]*>|&\w+;|\n")


def ts_messages(path=TS):
    return [(ctx.findtext("name"), m.findtext("source"), m.find("translation"))
            for ctx in ET.parse(path).getroot().iter("context") for m in ctx.iter("message")]


def test_every_message_is_translated():
    messages = ts_messages()
    assert len(messages) > 300
    missing = [(ctx, source) for ctx, source, trans in messages
               if trans.get("type") in ("unfinished", "obsolete", "vanished") or not (trans.text or "").strip()]
    assert not missing, "untranslated: {}".format(missing[:10])


def test_translations_keep_placeholders_and_markup():
    wrong = [source for _, source, trans in ts_messages()
             if Counter(MARKS.findall(source)) != Counter(MARKS.findall(trans.text or ""))]
    assert not wrong, wrong[:5]


def test_same_source_same_translation_in_every_context():
    seen = {}
    for _, source, trans in ts_messages():
        seen.setdefault(source, set()).add(trans.text)
    assert not {s: t for s, t in seen.items() if len(t) > 1}


@pytest.mark.skipif(not shutil.which("pylupdate5"), reason="pylupdate5 (pyqt5-dev-tools) not installed")
def test_catalogue_covers_every_string_in_the_code(tmp_path):
    """A tr() string added to the code without a translation fails here (run `make translations`)."""
    copy = tmp_path / "citycode_zh_CN.ts"
    shutil.copy(TS, copy)
    subprocess.run([sys.executable, os.path.join(REPO, "scripts", "update_translations.py"), str(copy)],
                   check=True, stdout=subprocess.DEVNULL)
    fresh = {source for _, source, _ in ts_messages(str(copy))}
    untranslated = sorted(source for _, source, trans in ts_messages(str(copy)) if trans.get("type") == "unfinished")
    assert not untranslated, "new strings to translate: {}".format(untranslated[:10])
    assert fresh == {source for _, source, _ in ts_messages()}, "the .ts is stale: run `make translations`"


LRELEASE = shutil.which("lrelease") or next((p for p in ("/usr/lib/qt5/bin/lrelease",) if os.path.exists(p)), None)


@pytest.mark.skipif(LRELEASE is None, reason="lrelease (qttools5-dev-tools) not installed")
def test_compiled_catalogue_matches_the_ts(tmp_path):
    qm = tmp_path / "fresh.qm"
    subprocess.run([LRELEASE, "-silent", TS, "-qm", str(qm)], check=True)
    with open(QM, "rb") as f:
        assert qm.read_bytes() == f.read(), "i18n/citycode_zh_CN.qm is older than the .ts: run `make translations`"


def test_strings_named_at_run_time_reach_users_in_chinese(zh_cn, citycode_processing):
    """Strings tr() gets from a variable (algorithm names, profile titles, report labels) are in the catalogue
    through QT_TRANSLATE_NOOP."""
    from qgis.core import QgsApplication

    from citycode.plugin.core.engine.report import to_html
    from citycode.plugin.core.codes.validation import kinds

    assert QgsApplication.processingRegistry().algorithmById("citycode:validatecodes").displayName() == "编码校验"
    assert kinds()["building"].startswith("建筑物")
    page = to_html({"title": "t", "created": "2024-01-01", "output": "out.gpkg", "counts": {"new": 3},
                    "conflicts": {"生态保护红线": [{"row": 1, "area_m2": 2.0, "pct": 50.0}]}})
    assert "新发编码" in page and "与 生态保护红线 冲突" in page and "输出：out.gpkg" in page
