"""The settings dialog's shared registry on PostgreSQL (plugin/gui/settings_dialog.py, plugin/core/settings.py),
against the real server of tests/pg_server.py.

The registry is chosen among QGIS's saved PostgreSQL connections (saved here as QGIS's Browser saves them, the
login in QGIS's authentication database); "Test connection" and "Set up roles…" are driven with QTest and the
database is then asked directly what they did. The file registry's dialog tests are in test_gui_shell.py.
"""
import os
import itertools

import numpy as np
import pytest
from psycopg2 import sql
from qgis.core import QgsApplication, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QEvent, Qt, QTimer
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import QApplication, QDialog, QDialogButtonBox, QMessageBox

from citycode.plugin.core import settings as cc_settings
from citycode.plugin.core.codes.profiles import load_profile
from citycode.plugin.core.registry.base import IssueRequest
from citycode.plugin.core.registry.backends import open_registry
from citycode.plugin.core.registry.postgres_schema import SCHEMA_VERSION
from conftest import ROOT
from test_planning_postgis import save_qgis_connection

SCREENSHOTS = ROOT / "docs" / "screenshots"
LEFT = Qt.MouseButton.LeftButton
SHARED, CLERK, WRONG = "共享编码库 (county)", "clerk at county", "wrong password"
REGISTRAR, CLERK_LOGIN = ("cc_registrar", "Reg-pw'1"), ("cc_clerk", "Clerk-pw\"2")
_schemas = itertools.count(1)


@pytest.fixture(scope="module")
def logins(pg_server):
    """A registrar (may create roles and schemas) and a clerk (may do neither), both logging in with passwords."""
    for (name, password), rights in ((REGISTRAR, "CREATEROLE"), (CLERK_LOGIN, "")):
        if not pg_server.sql("SELECT 1 FROM pg_roles WHERE rolname=%s", (name,)):
            pg_server.sql(sql.SQL("CREATE ROLE {} LOGIN " + rights + " PASSWORD {}").format(
                sql.Identifier(name), sql.Literal(password)))
    pg_server.sql(sql.SQL("GRANT CREATE ON DATABASE {} TO {}").format(
        sql.Identifier(pg_server.sql("SELECT current_database()")[0][0]), sql.Identifier(REGISTRAR[0])))
    return pg_server


@pytest.fixture()
def connections(logins, qgis_app):
    """QGIS connections: the registrar's, the clerk's, and one whose saved password is wrong; no citycode/ settings."""
    QgsSettings().remove("citycode")
    removers = [save_qgis_connection(SHARED, logins.port, *REGISTRAR),
                save_qgis_connection(CLERK, logins.port, *CLERK_LOGIN),
                save_qgis_connection(WRONG, logins.port, REGISTRAR[0], "not the password")]
    yield logins
    for remove in removers:
        remove()
    QgsSettings().remove("citycode")


def _schema():
    return "reg_settings_{}_{}".format(os.getpid(), next(_schemas))


def _dialog(connection, schema):
    from citycode.plugin.gui.settings_dialog import REGISTRY_POSTGRES, SettingsDialog
    dialog = SettingsDialog()
    dialog.show()
    dialog.registry_kind.setCurrentIndex(REGISTRY_POSTGRES)
    dialog.pg_connection.setCurrentText(connection)
    dialog.pg_schema.setFocus()
    QTest.keyClicks(dialog.pg_schema, schema)
    return dialog


def _close(*dialogs):
    for dialog in dialogs:
        dialog.close()
        dialog.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _answer_next_question(button, seen):
    """Click `button` of the next message box (it is modal: the test's code waits in its exec())."""
    def click():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.button(button).click()
        else:
            QTimer.singleShot(50, click)
    QTimer.singleShot(50, click)


