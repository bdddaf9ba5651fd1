#!/usr/bin/python3
"""Check a plugin ZIP against the rules of the QGIS plugin repository (plugins.qgis.org) and CityCode's own.

The repository's validator (qgis/QGIS-Django, plugins/validator.py) refuses a ZIP that is over 25 MB, holds
paths with "..", .pyc files or __pycache__/.git/__MACOSX folders, has no single top folder named like a
Python package with __init__.py and metadata.txt, lacks a required metadata key (name, qgisMinimumVersion,
description, about, version, author, email, repository, tracker) or a LICENSE file, or whose addresses are not
URLs (it also fetches them, which this script cannot do offline). Its guidelines ask for no compiled binaries.
On top: no placeholder addresses (example.*, *.invalid, localhost); for CityCode, the compiled translations
and resources are in, and tests, scripts, docs and translation sources are out.

Without a repository, tracker and email the ZIP still installs (Install from ZIP): that is a warning, and an
error with --publish.

Usage: scripts/check_package.py [--publish] [--name citycode] build/citycode-<version>.zip   (exit 1 on errors)
"""
import argparse
import configparser
import os
import re
import sys
import zipfile
from urllib.parse import urlparse

MAX_BYTES = 25_000_000  # PLUGIN_MAX_UPLOAD_SIZE of plugins.qgis.org
REQUIRED = ("name", "qgisMinimumVersion", "description", "about", "version", "author")
PUBLISHING = ("email", "repository", "tracker")  # required by plugins.qgis.org, not by Install from ZIP
URL_KEYS = ("repository", "tracker", "homepage")
FORBIDDEN_DIRS = ("__pycache__", ".git", "__MACOSX")
BINARY_SUFFIXES = (".pyc", ".pyo", ".so", ".pyd", ".dll", ".dylib", ".exe")
PLACEHOLDER_HOST = re.compile(r"(^|\.)(example(\.(com|org|net))?|invalid|test|localhost|local)$|^(bugs|repo|homepage)$",
                              re.IGNORECASE)
EMAIL = re.compile(r"^[^@\s]+@([^@\s]+\.[^@\s]+)$")
PACKAGE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]+$")
# CityCode's own: what must ship, and what must stay out (see .gitattributes).
MUST_HAVE = ("LICENSE", "i18n/citycode_zh_CN.qm", "resources/profiles/building.json", "plugin/citycode_plugin.py")
MUST_NOT_START = ("tests/", "scripts/", "docs/", "build/", ".ci/", "Makefile", "release.env", "i18n/citycode_zh_CN.ts")


def check(path, publish=False, name="citycode"):
    """(errors, warnings) of the ZIP at `path`, each a list of sentences."""
    errors, warnings = [], []
    if not os.path.isfile(path):
        return ["no such file: {}".format(path)], warnings
    size = os.path.getsize(path)
    if size > MAX_BYTES:
        errors.append("the ZIP is {:.1f} MB; plugins.qgis.org takes at most {:.0f} MB".format(size / 1e6,
                                                                                            MAX_BYTES / 1e6))
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as err:
        return errors + ["not a ZIP file: {}".format(err)], warnings
    with archive:
        names = archive.namelist()
        bad = archive.testzip()
        if bad:
            errors.append("damaged entry in the ZIP: {}".format(bad))
        for entry in names:
            parts = entry.split("/")
            if ".." in parts or entry.startswith("/") or "\\" in entry:
                errors.append("path outside the plugin folder: {}".format(entry))
            hidden = [d for d in parts[:-1] if d in FORBIDDEN_DIRS]
            if hidden:
                errors.append("{} folder in the ZIP: {}".format(hidden[0], entry))
            if entry.lower().endswith(BINARY_SUFFIXES):
                errors.append("compiled file in the ZIP: {}".format(entry))
        tops = sorted({entry.split("/")[0] for entry in names})
        if tops != [name]:
            errors.append("the ZIP must hold one top folder named {!r}; it holds {}".format(name, tops or "nothing"))
        if not PACKAGE_NAME.match(name):
            errors.append("top folder {!r} is not a valid package name".format(name))
        inside = {entry[len(name) + 1:] for entry in names if entry.startswith(name + "/")}
        for required in ("__init__.py", "metadata.txt") + MUST_HAVE:
            if required not in inside:
                errors.append("{}/{} is missing".format(name, required))
        for entry in sorted(inside):
            if entry.startswith(MUST_NOT_START):
                errors.append("{}/{} should not ship (export-ignore it in .gitattributes)".format(name, entry))
        if "metadata.txt" in inside:
            meta_errors, meta_warnings = check_metadata(archive.read(name + "/metadata.txt").decode("utf-8"),
                                                        inside, publish)
            errors += meta_errors
            warnings += meta_warnings
    return errors, warnings


def check_metadata(text, inside, publish):
    errors, warnings = [], []
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    try:
        parser.read_string(text)
        meta = dict(parser["general"])
    except (configparser.Error, KeyError) as err:
        return ["metadata.txt cannot be read: {}".format(err)], warnings
    for key in REQUIRED:
        if not meta.get(key, "").strip():
            errors.append("metadata.txt lacks {}".format(key))
    unset = [key for key in PUBLISHING if not meta.get(key, "").strip()]
    if unset:
        message = ("not publishable on plugins.qgis.org: metadata.txt has no {} (set them in release.env or "
                   "make package {})".format(", ".join(unset), " ".join("{}=...".format(k.upper()) for k in unset
                            if k != "tracker" or "repository" not in unset)))  # the tracker follows the repository
        (errors if publish else warnings).append(message)
    for key in URL_KEYS:
        url = meta.get(key, "").strip()
        if not url:
            continue
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            errors.append("{} is not a web address: {}".format(key, url))
        elif PLACEHOLDER_HOST.search(parsed.hostname):
            errors.append("{} is a placeholder address: {}".format(key, url))
    email = meta.get("email", "").strip()
    if email:
        match = EMAIL.match(email)
        if not match:
            errors.append("email is not an e-mail address: {}".format(email))
        elif PLACEHOLDER_HOST.search(match.group(1)):
            errors.append("email is a placeholder address: {}".format(email))
    if "/" in meta.get("author", ""):
        errors.append("author cannot contain slashes")
    if not re.match(r"^\d+(\.\d+){1,2}$", meta.get("version", "")):
        errors.append("version is not like 1.2.3: {}".format(meta.get("version")))
    icon = meta.get("icon", "").strip()
    if icon and icon.lstrip("./") not in inside:
        errors.append("the icon {} is not in the ZIP".format(icon))
    if not meta.get("changelog", "").strip():
        warnings.append("metadata.txt has no changelog")
    return errors, warnings


def report(path, errors, warnings):
    """Print the findings; 1 when there are errors, else 0."""
    for warning in warnings:
        print("warning: " + warning)
    for error in errors:
        print("error: " + error)
    if errors:
        print("{}: {} error(s); plugins.qgis.org would refuse it".format(path, len(errors)))
        return 1
    print("{}: follows the plugin repository's rules{}".format(
        path, " (installs from ZIP; see the warnings before publishing)" if warnings else ""))
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("zip")
    parser.add_argument("--publish", action="store_true", help="also fail when repository/tracker/email are unset")
    parser.add_argument("--name", default="citycode", help="the plugin's folder name (default: citycode)")
    args = parser.parse_args(argv)
    return report(args.zip, *check(args.zip, args.publish, args.name))


if __name__ == "__main__":
    sys.exit(main())
