"""Planning layers from PostGIS (plugin/core/planning/, plugin/gui/planning_dialog.py) on a real server.

A schema as a county's 三区三线 database looks: tables named in pinyin initials, one in Chinese, one known
only by its fields, one only by its table comment, a 用地用海 table with its classification code field, and
tables that are no planning layers. A QGIS PostgreSQL connection is saved in QgsSettings as QGIS 3.22's
Browser saves one (PostgreSQL/connections/<name>/...), with the login in QGIS's authentication database.
"""
import time

import pytest
from psycopg2 import sql
from qgis.core import QgsApplication, QgsAuthMethodConfig, QgsProject, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QEvent, Qt
from qgis.PyQt.QtTest import QTest

from citycode.plugin.core.planning import loader, recognition, sources, standard
from pg_server import DATABASE

CONNECTION = "规划数据库 county"
SCHEMA = "sqsx_2023"
LOGIN, PASSWORD = "planner", "Pl4n-pw'; --"
SRID = 4527
X0, Y0 = 39523000, 3525000
YDYH_CODES = ("0101", "0702", "1207", "1401")
# the 三区三线 tables of the fixture by what they are
SQSX = {"stbhhx": ["stbhhx", "生态保护红线_2"], "yjjbnt": ["tb_0003", "v_jbnt"],
        "czkfbj": ["t_0004", "kfbj_nokey", "czkfbj_fq"]}
TABLES = {name for names in SQSX.values() for name in names} | {"dk_2023", "roads"}


def _square(i, j, size=400):
    x, y = X0 + i * size, Y0 + j * size
    return "SRID={};POLYGON(({x} {y},{x2} {y},{x2} {y2},{x} {y2},{x} {y}))".format(
        SRID, x=x, y=y, x2=x + size, y2=y + size)


def _table(pg, name, columns, rows, comment=None, geometry="geometry(Polygon, {})".format(SRID)):
    """A table in SCHEMA: columns [(name, type)], rows [(ewkt, [values])]."""
    s, t = sql.Identifier(SCHEMA), sql.Identifier(name)
    pg.sql(sql.SQL("CREATE TABLE {}.{}(gid serial PRIMARY KEY, {} geom {})").format(
        s, t, sql.SQL("").join(sql.SQL("{} {}, ").format(sql.Identifier(c), sql.SQL(ty)) for c, ty in columns),
        sql.SQL(geometry)))
    for geom, values in rows:
        pg.sql(sql.SQL("INSERT INTO {}.{}({}) VALUES ({})").format(
            s, t, sql.SQL(", ").join(sql.Identifier(c) for c, _ in columns + [("geom", "")]),
            sql.SQL(", ").join(sql.Placeholder() * (len(values) + 1))), list(values) + [geom])
    if comment:
        pg.sql(sql.SQL("COMMENT ON TABLE {}.{} IS {}").format(s, t, sql.Literal(comment)))


def _multi(ewkt):
    return ewkt.replace("POLYGON((", "MULTIPOLYGON(((").rstrip(")") + ")))"


