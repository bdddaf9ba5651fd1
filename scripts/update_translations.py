#!/usr/bin/python3
"""Refresh i18n/citycode_zh_CN.ts from plugin/**/*.py, keeping the translations already made.

Why not plain pylupdate5: CityCode translates every message in the context "CityCode"
(QCoreApplication.translate("CityCode", text), behind tr() in core/i18n.py and processing/base.py),
but pylupdate5 files
  - a bare tr("...") under the context "@default", and
  - self.tr("...") under the enclosing class name (right only for a QObject's own tr()).
So this script
  1. copies the sources to build/i18n-src with bare tr( spelled QCoreApplication.translate("CityCode", ...
     (same line numbers), and runs pylupdate5 on the copies;
  2. keeps each class-context message (self.tr) where pylupdate5 put it and adds it to "CityCode" too,
     which is where our algorithm/base classes look it up;
  3. fills every translation from the old .ts by source text (so moving a message keeps its translation),
     leaves new ones "unfinished" and drops ones that are gone from the code.
Strings that are not literal at the tr() call (e.g. class attributes) can be marked for extraction with
QT_TRANSLATE_NOOP("CityCode", "text").

Usage: scripts/update_translations.py [i18n/citycode_zh_CN.ts]      (then lrelease, see `make translations`)
"""
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC_DIRS = ["plugin"]
WORK = os.path.join(ROOT, "build", "i18n-src")
CONTEXT = "CityCode"
# tr( not preceded by a name character, a dot ("self.tr(") or "def ".
BARE_TR = re.compile(r"(?<!def )(?<![\w.])tr\(")


def python_sources():
    for src in SRC_DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(ROOT, src)):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for name in sorted(filenames):
                if name.endswith(".py"):
                    yield os.path.relpath(os.path.join(dirpath, name), ROOT)


def prepared_copies():
    shutil.rmtree(WORK, ignore_errors=True)
    copies = []
    for rel in python_sources():
        with open(os.path.join(ROOT, rel), encoding="utf-8") as f:
            text = f.read()
        dst = os.path.join(WORK, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        with open(dst, "w", encoding="utf-8") as f:
            f.write(BARE_TR.sub('QCoreApplication.translate("{}", '.format(CONTEXT), text))
        copies.append(dst)
    return copies


def old_translations(ts_path):
    """source text -> translation text, from any context; finished ones win over unfinished ones."""
    found, unfinished = {}, {}
    if not os.path.isfile(ts_path):
        return found
    for msg in ET.parse(ts_path).getroot().iter("message"):
        source, trans = msg.findtext("source"), msg.find("translation")
        if source is None or trans is None or not (trans.text or "").strip():
            continue
        if trans.get("type") in ("unfinished", "obsolete", "vanished"):
            unfinished.setdefault(source, trans.text)
        else:
            found.setdefault(source, trans.text)
    for source, text in unfinished.items():
        found.setdefault(source, text)
    return found


def message_key(msg):
    return msg.findtext("source"), msg.findtext("comment") or ""


def main():
    ts_path = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "i18n", "citycode_zh_CN.ts"))
    known = old_translations(ts_path)

    fresh_ts = os.path.join(WORK, "extracted.ts")
    copies = prepared_copies()
    subprocess.run(["pylupdate5", "-noobsolete"] + copies + ["-ts", fresh_ts], check=True,
                   stdout=subprocess.DEVNULL, env=dict(os.environ, PYTHONWARNINGS="ignore"))
    root = ET.parse(fresh_ts).getroot()

    contexts = {ctx.findtext("name"): ctx for ctx in root.findall("context")}
    ours = contexts.get(CONTEXT)
    if ours is None:
        ours = ET.SubElement(root, "context")
        ET.SubElement(ours, "name").text = CONTEXT
        contexts[CONTEXT] = ours
    have = {message_key(m) for m in ours.findall("message")}
    for name, ctx in list(contexts.items()):
        if name == CONTEXT:
            continue
        for msg in ctx.findall("message"):
            if message_key(msg) not in have:
                copy = ET.fromstring(ET.tostring(msg))
                ours.append(copy)
                have.add(message_key(msg))

    done = todo = 0
    rel_work = os.path.relpath(WORK, os.path.dirname(ts_path))
    rel_root = os.path.relpath(ROOT, os.path.dirname(ts_path))
    for msg in root.iter("message"):
        for loc in msg.findall("location"):  # point at the real sources, not the copies
            filename = loc.get("filename", "")
            if filename.startswith(rel_work + os.sep):
                loc.set("filename", os.path.join(rel_root, filename[len(rel_work) + 1:]))
        trans = msg.find("translation")
        text = known.get(msg.findtext("source"))
        if text:
            trans.text = text
            trans.attrib.pop("type", None)
            done += 1
        else:
            trans.text = None
            trans.set("type", "unfinished")
            todo += 1

    # "CityCode" first, then the class contexts; messages in source order.
    ordered = sorted(root.findall("context"), key=lambda c: (c.findtext("name") != CONTEXT, c.findtext("name")))
    for ctx in root.findall("context"):
        root.remove(ctx)
    for ctx in ordered:
        root.append(ctx)
    root.set("language", "zh_CN")
    root.set("version", "2.1")
    ET.indent(root, space="    ")
    body = ET.tostring(root, encoding="unicode")
    with open(ts_path, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n")
    print("{}: {} translated, {} unfinished".format(os.path.relpath(ts_path, ROOT), done, todo))
    missing = sorted({m.findtext("source") for m in root.iter("message")
                      if m.find("translation").get("type") == "unfinished"})
    for source in missing:
        print("  unfinished: " + source)


if __name__ == "__main__":
    main()