def _issue(location, n):
    building = load_profile("building")
    ids = np.array(["s:{}".format(i) for i in range(n)], dtype=object)
    with open_registry(location) as registry:
        request = IssueRequest(identity=ids, division=np.array(["340104001"] * n, dtype=object),
                               year=np.array([2024] * n), order=ids)
        registry.issue(building, request, "tester")


def test_locations_of_saved_connections(qgis_app):
    assert cc_settings.qgis_registry_location("规划 库") == "qgis:规划 库"
    assert cc_settings.qgis_registry_location("规划 库", "citycode") == "qgis:规划 库"  # the default schema
    assert cc_settings.qgis_registry_location("a/b", " town ") == "qgis:a/b?schema=town"
    assert cc_settings.parse_qgis_registry_location("qgis:a/b?schema=town") == ("a/b", "town")
    assert cc_settings.parse_qgis_registry_location("qgis:规划 库") == ("规划 库", "")
    assert cc_settings.parse_qgis_registry_location("/data/registry.sqlite") is None
    assert cc_settings.parse_qgis_registry_location("postgresql://gis@db/codes") is None


def test_test_connection_creates_the_registry_and_saves_the_choice(connections):
    pg = connections
    schema = "citycode_county"  # a name as a county would choose, for the screenshot
    pg.sql("DROP SCHEMA IF EXISTS {} CASCADE".format(schema))
    dialog = _dialog(SHARED, schema)
    assert dialog.pg_connection.findText(CLERK) >= 0 and dialog.pg_page.isVisible() and not dialog.file_page.isVisible()
    assert dialog.registry_location() == "qgis:{}?schema={}".format(SHARED, schema)
    QTest.mouseClick(dialog.test_button, LEFT)
    status = dialog.pg_status.text()
    major = pg.sql("SHOW server_version_num")[0][0][:2]
    assert "PostgreSQL {}.".format(major) in status and "127.0.0.1:{}".format(pg.port) in status, status
    # the registry was made in that schema, by the registrar, at the plugin's schema version
    version = pg.sql("SELECT value FROM {}.meta WHERE key='schema_version'".format(schema))[0][0]
    assert version == str(SCHEMA_VERSION)
    assert "user cc_registrar" in status and schema in status and "version " + version in status and "0 codes" in status
    assert pg.sql("SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname=%s", (schema,)) == [(REGISTRAR[0],)]

    _issue(dialog.registry_location(), 3)
    QTest.mouseClick(dialog.test_button, LEFT)
    assert "3 codes" in dialog.pg_status.text()
    dialog.unit.setText("某某县自然资源和规划局")  # the rest of the dialog as a user's settings look
    for layer in ("stbhhx", "yjjbnt", "czkfbj"):
        dialog._append_source("/home/gis/三区三线/sanqusanxian.gpkg|layername=" + layer)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    QCoreApplication.processEvents()
    assert dialog.grab().save(str(SCREENSHOTS / "settings_postgres.png"))

    QTest.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), LEFT)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert cc_settings.load().registry == "qgis:{}?schema={}".format(SHARED, schema)
    settings_file = QgsSettings().fileName()
    with open(settings_file, encoding="utf-8", errors="replace") as f:
        assert REGISTRAR[1] not in f.read()  # the password stays in QGIS's authentication database

    from citycode.plugin.gui.settings_dialog import SettingsDialog
    again = SettingsDialog()  # opens on the shared registry chosen
    assert again.registry_kind.currentIndex() == 1 and again.pg_connection.currentText() == SHARED
    assert again.pg_schema.text() == schema and again.values() == cc_settings.load()
    _close(dialog, again)