@pytest.fixture(scope="module")
def planning_db(pg_server):
    """The schema SCHEMA with its tables, readable by the login LOGIN (password over TCP)."""
    if not pg_server.postgis:
        pytest.skip("PostGIS is not installed on the test server")
    pg = pg_server
    pg.sql(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE; CREATE SCHEMA {}").format(
        sql.Identifier(SCHEMA), sql.Identifier(SCHEMA)))
    _table(pg, "stbhhx", [("hxmc", "text")], [(_square(0, 0), ["青龙山生态保护红线"])])
    _table(pg, "生态保护红线_2", [("mc", "text")], [(_square(1, 0), ["白鹭湖"])])
    _table(pg, "tb_0003", [("bsm", "text"), ("yjjbnttbbh", "text"), ("yjjbntmj", "double precision")],
           [(_square(i, 1), ["B{}".format(i), "JB{:04d}".format(i), 1600.0]) for i in range(3)])
    _table(pg, "t_0004", [("bsm", "text")], [(_square(0, 2, 2000), ["K1"])], comment="城镇开发边界（2023年划定）")
    # known by its code field alone; a column of any geometry holding polygons and multipolygons, as loaded
    # from mixed shapefiles
    _table(pg, "dk_2023", [("ydyhfldm", "varchar(10)"), ("ydyhflmc", "text")],
           [((_square if i % 2 else lambda *a: _multi(_square(*a)))(i, 3), [c, standard.ydyh_codes()[c]])
            for i, c in enumerate(YDYH_CODES)], geometry="geometry")
    _table(pg, "roads", [("name", "text"), ("lanes", "integer")],
           [(_square(i, 5), ["路{}".format(i), 2 + i % 3]) for i in range(6)])
    pg.sql(sql.SQL("CREATE TABLE {}.notes(id int PRIMARY KEY, text text)").format(
        sql.Identifier(SCHEMA)))  # no geometry: not a layer
    # a view (no primary key of its own) and a table loaded without one, as some tools leave them
    pg.sql(sql.SQL("CREATE VIEW {0}.v_jbnt AS SELECT gid, yjjbnttbbh, geom FROM {0}.tb_0003").format(
        sql.Identifier(SCHEMA)))
    pg.sql(sql.SQL("CREATE TABLE {0}.kfbj_nokey AS SELECT bsm, geom FROM {0}.t_0004").format(sql.Identifier(SCHEMA)))
    # planning zones keyed on two columns (county code + zone number)
    pg.sql(sql.SQL("CREATE TABLE {}.czkfbj_fq(xzqdm text, fqbh integer, ghfqmc text, geom geometry(Polygon, {}), "
                   "PRIMARY KEY (xzqdm, fqbh))").format(sql.Identifier(SCHEMA), sql.Literal(SRID)))
    for number, zone in enumerate(("城镇集中建设区", "城镇弹性发展区", "特别用途区"), 1):
        pg.sql(sql.SQL("INSERT INTO {}.czkfbj_fq VALUES ('340104', %s, %s, %s)").format(sql.Identifier(SCHEMA)),
               (number, zone, _square(number, 4)))
    pg.sql(sql.SQL("DROP ROLE IF EXISTS {0}; CREATE ROLE {0} LOGIN PASSWORD {1}; "
                   "GRANT USAGE ON SCHEMA {2} TO {0}; GRANT SELECT ON ALL TABLES IN SCHEMA {2} TO {0}").format(
        sql.Identifier(LOGIN), sql.Literal(PASSWORD), sql.Identifier(SCHEMA)))
    yield pg
    pg.sql(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(SCHEMA)))


def save_qgis_connection(name, port, login, password, database=DATABASE):
    """A PostgreSQL connection saved as QGIS 3.22's Browser saves one (PostgreSQL/connections/<name>/...), over
    TCP, the login in an authentication configuration of QGIS's authentication database. Returns a function
    that removes both."""
    manager = QgsApplication.authManager()
    assert manager.setMasterPassword("master", True)
    config = QgsAuthMethodConfig("Basic")
    config.setName(name + " login")
    config.setConfig("username", login)
    config.setConfig("password", password)
    assert manager.storeAuthenticationConfig(config)[0]
    settings = QgsSettings()
    key = "PostgreSQL/connections/{}/".format(name)
    for item, value in (("host", "127.0.0.1"), ("port", str(port)), ("database", database),
                        ("service", ""), ("sslmode", "SslDisable"), ("authcfg", config.id()), ("username", ""),
                        ("password", ""), ("saveUsername", "false"), ("savePassword", "false"),
                        ("publicOnly", "false"), ("geometryColumnsOnly", "false"), ("dontResolveType", "false"),
                        ("allowGeometrylessTables", "false"), ("estimatedMetadata", "false"),
                        ("projectsInDatabase", "false")):
        settings.setValue(key + item, value)
    settings.sync()

    def remove():
        QgsSettings().remove("PostgreSQL/connections/" + name)
        manager.removeAuthenticationConfig(config.id())
    return remove


