"""Downloads of one day: GeoJSON (valid RFC 7946, round-trips through geopandas), CSV, and the CLI."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import date

import geopandas as gpd
import pytest
import shapely
from PIL import Image
from shapely.geometry import shape

from geo.base.errors import DateOutOfRange
from geo.cli.main import main
from geo.export import files as export
from geo.territory.model import TerritoryModel
from geo.view.tables import STATE_COLUMNS, state_rows
from tests.support.data import FIXTURE_EVENTS, FIXTURE_PLACES, HOSTILE

DATA = ["--events", str(FIXTURE_EVENTS), "--places", str(FIXTURE_PLACES)]
GEOMETRY_TYPES = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection"}


@pytest.fixture(scope="module")
def territory(fixture_timeline):
    return TerritoryModel(fixture_timeline)


# --- an RFC 7946 checker ---------------------------------------------------------------------
def _position(p) -> None:
    assert isinstance(p, list) and len(p) in (2, 3), p
    assert all(isinstance(x, int | float) and not isinstance(x, bool) for x in p), p
    assert -180 <= p[0] <= 180 and -90 <= p[1] <= 90, p


def _ring(ring, exterior: bool) -> None:
    assert len(ring) >= 4 and ring[0] == ring[-1], "a linear ring is closed and has at least 4 positions"
    for p in ring:
        _position(p)
    # RFC 7946 3.1.6: exterior rings counter-clockwise, holes clockwise
    assert shapely.LinearRing(ring).is_ccw == exterior, "ring winding does not follow the right-hand rule"


def check_geometry(g: dict) -> None:
    assert g["type"] in GEOMETRY_TYPES
    c = g.get("coordinates")
    if g["type"] == "Point":
        _position(c)
    elif g["type"] in ("MultiPoint", "LineString"):
        assert g["type"] == "MultiPoint" or len(c) >= 2
        for p in c:
            _position(p)
    elif g["type"] == "MultiLineString":
        for line in c:
            assert len(line) >= 2
            for p in line:
                _position(p)
    elif g["type"] == "Polygon":
        for i, ring in enumerate(c):
            _ring(ring, exterior=i == 0)
    elif g["type"] == "MultiPolygon":
        for polygon in c:
            for i, ring in enumerate(polygon):
                _ring(ring, exterior=i == 0)
    else:
        for part in g["geometries"]:
            check_geometry(part)
    assert shape(g).is_valid, shapely.is_valid_reason(shape(g))


def check_feature_collection(fc: dict) -> None:
    assert fc["type"] == "FeatureCollection"
    assert "crs" not in fc  # RFC 7946 has no crs member: WGS84 lon/lat always
    assert isinstance(fc["features"], list)
    for f in fc["features"]:
        assert f["type"] == "Feature"
        assert isinstance(f["properties"], dict)
        if "id" in f:
            assert isinstance(f["id"], str | int)
        check_geometry(f["geometry"])
        for value in f["properties"].values():  # flat attributes (Shapefile/GeoPackage friendly)
            assert value is None or isinstance(value, str | int | float | bool), value


# --- GeoJSON -----------------------------------------------------------------------------------
def test_geojson_of_places_is_valid_and_matches_the_state(fixture_dataset, fixture_timeline):
    for day in fixture_timeline.days:
        fc = json.loads(export.geojson_bytes(fixture_dataset, fixture_timeline, day))
        check_feature_collection(fc)
        assert fc["date"] == day.isoformat() and fc["name"] == f"syria-control-{day.isoformat()}"
        state = fixture_timeline.state_on(day)
        places = [f for f in fc["features"] if f["properties"]["layer"] == "place"]
        assert [f["id"] for f in places] == list(fixture_dataset.places)
        for f in places:
            s, p = state[f["id"]], fixture_dataset.places[f["id"]]
            assert f["properties"]["controller"] == s.controller
            assert f["properties"]["status"] == s.status
            assert f["properties"]["mode"] == s.control.mode
            assert f["geometry"]["coordinates"] == [pytest.approx(p.lon, abs=1e-6), pytest.approx(p.lat, abs=1e-6)]
    fc = json.loads(export.geojson_bytes(fixture_dataset, fixture_timeline, date(2024, 12, 6)))
    hama = next(f for f in fc["features"] if f["id"] == "hama")["properties"]
    assert hama["controller_name"] == "HTS-led opposition" and hama["colour"] == "#009E73"
    assert hama["summary"] == "Rebels say they took Hama." and "The Independent" in hama["sources"]
    deir = next(f for f in fc["features"] if f["id"] == "deir_ez_zor")["properties"]
    assert deir["status"] == "disputed" and deir["denied_by"] == "Syrian army"


def test_geojson_with_zones_is_valid(fixture_dataset, fixture_timeline, territory):
    day = date(2024, 11, 29)
    fc = json.loads(export.geojson_bytes(fixture_dataset, fixture_timeline, day, territory))
    check_feature_collection(fc)
    layers = [f["properties"]["layer"] for f in fc["features"]]
    assert layers.count("place") == 4 and layers.count("zone") == 2 and "front_line" not in layers  # all held by gov
    assert "not surveyed" in fc["note"]
    zones = [f for f in fc["features"] if f["properties"]["layer"] == "zone"]
    aleppo = next(z for z in zones if z["properties"]["mode"] == "contested")  # Aleppo is contested on 29 Nov
    assert aleppo["properties"]["controller"] == "gov" and aleppo["properties"]["contested_with"] == "hts"
    total = sum(shape(z["geometry"]).area for z in zones)
    assert total > 5  # square degrees: most of Syria (~18.5) is shared out between the 4 places
    fc = json.loads(export.geojson_bytes(fixture_dataset, fixture_timeline, date(2024, 11, 30), territory))
    check_feature_collection(fc)
    fronts = [f for f in fc["features"] if f["properties"]["layer"] == "front_line"]
    assert [f["properties"]["factions"] for f in fronts] == ["gov;hts"] and fronts[0]["properties"]["length_km"] > 10


def test_geojson_round_trips_through_geopandas(fixture_dataset, fixture_timeline, territory, tmp_path):
    day = date(2024, 12, 6)
    data = export.geojson_bytes(fixture_dataset, fixture_timeline, day, territory)
    gdf = gpd.read_file(io.BytesIO(data))
    assert gdf.crs is not None and gdf.crs.to_epsg() == 4326
    source = json.loads(data)["features"]
    assert len(gdf) == len(source)
    places = gdf[gdf["layer"] == "place"].set_index("place_id")
    rows = {r["place_id"]: r for r in state_rows(fixture_dataset, fixture_timeline, day)}
    assert set(places.index) == set(rows)
    for pid, row in rows.items():
        assert places.loc[pid, "controller"] == row["controller"]
        assert places.loc[pid, "name"] == row["name"]
        assert places.loc[pid, "geometry"].x == pytest.approx(row["lon"], abs=1e-5)
        assert places.loc[pid, "geometry"].y == pytest.approx(row["lat"], abs=1e-5)
    zones = gdf[gdf["layer"] == "zone"]
    assert len(zones) >= 2 and zones.geometry.is_valid.all() and (zones.to_crs(3857).geometry.area > 0).all()
    assert set(gdf.geom_type) >= {"Point"} and set(gdf.geom_type) & {"Polygon", "MultiPolygon"}
    # and back: geopandas writes it, reads it again, and nothing changed
    path = tmp_path / "again.geojson"
    gdf.to_file(path, driver="GeoJSON")
    again = gpd.read_file(path)
    assert len(again) == len(gdf)
    assert list(again["layer"]) == list(gdf["layer"])
    assert all(a.equals_exact(b, 1e-9) for a, b in zip(again.geometry, gdf.geometry, strict=True))
    # places alone convert to a GeoPackage layer as they are (flat attributes)
    gpkg = tmp_path / "places.gpkg"
    gdf[gdf["layer"] == "place"].to_file(gpkg, driver="GPKG")
    assert len(gpd.read_file(gpkg)) == 4


def test_geojson_keeps_hostile_text_as_data(hostile_dataset):
    from geo.timeline.control import Timeline

    tl = Timeline(hostile_dataset)
    fc = json.loads(export.geojson_bytes(hostile_dataset, tl, date(2024, 12, 6)))
    hama = next(f for f in fc["features"] if f["id"] == "hama")["properties"]
    assert hama["name"] == HOSTILE and hama["summary"] == HOSTILE  # exact text: escaping is the reader's job
    assert HOSTILE in hama["sources"]


def test_geojson_before_the_first_day_is_an_error(fixture_dataset, fixture_timeline):
    with pytest.raises(DateOutOfRange):
        export.geojson_bytes(fixture_dataset, fixture_timeline, date(2020, 1, 1))


# --- CSV ------------------------------------------------------------------------------------------
def test_csv_is_the_state_table(fixture_dataset, fixture_timeline, capsys):
    day = date(2024, 12, 6)
    text = export.csv_bytes(fixture_dataset, fixture_timeline, day).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == STATE_COLUMNS
    expected = state_rows(fixture_dataset, fixture_timeline, day)
    assert [r["place_id"] for r in rows] == [r["place_id"] for r in expected]
    assert [r["controller"] for r in rows] == [r["controller"] for r in expected]
    # the same table as `python -m geo state --format csv`
    assert main(["state", day.isoformat(), "--format", "csv", *DATA]) == 0
    assert capsys.readouterr().out == text


def test_csv_cells_that_a_spreadsheet_would_run_are_defused(fixture_dataset, fixture_timeline):
    places = dict(fixture_dataset.places)
    places["hama"] = replace(places["hama"], name='=HYPERLINK("http://example.com","x")', governorate="@SUM(A1)")
    dataset = replace(fixture_dataset, places=places)
    text = export.csv_text(dataset, fixture_timeline, date(2024, 12, 6))
    hama = next(r for r in csv.DictReader(io.StringIO(text)) if r["place_id"] == "hama")
    assert hama["name"] == '\'=HYPERLINK("http://example.com","x")' and hama["governorate"] == "'@SUM(A1)"
    assert hama["lat"] == str(round(places["hama"].lat, 5))  # numbers are left alone


# --- the CLI --------------------------------------------------------------------------------------
def test_cli_export_geojson_and_csv_to_stdout(capsysbinary):
    assert main(["export", "--date", "2024-11-30", "--format", "geojson", "--no-zones", *DATA]) == 0
    fc = json.loads(capsysbinary.readouterr().out)
    assert {f["id"]: f["properties"]["controller"] for f in fc["features"]}["aleppo"] == "hts"
    assert main(["export", "--date", "2024-11-30", "--format", "csv", *DATA]) == 0
    assert capsysbinary.readouterr().out.decode().startswith(",".join(STATE_COLUMNS))


def test_cli_export_files_by_extension(tmp_path, capsys):
    out = tmp_path / "day.geojson"
    assert main(["export", "--date", "2024-12-06", "-o", str(out), *DATA]) == 0
    fc = json.loads(out.read_text(encoding="utf-8"))
    check_feature_collection(fc)
    assert any(f["properties"]["layer"] == "zone" for f in fc["features"])  # zones by default
    png = tmp_path / "day.png"
    assert main(["export", "--date", "2024-12-06", "-o", str(png), "--size", "square", *DATA]) == 0
    assert Image.open(png).size == (1080, 1080)
    assert "wrote" in capsys.readouterr().err


def test_cli_export_default_png_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["export", "--format", "png", "--no-zones", *DATA]) == 0
    assert Image.open(tmp_path / "syria-control-2024-12-06.png").size == (1200, 675)  # the last day by default


def test_cli_export_errors(capsys, invalid_events):
    assert main(["export", "--date", "2020-01-01", *DATA]) == 2
    assert "before the first day" in capsys.readouterr().err
    for bad in ("6 Dec", "2024-W48-6", "20241206", "2024-02-30"):
        with pytest.raises(SystemExit) as exc:
            main(["export", "--date", bad, *DATA])
        assert exc.value.code == 2
        assert "YYYY-MM-DD" in capsys.readouterr().err
    assert main(["export", "--events", str(invalid_events), "--places", str(FIXTURE_PLACES)]) == 1
    assert "hamaa" in capsys.readouterr().err
    assert main(["export-html", "/nonexistent/dir/x.html", "--no-zones", *DATA]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_export_commands_are_registered_once_each():
    from geo.cli.main import build_parser

    parser = build_parser()
    for command in ("export", "export-html", "export-animation"):
        assert parser.parse_args([command, "x.html"] if command != "export" else [command]).command == command
