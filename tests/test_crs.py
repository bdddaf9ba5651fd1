"""Coordinate systems of Chinese data: the CGCS2000 family, guessing, checking, and the CRS areas use.

Test data are real places (Suzhou 120.6°E 31.3°N, Qingdao, Kashgar) projected with pyproj, whose EPSG
database is the independent truth for every zone.
"""
import numpy as np
import pytest
import shapely
from pyproj import CRS, Transformer

from citycode.plugin.core.china import crs as C

SUZHOU = (120.6, 31.3)
QINGDAO = (120.4, 36.1)
KASHGAR = (76.0, 39.5)


def wkt(epsg):
    return CRS.from_epsg(epsg).to_wkt()


def box_in(epsg, lon, lat, d=0.05):
    """Bounds in EPSG:epsg of a small lon/lat square around (lon, lat), in x = easting order."""
    t = Transformer.from_crs(4490, epsg, always_xy=True)
    xs, ys = t.transform([lon - d, lon + d, lon - d, lon + d], [lat - d, lat - d, lat + d, lat + d])
    return min(xs), min(ys), max(xs), max(ys)


def swap(b):
    return b[1], b[0], b[3], b[2]


# -- the family as EPSG defines it ------------------------------------------------------------------
@pytest.mark.parametrize("family, name", [
    (C.GK3_PREFIXED, "CGCS2000 / 3-degree Gauss-Kruger zone {zone}"),
    (C.GK3, "CGCS2000 / 3-degree Gauss-Kruger CM {cm}E"),
    (C.GK6_PREFIXED, "CGCS2000 / Gauss-Kruger zone {zone}"),
    (C.GK6, "CGCS2000 / Gauss-Kruger CM {cm}E"),
])
def test_families_match_the_epsg_database(family, name):
    for zone in family.zones():
        crs = CRS.from_epsg(family.epsg(zone))
        cm = family.central_meridian(zone)
        assert crs.name == name.format(zone=zone, cm=cm)
        params = {p.name: p.value for p in crs.coordinate_operation.params}
        assert params["Longitude of natural origin"] == cm
        assert params["False easting"] == family.false_easting(zone)
        assert family.zone_of_epsg(family.epsg(zone)) == zone
    # the codes just outside the range belong to something else
    for outside in (family.first_epsg - 1, family.epsg(family.last_zone) + 1):
        assert not CRS.from_epsg(outside).name.startswith(name.split("{")[0])
    assert CRS.from_epsg(C.CGCS2000_GEOGRAPHIC).name == "China Geodetic Coordinate System 2000"


def test_family_ranges_are_the_documented_ones():
    spans = {(f.width, f.prefixed): (f.first_epsg, f.epsg(f.last_zone), f.central_meridian(f.first_zone),
                                     f.central_meridian(f.last_zone)) for f in C.GK_FAMILIES}
    assert spans == {(3, True): (4513, 4533, 75, 135), (3, False): (4534, 4554, 75, 135),
                     (6, True): (4491, 4501, 75, 135), (6, False): (4502, 4512, 75, 135)}


def test_gk3_zone_epsg_takes_the_nearest_central_meridian():
    for lon in np.arange(73.7, 135.0, 0.7):
        params = {p.name: p.value for p in CRS.from_epsg(C.gk3_zone_epsg(lon)).coordinate_operation.params}
        assert abs(params["Longitude of natural origin"] - lon) <= 1.5 + 1e-9
    assert C.gk3_zone_epsg(SUZHOU[0]) == 4549  # CM 120E
    assert C.gk3_zone_epsg(60.0) == 4534 and C.gk3_zone_epsg(150.0) == 4554  # clamped to China's zones


