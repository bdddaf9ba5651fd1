"""After a split or a merge through the Python API (feature_coding.FeatureCoder), running assigncodes over
the layer again finds every code: no retired footprint gets a new code, the children are "existing"."""
import pytest
from test_feature_coding import DIV_A, YEAR, _geom, _layer, _write

from qgis.core import QgsFeature, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication

from citycode.plugin.core.engine import feature_coding as fc
from citycode.plugin.core.engine.feature_analysis import layer_namespace
from citycode.plugin.core.engine.assign import AssignJob, LayerInput, run_assign
from citycode.plugin.core.registry.backends import open_registry

DIVISIONS = {DIV_A: (0, 0, 100, 100)}
HOUSES = {1: (10, 10, 30, 30), 2: (50, 50, 60, 70), 3: (70, 10, 90, 20)}


@pytest.fixture(params=["id", "fingerprint"])
def town(request, tmp_path, qgis_app):
    """Houses with an id field, or without one (identities are geometry fingerprints then)."""
    gpkg = tmp_path / "town.gpkg"
    _write(gpkg, "divisions", [("code", "string")], [((c,), _geom(r)) for c, r in DIVISIONS.items()])
    with_id = request.param == "id"
    fields = ([("id", "integer")] if with_id else []) + [("year", "integer"), ("citycode", "string")]
    _write(gpkg, "houses", fields, [(((i,) if with_id else ()) + (YEAR, None), _geom(r)) for i, r in HOUSES.items()])
    layer = _layer(gpkg, "houses")
    config = fc.CodingConfig(registry_path=str(tmp_path / "registry.sqlite"), division_layer=_layer(gpkg, "divisions"),
                             division_field="code", actor="tester")
    yield gpkg, layer, config, with_id
    fc._CODERS.clear()
    layer.deleteLater()  # not left for the QGIS exit to find
    config.division_layer.deleteLater()
    QCoreApplication.processEvents()


def _rerun(gpkg, config, with_id, tmp_path, name):
    result = run_assign(AssignJob(
        buildings=LayerInput(path=str(gpkg), layer="houses"), divisions=LayerInput(path=str(gpkg), layer="divisions"),
        output=str(tmp_path / f"{name}.gpkg"), registry=config.registry_path, year_field="year",
        id_field="id" if with_id else None, actor="tester"))
    return result.counts


def _active(config):
    with open_registry(config.registry_path) as reg:
        return {r[0]: r[1] for r in reg._sql("SELECT code, identity FROM codes WHERE status='active'", (), "all")}


def _fid(layer, rect):
    return next(f.id() for f in layer.getFeatures() if f.geometry().equals(_geom(rect)))


def test_split_then_merge_through_the_api_then_assigncodes_finds_every_code(town, tmp_path):
    gpkg, layer, config, with_id = town
    coder = fc.coder_for(layer, config)
    parent = coder.assign(fc.Assignment(fid=_fid(layer, HOUSES[1]), profile="building", division=DIV_A, year=YEAR))
    assert _rerun(gpkg, config, with_id, tmp_path, "first")["new"] == 2  # houses 2 and 3; house 1 is existing

    # House 1 cut in two as QGIS's split tool does: the new part is a copy of the feature's attributes.
    layer.startEditing()
    keep, cut = (10, 10, 30, 20), (10, 20, 30, 30)
    part = QgsFeature(layer.fields())
    part.setAttributes(layer.getFeature(_fid(layer, HOUSES[1])).attributes())
    part.setAttribute("fid", None)
    part.setGeometry(_geom(cut))
    layer.changeGeometry(_fid(layer, HOUSES[1]), _geom(keep))
    assert layer.addFeature(part) and layer.commitChanges()
    children = coder.split(parent, [_fid(layer, keep), _fid(layer, cut)], YEAR)
    layer.reload()
    if with_id:  # the parts no longer share an id: the first keeps it, the other has the next free one
        assert sorted(f["id"] for f in layer.getFeatures()) == [1, 2, 3, 4]
        assert layer.getFeature(_fid(layer, cut))["id"] == 4
    active = _active(config)
    assert parent not in active and set(children) <= set(active) and len(active) == 4

    counts = _rerun(gpkg, config, with_id, tmp_path, "after_split")
    assert (counts["new"], counts["existing"]) == (0, 4)
    assert _active(config) == active  # nothing issued: the parent's footprint got no new code

    merged = coder.merge([_fid(layer, cut)], _fid(layer, keep))
    active = _active(config)
    assert not set(children) & set(active) and merged in active and len(active) == 3
    counts = _rerun(gpkg, config, with_id, tmp_path, "after_merge")
    assert (counts["new"], counts["existing"]) == (0, 3)
    assert _active(config) == active


def test_layers_get_the_namespace_a_batch_run_gives_them(town, qgis_app):
    """A file layer: its file and layer (or the namespace stored with it); a PostgreSQL table: its server,
    database and table, never its user or password (as the Processing algorithms name it)."""
    gpkg, layer, _, _ = town
    assert layer_namespace(layer) == "file:{}|houses".format(gpkg.resolve())
    table = QgsVectorLayer("host=127.0.0.1 port=1 dbname='city' user='li' password='secret' "
                           "table=\"public\".\"houses\" (geom)", "houses", "postgres")
    assert layer_namespace(table) == "postgres:host=127.0.0.1 port=1 dbname=city/public.houses"
