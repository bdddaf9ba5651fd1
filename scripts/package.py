#!/usr/bin/python3
"""Build the plugin ZIP from git HEAD (what `make package` runs), then check it (scripts/check_package.py).

The ZIP holds what HEAD holds minus the paths marked export-ignore in .gitattributes, under one top folder
"citycode". Its metadata.txt gets the release addresses (release.env, overridden by KEY=value arguments:
EMAIL, REPOSITORY, TRACKER, HOMEPAGE) and the changelog written from CHANGELOG.md.

Usage: scripts/package.py --out build/citycode-0.1.0.zip [--publish] [REPOSITORY=https://...] [EMAIL=...]
"""
import argparse
import io
import os
import re
import subprocess
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_package import check, report  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NAME = "citycode"
KEYS = ("EMAIL", "REPOSITORY", "TRACKER", "HOMEPAGE")


def release_settings(overrides, root=ROOT):
    """release.env with the non-empty overrides on top; the derived defaults filled in."""
    values = dict.fromkeys(KEYS, "")
    with open(os.path.join(root, "release.env"), encoding="utf-8") as f:
        for line in f:
            key, sep, value = line.strip().partition("=")
            if sep and not key.startswith("#") and key in values:
                values[key] = value.strip()
    values.update({k: v.strip() for k, v in overrides.items() if v.strip()})
    if not values["REPOSITORY"]:
        values["REPOSITORY"] = web_address(git("remote", "get-url", "origin", check=False))
    if values["REPOSITORY"]:
        values["TRACKER"] = values["TRACKER"] or values["REPOSITORY"].rstrip("/") + "/issues"
        values["HOMEPAGE"] = values["HOMEPAGE"] or values["REPOSITORY"]
    return values


def web_address(remote):
    """https://host/owner/name of a git remote (https or scp-like ssh), '' for a local or no remote."""
    remote = (remote or "").strip()
    ssh = re.match(r"^(?:ssh://)?git@([^:/]+)[:/](.+?)(?:\.git)?/?$", remote)
    if ssh:
        return "https://{}/{}".format(*ssh.groups())
    web = re.match(r"^(https?://)(?:[^@/]+@)?(.+?)(?:\.git)?/?$", remote)  # drop a login in the address
    return web.group(1) + web.group(2) if web else ""


def changelog(path=os.path.join(ROOT, "CHANGELOG.md")):
    """(first version, metadata text): each '## version (date)' section as its heading line and its items."""
    lines, first = [], None
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for section in re.split(r"^## ", text, flags=re.MULTILINE)[1:]:
        heading, _, body = section.partition("\n")
        first = first or heading.split()[0]
        lines.append(heading.strip())
        for paragraph in re.split(r"\n(?=- )|\n\s*\n", body.strip()):
            paragraph = " ".join(paragraph.split())
            if paragraph:
                lines.append(paragraph)
    return first, "\n".join(lines)


def set_metadata(text, values):
    """metadata.txt with the keys of `values` (key -> text, possibly several lines) set; others kept as they are."""
    out, skipping = [], False
    for line in text.splitlines():
        key = re.match(r"^(\w+)\s*=", line)
        if key:
            skipping = key.group(1) in values
        elif line[:1] not in (" ", "\t"):
            skipping = False  # a comment, a blank line or a section ends a multi-line value
        if not skipping:
            out.append(line)
    at = next((i + 1 for i, line in enumerate(out) if line.startswith("author=")), len(out))
    new = []
    for key, value in values.items():
        if value:
            first, *rest = value.split("\n")
            new += ["{}={}".format(key, first)] + ["    " + line for line in rest]
    return "\n".join(out[:at] + new + out[at:]) + "\n"


def git(*args, check=True):
    result = subprocess.run(["git", "-C", ROOT] + list(args), capture_output=True, check=check)
    return result.stdout.decode("utf-8") if result.returncode == 0 else ""


def build(out, values, ref="HEAD"):
    """Write the ZIP of `ref` with the release values and the changelog in its metadata.txt."""
    archive = subprocess.run(["git", "-C", ROOT, "archive", "--format=zip", "--prefix={}/".format(NAME), ref],
                             capture_output=True, check=True).stdout
    version, log = changelog()
    with zipfile.ZipFile(io.BytesIO(archive)) as src:
        meta = src.read(NAME + "/metadata.txt").decode("utf-8")
        meta_version = re.search(r"^version=(.*)$", meta, re.MULTILINE).group(1).strip()
        if version != meta_version:
            raise SystemExit("CHANGELOG.md starts with {} but metadata.txt says version={}: add its section first"
                             .format(version, meta_version))
        meta = set_metadata(meta, {"email": values["EMAIL"],
                                   "repository": values["REPOSITORY"], "tracker": values["TRACKER"],
                                   "homepage": values["HOMEPAGE"], "changelog": log})
        os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
        partial = out + ".part"
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = meta.encode("utf-8") if info.filename == NAME + "/metadata.txt" else src.read(info)
                dst.writestr(info, data, zipfile.ZIP_DEFLATED)
    os.replace(partial, out)  # no half-written ZIP under the final name
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--publish", action="store_true", help="fail unless the ZIP is publishable")
    parser.add_argument("--ref", default="HEAD")
    parser.add_argument("settings", nargs="*", metavar="KEY=value", help="overrides of release.env")
    args = parser.parse_args(argv)
    overrides = {}
    for item in args.settings:
        key, sep, value = item.partition("=")
        if not sep or key not in KEYS:
            parser.error("expected one of {} as KEY=value, got {!r}".format(", ".join(KEYS), item))
        overrides[key] = value
    build(args.out, release_settings(overrides), args.ref)
    return report(args.out, *check(args.out, publish=args.publish, name=NAME))


if __name__ == "__main__":
    sys.exit(main())