# -- infer_crs --------------------------------------------------------------------------------------
@pytest.mark.parametrize("epsg, evidence", [
    (4490, "longitudes and latitudes"),
    (4528, "starts with 40"),      # 3° zone 40 with prefix, CM 120E
    (4498, "starts with 20"),      # 6° zone 20 with prefix, CM 117E
    (4493, "starts with 15"),      # 6° zone 15, Urumqi
])
def test_infer_each_family(epsg, evidence):
    lonlat = (87.6, 43.8) if epsg == 4493 else SUZHOU
    guess = C.infer_crs(box_in(epsg, *lonlat))
    assert guess.epsg == epsg and guess.confident and not guess.swapped
    assert CRS.from_wkt(guess.wkt).equals(CRS.from_epsg(epsg))
    assert evidence in guess.message and "EPSG:{}".format(epsg) in guess.message
    assert "Beijing 1954" in guess.message  # the datum that looks the same is named


def test_infer_web_mercator_warns_about_gcj02():
    guess = C.infer_crs(box_in(3857, *SUZHOU))
    assert guess.epsg == 3857 and guess.confident
    assert "GCJ-02" in guess.message


def test_prefix_outside_the_zone_reach_is_not_that_zone():
    x0, y0, x1, y1 = box_in(4528, *SUZHOU)
    far = (40.95e6, y0, 40.96e6, y1)  # 450 km east of CM 120E: not in zone 40
    assert C.infer_crs(far).epsg is None


def test_mixed_zone_prefixes_are_named():
    guess = C.infer_crs((39.9e6, 3.4e6, 40.1e6, 3.5e6))
    assert guess.epsg is None and not guess.confident
    assert "39" in guess.message and "40" in guess.message


def test_local_grid_gets_no_guess():
    guess = C.infer_crs((1000.0, 2000.0, 5000.0, 8000.0))
    assert guess.epsg is None and not guess.confident and not guess.candidates


def test_no_prefix_without_hint_is_ambiguous():
    guess = C.infer_crs(box_in(4549, *SUZHOU))
    assert guess.epsg is None and not guess.confident and guess.ambiguous
    assert 4549 in guess.candidates and 4528 not in guess.candidates
    assert C.infer_crs(box_in(4549, *SUZHOU), hint_crs_wkt=wkt(4490)).ambiguous  # degrees tell no zone


@pytest.mark.parametrize("hint, expected", [(4549, 4549), (4528, 4549), (4545, 4545), (4509, 4509)])
def test_no_prefix_takes_the_zone_of_the_hint_crs(hint, expected):
    """Without knowing where the other layer lies, its zone is taken: the metres alone fit every zone."""
    guess = C.infer_crs(box_in(4549, *SUZHOU), hint_crs_wkt=wkt(hint))
    assert guess.epsg == expected and guess.confident and "other layer" in guess.message


def test_no_prefix_six_degree_zone_takes_the_hint_family():
    b = box_in(4509, *SUZHOU)  # 6° CM 117E: 3.6° from the CM, beyond any 3° zone's reach
    assert C.infer_crs(b).candidates == tuple(range(4502, 4513))
    assert C.infer_crs(b, hint_crs_wkt=wkt(4498)).epsg == 4509  # 6° zone 20 with prefix = CM 117E


def test_no_prefix_takes_the_zone_that_puts_the_data_on_the_hint_layer():
    divisions = (120.4, 31.1, 120.9, 31.5)  # around Suzhou, in degrees
    guess = C.infer_crs(box_in(4549, *SUZHOU), hint_crs_wkt=wkt(4490), hint_bounds=divisions)
    assert guess.epsg == 4549 and guess.confident
    divisions_gk = box_in(4528, *SUZHOU, d=0.3)
    assert C.infer_crs(box_in(4549, *SUZHOU), hint_crs_wkt=wkt(3857),
                       hint_bounds=box_in(3857, *SUZHOU, d=0.3)).epsg == 4549
    assert C.infer_crs(box_in(4549, *SUZHOU), hint_crs_wkt=wkt(4528), hint_bounds=divisions_gk).epsg == 4549
    # where the other layer lies beats its zone: divisions in CM 117E drawn around Suzhou
    assert C.infer_crs(box_in(4549, *SUZHOU), hint_crs_wkt=wkt(4545),
                       hint_bounds=box_in(4545, *SUZHOU, d=0.3)).epsg == 4549
    elsewhere = (100.0, 25.0, 100.5, 25.5)  # Dali: no zone puts Suzhou's metres there
    assert C.infer_crs(box_in(4549, *SUZHOU), hint_crs_wkt=wkt(4490), hint_bounds=elsewhere).epsg is None