@pytest.fixture()
def qgis_connection(planning_db, qgis_app):
    remove = save_qgis_connection(CONNECTION, planning_db.port, LOGIN, PASSWORD)
    yield CONNECTION
    remove()


def _by_name(items):
    return {i.info.name: i for i in items}


def test_connections_schemas_and_recognition(qgis_connection):
    assert CONNECTION in sources.postgis_connections()
    schemas = sources.postgis_schemas(CONNECTION)
    assert SCHEMA in schemas and "public" in schemas and not [s for s in schemas if s.startswith("pg_")]

    infos = sources.scan_postgis(CONNECTION, SCHEMA)
    assert [i.error for i in infos if i.error] == []
    assert {i.source for i in infos} == {sources.postgis_source(CONNECTION, SCHEMA)}
    items = _by_name(recognition.make_plan(infos))
    assert set(items) == TABLES  # not notes, which has no geometry

    assert items["stbhhx"].kind == standard.STBHHX
    assert items["生态保护红线_2"].kind == standard.STBHHX
    farmland = items["tb_0003"]
    assert farmland.kind == standard.YJJBNT and "yjjbnttbbh" in farmland.why  # by its fields alone
    for kind, names in SQSX.items():
        assert [items[name].kind for name in names] == [kind] * len(names), [items[n].why for n in names]
    boundary = items["t_0004"]
    assert boundary.kind == standard.CZKFBJ and "城镇开发边界" in boundary.why  # by the table comment
    ydyh = items["dk_2023"]
    assert ydyh.kind == standard.YDYH and ydyh.code_field == "ydyhfldm" and not ydyh.code_padded
    assert sorted(ydyh.info.values["ydyhfldm"]) == sorted(YDYH_CODES)
    assert items["roads"].kind == standard.NONE and not items["roads"].load
    for item in items.values():
        assert PASSWORD not in item.info.uri  # the login stays in QGIS's authentication database


def _colours():
    return {c.code: c.rgb for c in standard.ydyh_classes()}


def _feature_colour(layer, feature):
    from qgis.core import QgsRenderContext
    renderer = layer.renderer().clone()
    context = QgsRenderContext()
    context.expressionContext().setFeature(feature)
    renderer.startRender(context, layer.fields())
    symbol = renderer.symbolForFeature(feature, context)
    renderer.stopRender(context)
    return symbol.color().getRgb()[:3] if symbol else None


def _tree(project):
    top = project.layerTreeRoot().findGroup(standard.ROOT_GROUP)
    return {child.name(): [c.layer().name() for c in child.children()] for child in top.children()
            if not hasattr(child, "layer")}


def _kinds(names):
    return [next(kind for kind, these in SQSX.items() if name in these) for name in names]