def test_errors_are_shown_in_the_dialog(connections):
    schema = _schema()
    dialog = _dialog(WRONG, schema)
    messages = []
    QgsApplication.messageLog().messageReceived.connect(lambda m, tag, level: messages.append((tag, m)))
    QTest.mouseClick(dialog.test_button, LEFT)
    assert "password authentication failed" in dialog.pg_status.text()
    assert "not the password" not in dialog.pg_status.text()
    assert ("CityCode", dialog.pg_status.text()) in messages

    dialog.pg_connection.setCurrentText(CLERK)  # may not create a schema in the database
    QTest.mouseClick(dialog.test_button, LEFT)
    assert "no registry in schema {}".format(schema) in dialog.pg_status.text()
    assert connections.sql("SELECT count(*) FROM pg_namespace WHERE nspname=%s", (schema,)) == [(0,)]

    # OK refuses a registry that cannot be opened, and saves nothing
    QTest.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), LEFT)
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert "no registry" in dialog.bar.currentItem().text()
    assert QgsSettings().value("citycode/registry") is None
    _close(dialog)


def test_set_up_roles_after_a_confirmation(connections):
    pg = connections
    schema = _schema()
    dialog = _dialog(SHARED, schema)
    QTest.mouseClick(dialog.test_button, LEFT)  # the registry exists, owned by the registrar
    seen = []
    _answer_next_question(QMessageBox.StandardButton.No, seen)
    QTest.mouseClick(dialog.roles_button, LEFT)
    assert len(seen) == 1 and "citycode_admin" in seen[0]
    owner = "SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname=%s"
    assert pg.sql(owner, (schema,)) == [(REGISTRAR[0],)]  # declined: nothing done

    _answer_next_question(QMessageBox.StandardButton.Yes, seen)
    QTest.mouseClick(dialog.roles_button, LEFT)
    assert len(seen) == 2
    status = dialog.pg_status.text()
    assert "citycode_read" in status and "citycode_code" in status and schema in status, status
    assert pg.sql(owner, (schema,)) == [("citycode_admin",)]
    assert pg.sql("SELECT count(*) FROM pg_roles WHERE rolname IN ('citycode_read', 'citycode_code', "
                  "'citycode_admin')") == [(3,)]
    assert pg.sql("SELECT has_table_privilege('citycode_code', %s, 'INSERT'), "
                  "has_table_privilege('citycode_read', %s, 'INSERT')",
                  ("{}.codes".format(schema),) * 2) == [(True, False)]

    # a clerk given the coding role codes, but may not set up roles: the permission error is shown
    pg.sql("GRANT citycode_code TO {}".format(CLERK_LOGIN[0]))
    dialog.pg_connection.setCurrentText(CLERK)
    QTest.mouseClick(dialog.test_button, LEFT)
    assert "user cc_clerk" in dialog.pg_status.text()
    _answer_next_question(QMessageBox.StandardButton.Yes, seen)
    QTest.mouseClick(dialog.roles_button, LEFT)
    assert "may not do this" in dialog.pg_status.text(), dialog.pg_status.text()
    assert pg.sql(owner, (schema,)) == [("citycode_admin",)]
    pg.sql("REVOKE citycode_code FROM {}".format(CLERK_LOGIN[0]))
    _close(dialog)


def test_without_saved_connections_the_dialog_says_how_to_add_one(qgis_app):
    from citycode.plugin.gui.settings_dialog import REGISTRY_POSTGRES, SettingsDialog
    settings = QgsSettings()
    group = "PostgreSQL/connections/"
    saved = {key: settings.value(key) for key in settings.allKeys() if key.startswith(group)}
    settings.remove("PostgreSQL/connections")  # other tests' connections, put back below
    try:
        QgsSettings().remove("citycode")
        dialog = SettingsDialog()
        dialog.show()
        dialog.registry_kind.setCurrentIndex(REGISTRY_POSTGRES)
        assert dialog.pg_connection.count() == 0 and not dialog.test_button.isEnabled()
        assert "Browser" in dialog.pg_status.text()
        QTest.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), LEFT)
        assert dialog.isVisible() and "PostgreSQL connection" in dialog.bar.currentItem().text()
        _close(dialog)
    finally:
        for key, value in saved.items():
            settings.setValue(key, value)