def test_web_mercator_and_six_degree_zone_13_are_told_apart_by_the_hint():
    qingdao_3857 = box_in(3857, *QINGDAO)
    guess = C.infer_crs(qingdao_3857)  # the same numbers are also a place near Kashgar in 6° zone 13
    assert guess.ambiguous and set(guess.candidates) == {3857, 4491}
    near_qingdao = (120.0, 35.8, 120.8, 36.4)
    assert C.infer_crs(qingdao_3857, wkt(4490), near_qingdao).epsg == 3857
    kashgar_gk6 = box_in(4491, *KASHGAR)
    near_kashgar = (75.5, 39.0, 76.5, 40.0)
    assert C.infer_crs(kashgar_gk6, wkt(4490), near_kashgar).epsg == 4491


def test_swapped_lat_lon_is_reported_not_fixed():
    guess = C.infer_crs(swap(box_in(4490, *SUZHOU)))
    assert guess.swapped and guess.epsg == 4490 and not guess.confident
    assert "swapped" in guess.message


def test_swapped_gauss_krueger_axes_are_reported():
    guess = C.infer_crs(swap(box_in(4528, *SUZHOU)))
    assert guess.swapped and guess.epsg == 4528 and not guess.confident


def test_no_coordinates():
    assert C.infer_crs(None).epsg is None
    assert C.infer_crs((np.nan, np.nan, np.nan, np.nan)).epsg is None


# -- check_crs --------------------------------------------------------------------------------------
@pytest.mark.parametrize("epsg", [4490, 4528, 4549, 4498, 4509, 3857, 32651, 4326])
def test_check_accepts_the_right_crs(epsg):
    assert C.check_crs(wkt(epsg), box_in(epsg, *SUZHOU)) is None


def test_check_reads_qgis_wkt(qgis_app):
    """QGIS's WKT of the Gauss-Krüger zones carries no EPSG code: the projection is read instead."""
    from qgis.core import QgsCoordinateReferenceSystem

    qgis_4528 = QgsCoordinateReferenceSystem("EPSG:4528").toWkt()
    assert CRS.from_wkt(qgis_4528).to_epsg() is None  # what makes reading the parameters necessary
    assert C.check_crs(qgis_4528, box_in(4528, *SUZHOU)) is None
    assert C.check_crs(qgis_4528, box_in(4527, *SUZHOU)).kind == "prefix_mismatch"
    assert C.infer_crs(box_in(4549, *SUZHOU), hint_crs_wkt=qgis_4528).epsg == 4549
    assert C.crs_label(qgis_4528).endswith("(EPSG:4528)")


@pytest.mark.parametrize("declared, data, kind, guessed", [
    (4490, 4528, "not_degrees", 4528),          # a GK layer labelled geographic
    (4527, 4528, "prefix_mismatch", 4528),      # zone 39 declared, x starts with 40
    (4549, 4528, "prefix_unexpected", 4528),    # no-prefix zone, x with prefix
    (4528, 4549, "prefix_missing", None),       # prefixed zone, x without prefix: which zone is open
    (3857, 4490, "outside_area", 4490),         # degrees labelled Web Mercator: lands off West Africa
    (4549, 4490, "off_zone", 4490),             # degrees labelled a GK zone
])
def test_check_flags_implausible_crs(declared, data, kind, guessed):
    problem = C.check_crs(wkt(declared), box_in(data, *SUZHOU))
    assert problem is not None and problem.kind == kind
    assert problem.guess.epsg == guessed
    assert "EPSG:{}".format(declared) in problem.message


def test_check_flags_swapped_axes():
    assert C.check_crs(wkt(4490), swap(box_in(4490, *SUZHOU))).kind == "swapped"
    problem = C.check_crs(wkt(4528), swap(box_in(4528, *SUZHOU)))
    assert problem.kind == "swapped" and problem.guess.swapped


