"""`make package`: the ZIP of git HEAD, its metadata filled from release.env and CHANGELOG.md, checked against the
rules of plugins.qgis.org (scripts/check_package.py) — and ZIPs that break a rule are refused."""
import configparser
import subprocess
import sys
import zipfile

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import check_package  # noqa: E402
import package  # noqa: E402

REPOSITORY = "https://github.com/citycode-team/citycode"
EMAIL = "citycode-team@users.noreply.github.com"


def zip_metadata(path):
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    with zipfile.ZipFile(path) as z:
        parser.read_string(z.read("citycode/metadata.txt").decode("utf-8"))
    return parser["general"]


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """`make package` with the addresses given at package time, as a maintainer publishing would run it."""
    out = tmp_path_factory.mktemp("package") / "citycode.zip"
    run = subprocess.run(["make", "-s", "package", "ZIP={}".format(out), "PUBLISH=1", "REPOSITORY=" + REPOSITORY,
                          "EMAIL=" + EMAIL], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "follows the plugin repository's rules" in run.stdout and "warning" not in run.stdout
    return out


def test_the_zip_of_head_is_publishable(published):
    assert check_package.check(str(published), publish=True) == ([], [])
    meta = zip_metadata(published)
    assert meta["repository"] == REPOSITORY and meta["email"] == EMAIL
    assert meta["tracker"] == REPOSITORY + "/issues" and meta["homepage"] == REPOSITORY  # derived from it
    head = subprocess.run(["git", "show", "HEAD:metadata.txt"], cwd=ROOT, capture_output=True, text=True).stdout
    assert "version=" + meta["version"] in head and "name=" + meta["name"] in head  # the rest as committed


def test_the_zip_holds_license_translations_and_resources_but_no_tests(published):
    with zipfile.ZipFile(published) as z:
        names = set(z.namelist())
        assert z.read("citycode/LICENSE") == (ROOT / "LICENSE").read_bytes()
    assert b"GNU GENERAL PUBLIC LICENSE\n                       Version 2, June 1991" in (ROOT / "LICENSE").read_bytes()
    assert {"citycode/i18n/citycode_zh_CN.qm", "citycode/resources/profiles/building.json",
            "citycode/resources/sample/sample_town.gpkg", "citycode/CHANGELOG.md"} <= names
    assert not [n for n in names if n.startswith(("citycode/tests/", "citycode/scripts/", "citycode/docs/"))]
    assert not [n for n in names if n.endswith((".ts", ".pyc", "release.env", "Makefile")) or "__pycache__" in n]


def test_changelog_goes_into_the_metadata(published):
    version, text = package.changelog()
    meta = zip_metadata(published)
    assert version == meta["version"]
    assert meta["changelog"].splitlines()[0] == text.splitlines()[0] == "{} (2026-12-05)".format(version)
    assert "First release." in meta["changelog"]
    assert "Province scale inside PostGIS" in meta["changelog"]
    assert all(line for line in meta["changelog"].splitlines())  # one line per item, none empty


def test_without_addresses_the_zip_installs_but_is_not_publishable(tmp_path):
    out = str(tmp_path / "local.zip")
    package.build(out, {k: "" for k in package.KEYS})
    errors, warnings = check_package.check(out)
    assert errors == [] and len(warnings) == 1 and "email, repository, tracker" in warnings[0]
    errors, _ = check_package.check(out, publish=True)
    assert len(errors) == 1 and "not publishable" in errors[0] and "REPOSITORY=..." in errors[0]
    assert subprocess.run([sys.executable, str(ROOT / "scripts" / "check_package.py"), "--publish", out],
                          capture_output=True).returncode == 1


def test_release_settings_one_place_overridden_at_package_time(tmp_path):
    (tmp_path / "release.env").write_text("# comment\nEMAIL=a@b.org\nREPOSITORY=https://gitee.com/x/cc\n"
                                          "TRACKER=\nHOMEPAGE=https://cc.b.org\n", encoding="utf-8")
    values = package.release_settings({"EMAIL": "", "TRACKER": "https://t.b.org"}, root=tmp_path)
    assert values == {"EMAIL": "a@b.org", "REPOSITORY": "https://gitee.com/x/cc", "TRACKER": "https://t.b.org",
                      "HOMEPAGE": "https://cc.b.org"}


@pytest.mark.parametrize("remote, web", [
    ("git@github.com:owner/citycode.git", "https://github.com/owner/citycode"),
    ("ssh://git@gitee.com/owner/citycode.git", "https://gitee.com/owner/citycode"),
    ("https://user:token@gitlab.com/owner/citycode.git", "https://gitlab.com/owner/citycode"),
    ("https://github.com/owner/citycode/", "https://github.com/owner/citycode"),
    ("/srv/git/citycode.git", ""), ("", "")])
def test_repository_from_the_git_remote(remote, web):
    assert package.web_address(remote) == web


def test_set_metadata_replaces_keys_and_keeps_multiline_values():
    text = "[general]\nname=X\nabout=one\n    two\nauthor=A\nemail=old@x.org\nchangelog=1.0\n    - a\n\nicon=i.svg\n"
    out = package.set_metadata(text, {"email": "new@x.org", "repository": "", "changelog": "1.1\n- b"})
    assert out == ("[general]\nname=X\nabout=one\n    two\nauthor=A\nemail=new@x.org\nchangelog=1.1\n    - b\n\n"
                   "icon=i.svg\n")


# -- planted bad ZIPs ---------------------------------------------------------------------------------------
@pytest.fixture
def make_zip(published, tmp_path):
    """A copy of the good ZIP with entries changed: {name: bytes} adds or replaces, {name: None} removes."""
    def make(changes, rename=None):
        out = tmp_path / "bad.zip"
        with zipfile.ZipFile(published) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                if info.filename in changes:
                    continue
                data = src.read(info)
                info.filename = rename(info.filename) if rename else info.filename
                dst.writestr(info, data)
            for name, data in changes.items():
                if data is not None:
                    dst.writestr(name, data)
        return str(out)
    return make


def _metadata_with(published, old, new):
    with zipfile.ZipFile(published) as z:
        text = z.read("citycode/metadata.txt").decode("utf-8")
    assert old in text
    return text.replace(old, new).encode("utf-8")


@pytest.mark.parametrize("case, expected", [
    ("pyc", "compiled file in the ZIP: citycode/plugin/core/engine.cpython-311.pyc"),
    ("pycache", "__pycache__ folder in the ZIP"),
    ("so", "compiled file in the ZIP: citycode/plugin/speedup.so"),
    ("no_license", "citycode/LICENSE is missing"),
    ("no_qm", "citycode/i18n/citycode_zh_CN.qm is missing"),
    ("tests", "citycode/tests/test_x.py should not ship"),
    ("two_tops", "one top folder named 'citycode'"),
    ("renamed", "one top folder named 'citycode'"),
    ("placeholder_repo", "repository is a placeholder address: https://example.invalid/citycode"),
    ("placeholder_email", "email is a placeholder address: citycode@example.invalid"),
    ("not_url", "tracker is not a web address: github.com/x"),
    ("no_about", "metadata.txt lacks about"),
    ("dotdot", "path outside the plugin folder"),
])
def test_bad_zips_are_refused(published, make_zip, case, expected):
    meta = "citycode/metadata.txt"
    changes = {
        "pyc": lambda: make_zip({"citycode/plugin/core/engine.cpython-311.pyc": b"\0"}),
        "pycache": lambda: make_zip({"citycode/plugin/__pycache__/x.py": b""}),
        "so": lambda: make_zip({"citycode/plugin/speedup.so": b"\x7fELF"}),
        "no_license": lambda: make_zip({"citycode/LICENSE": None}),
        "no_qm": lambda: make_zip({"citycode/i18n/citycode_zh_CN.qm": None}),
        "tests": lambda: make_zip({"citycode/tests/test_x.py": b""}),
        "two_tops": lambda: make_zip({"other/__init__.py": b""}),
        "renamed": lambda: make_zip({}, rename=lambda n: "city code" + n[len("citycode"):]),
        "placeholder_repo": lambda: make_zip({meta: _metadata_with(published, "repository=" + REPOSITORY,
                                                                   "repository=https://example.invalid/citycode")}),
        "placeholder_email": lambda: make_zip({meta: _metadata_with(published, "email=" + EMAIL,
                                                                    "email=citycode@example.invalid")}),
        "not_url": lambda: make_zip({meta: _metadata_with(published, "tracker=" + REPOSITORY + "/issues",
                                                          "tracker=github.com/x")}),
        "no_about": lambda: make_zip({meta: _metadata_with(published, "about=", "abstract=")}),
        "dotdot": lambda: make_zip({"citycode/../evil.py": b""}),
    }[case]
    bad = changes()
    errors, _ = check_package.check(bad)
    assert any(expected in e for e in errors), errors
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_package.py"), bad], capture_output=True,
                         text=True)
    assert run.returncode == 1 and expected in run.stdout


def test_a_zip_over_the_size_limit_is_refused(published, monkeypatch):
    monkeypatch.setattr(check_package, "MAX_BYTES", published.stat().st_size - 1)
    errors, _ = check_package.check(str(published))
    assert len(errors) == 1 and "plugins.qgis.org takes at most" in errors[0]


def test_not_a_zip(tmp_path):
    fake = tmp_path / "citycode.zip"
    fake.write_bytes(b"PK not really")
    errors, _ = check_package.check(str(fake))
    assert errors and "not a ZIP file" in errors[0]