def test_load_styled_and_grouped(qgis_connection):
    project = QgsProject()
    layers, problems = loader.load_plan(recognition.make_plan(sources.scan_postgis(CONNECTION, SCHEMA)), project)
    assert problems == []
    tree = _tree(project)
    assert sorted(tree[standard.SQSX_GROUP]) == sorted(SQSX[standard.CZKFBJ] + SQSX[standard.STBHHX]
                                                       + SQSX[standard.YJJBNT])
    assert _kinds(tree[standard.SQSX_GROUP]) == [standard.CZKFBJ] * 3 + [standard.STBHHX] * 2 + [standard.YJJBNT] * 2
    assert tree[standard.YDYH_GROUP] == ["dk_2023"]
    by_name = {layer.name(): layer for layer in layers}
    assert {name: layer.featureCount() for name, layer in by_name.items()} == {
        "stbhhx": 1, "生态保护红线_2": 1, "tb_0003": 3, "v_jbnt": 3, "t_0004": 1, "kfbj_nokey": 1, "czkfbj_fq": 3,
        "dk_2023": len(YDYH_CODES)}
    # every zone read once: the two-column key is used whole
    zones = sorted(f["ghfqmc"] for f in by_name["czkfbj_fq"].getFeatures())
    assert zones == ["城镇弹性发展区", "城镇集中建设区", "特别用途区"]
    assert all(layer.providerType() == "postgres" for layer in layers)
    # the view is keyed on its first column, as QGIS's Browser keys it
    assert sorted(f.id() for f in by_name["v_jbnt"].getFeatures()) == [1, 2, 3]
    red = by_name["生态保护红线_2"]
    assert next(red.getFeatures())["mc"] == "白鹭湖"
    assert red.renderer().symbol().symbolLayer(red.renderer().symbol().symbolLayerCount() - 1).color().getRgb()[:3] \
        == (230, 0, 0)  # the red line style's outline
    ydyh = by_name["dk_2023"]
    assert ydyh.renderer().classAttribute() == "ydyhfldm"
    colours = _colours()
    got = {f["ydyhfldm"]: _feature_colour(ydyh, f) for f in ydyh.getFeatures()}
    assert got == {c: colours[c] for c in YDYH_CODES}
    project.clear()


def _wait(dialog, seconds=60):
    end = time.time() + seconds
    while dialog.scanning and time.time() < end:
        QTest.qWait(50)
    assert not dialog.scanning


def test_dialog_scans_and_loads_a_postgis_schema(qgis_connection, qgis_iface):
    from citycode.plugin.gui.planning_dialog import POSTGIS, PlanningDialog
    QgsSettings().remove(sources.SETTINGS_KEY)
    project = QgsProject()
    dialog = PlanningDialog(qgis_iface, project=project)
    dialog.show()
    dialog.kind_box.setCurrentIndex(POSTGIS)
    assert dialog.source_stack.currentIndex() == 1
    assert dialog.connection_box.findText(CONNECTION) >= 0
    dialog.connection_box.setCurrentText(CONNECTION)
    assert dialog.schema_box.findText(SCHEMA) >= 0
    dialog.schema_box.setCurrentText(SCHEMA)
    QTest.mouseClick(dialog.scan_button, Qt.MouseButton.LeftButton)
    _wait(dialog)
    rows = {dialog.table.item(r, 1).text(): r for r in range(dialog.table.rowCount())}
    assert set(rows) == TABLES
    assert dialog.kind_combo(rows["dk_2023"]).currentData() == standard.YDYH
    assert dialog.table.item(rows["dk_2023"], 5).text() == sources.postgis_source(CONNECTION, SCHEMA)
    # the user leaves the farmland out
    for name in SQSX[standard.YJJBNT]:
        dialog.table.item(rows[name], 0).setCheckState(Qt.CheckState.Unchecked)
    QTest.mouseClick(dialog.load_button, Qt.MouseButton.LeftButton)
    tree = _tree(project)
    assert sorted(tree[standard.SQSX_GROUP]) == sorted(SQSX[standard.CZKFBJ] + SQSX[standard.STBHHX])
    assert tree[standard.YDYH_GROUP] == ["dk_2023"]
    assert sources.remembered_sources() == [sources.postgis_source(CONNECTION, SCHEMA)]

    # a remembered source brings the connection and the schema back
    again = PlanningDialog(qgis_iface, project=QgsProject())
    again.recent_box.setCurrentIndex(1)
    again.recent_box.activated.emit(1)
    assert again.current_source() == sources.postgis_source(CONNECTION, SCHEMA)
    for d in (dialog, again):
        d.close()
        d.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    project.clear()
    QgsSettings().remove(sources.SETTINGS_KEY)