def test_check_flags_far_outside_the_area_of_use():
    europe = (10.0, 50.0, 11.0, 51.0)
    assert C.check_crs(wkt(4490), europe).kind == "outside_area"  # CGCS2000 is made for China
    assert C.check_crs(wkt(4326), europe) is None                 # WGS 84 is worldwide, no Chinese CRS fits
    nansha = (112.8, 9.5, 112.9, 9.6)  # south of EPSG's 16.7°N limit for CGCS2000, yet Chinese
    assert C.check_crs(wkt(4490), nansha) is None


def test_check_without_crs_uses_the_hint():
    problem = C.check_crs(None, box_in(4549, *SUZHOU), hint_crs_wkt=wkt(4528))
    assert problem.kind == "missing" and problem.guess.epsg == 4549
    assert C.check_crs("not a crs", box_in(4490, *SUZHOU)).kind == "unreadable"
    assert C.check_crs(wkt(4490), None) is None  # nothing to check


# -- area_crs_wkt -----------------------------------------------------------------------------------
def _square_in(epsg):
    """A 1 km × 1 km square (exactly 1e6 m²) in Suzhou, drawn in CGCS2000 CM 120E and reprojected to epsg."""
    square = shapely.box(552000.0, 3463000.0, 553000.0, 3464000.0)
    t = Transformer.from_crs(4549, epsg, always_xy=True)
    return shapely.transform(square, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))


def _area_in(work_wkt, geom, epsg):
    t = Transformer.from_crs(CRS.from_epsg(epsg), CRS.from_wkt(work_wkt), always_xy=True)
    return shapely.area(shapely.transform(geom, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1]))))


@pytest.mark.parametrize("epsg, expected", [
    (4490, 4549),   # geographic: the 3° zone without prefix nearest the data
    (3857, 4549),   # Web Mercator exaggerates areas by 37 % at 31°N
    (4528, 4528),   # own Gauss-Krüger zone
    (4498, 4498),   # own 6° zone
    (32651, 32651),  # UTM keeps areas within 0.2 %
])
def test_area_crs_choice(epsg, expected):
    geom = _square_in(epsg)
    work = C.area_crs_wkt(wkt(epsg), np.array([None, shapely.to_wkb(geom)], dtype=object))
    assert CRS.from_wkt(work).equals(CRS.from_epsg(expected))
    assert _area_in(work, geom, epsg) == pytest.approx(1e6, rel=0.005)


def test_area_crs_by_area_scale_not_by_name():
    conic = dict(lat_1=25, lat_2=47, lat_0=0, lon_0=105, ellps="GRS80", units="m")
    lcc = CRS.from_dict(dict(proj="lcc", **conic))    # conformal: areas 3 % small at 31°N
    albers = CRS.from_dict(dict(proj="aea", **conic))  # equal-area
    for crs, kept in ((lcc, False), (albers, True)):
        t = Transformer.from_crs(4490, crs, always_xy=True)
        x, y = t.transform(*SUZHOU)
        wkb = np.array([shapely.to_wkb(shapely.box(x, y, x + 100, y + 100))], dtype=object)
        work = CRS.from_wkt(C.area_crs_wkt(crs.to_wkt(), wkb))
        assert work.equals(crs) is kept
        if not kept:
            assert work.equals(CRS.from_epsg(4549))


def test_area_crs_without_crs_or_geometry():
    assert C.area_crs_wkt(None, np.array([None], dtype=object)) is None
    assert C.area_crs_wkt(wkt(4528), np.array([None], dtype=object)) == wkt(4528)


def test_wkb_bounds_skips_missing_geometries():
    wkb = np.array([None, shapely.to_wkb(shapely.box(1, 2, 3, 4)), shapely.to_wkb(shapely.Point(5, 0))],
                   dtype=object)
    assert C.wkb_bounds(wkb) == (1.0, 0.0, 5.0, 4.0)
    assert C.wkb_bounds(np.array([None], dtype=object)) is None
