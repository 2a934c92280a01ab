"""The map as a picture without a browser: PNG of a day, GIF (or MP4) of every day."""

from __future__ import annotations

import io
import itertools
import json
import shutil
import subprocess
from dataclasses import replace
from datetime import date

import numpy as np
import pytest
from PIL import Image

from geo.cli.main import main
from geo.export import picture
from geo.territory.model import TerritoryModel
from geo.timeline.control import Timeline
from tests.support.data import ARTIFACTS, FIXTURE_EVENTS, FIXTURE_PLACES

GOV, HTS = (0xD5, 0x5E, 0x00), (0x00, 0x9E, 0x73)


@pytest.fixture(scope="module")
def territory(fixture_timeline):
    return TerritoryModel(fixture_timeline)


def pixels_near(image: np.ndarray, colour: tuple[int, int, int], tolerance: int = 6) -> int:
    return int((np.abs(image.astype(int) - np.array(colour)).max(axis=2) <= tolerance).sum())


def map_area(image: np.ndarray) -> np.ndarray:
    """The map of a landscape picture (left 60%, between the title and the sources line): no legend swatches."""
    h, w = image.shape[:2]
    return image[int(h * 0.15) : int(h * 0.9), int(w * 0.012) : int(w * 0.6)]


def decode(png: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(png)) as im:
        assert im.format == "PNG"
        return np.asarray(im.convert("RGB"))


@pytest.mark.parametrize("size", [(1200, 675), (1080, 1080)])
def test_png_has_the_size_and_is_not_blank(fixture_dataset, fixture_timeline, territory, size):
    png = picture.png_bytes(fixture_dataset, fixture_timeline, date(2024, 11, 30), territory, size)
    image = decode(png)
    assert image.shape == (size[1], size[0], 3)
    assert len(np.unique(image.reshape(-1, 3), axis=0)) > 50  # text, outline, zones, markers: not a blank canvas
    assert (image.mean(axis=2) < 128).mean() > 0.005  # some dark ink (text)
    assert pixels_near(image, HTS) > 20 and pixels_near(image, GOV) > 20  # HTS took Aleppo; the rest is the government's
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"picture-{size[0]}x{size[1]}.png").write_bytes(png)


def test_png_changes_with_the_day_and_the_zones(fixture_dataset, fixture_timeline, territory):
    before = decode(picture.png_bytes(fixture_dataset, fixture_timeline, date(2024, 11, 26)))
    after = decode(picture.png_bytes(fixture_dataset, fixture_timeline, date(2024, 11, 30)))
    assert pixels_near(map_area(before), HTS) == 0  # nobody but the government holds anything on day one
    assert pixels_near(map_area(after), HTS) > 20
    with_zones = decode(picture.png_bytes(fixture_dataset, fixture_timeline, date(2024, 11, 30), territory))
    # the zones (the holder's colour, lightened) fill most of the map
    assert pixels_near(map_area(with_zones), picture_zone_colour(GOV), 8) > map_area(with_zones)[..., 0].size * 0.2


def test_text_from_the_data_is_never_mathtext(hostile_dataset):
    places = dict(hostile_dataset.places)
    places["aleppo"] = replace(places["aleppo"], name="$\\frac{1}{0}$ $x^2$ \\undefinedcommand{")
    dataset = replace(hostile_dataset, places=places)
    timeline = Timeline(dataset)
    pic = picture.DayPicture(dataset, timeline, None, (1200, 675))
    pic.draw(date(2024, 12, 6))
    png = pic.png()  # a parse error of mathtext would raise here
    texts = [t for t in pic.fig.findobj(lambda a: hasattr(a, "get_parse_math")) if "$" in a_text(t)]
    assert texts and not any(t.get_parse_math() for t in texts)
    assert any(a_text(t) == places["aleppo"].name for t in texts)
    assert decode(png).shape == (675, 1200, 3)


def picture_zone_colour(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
    mixed = picture._mix("#{:02X}{:02X}{:02X}".format(*rgb), 0.42)
    return tuple(round(x * 255) for x in mixed)


def a_text(artist) -> str:
    return artist.get_text() if hasattr(artist, "get_text") else ""


def test_outlets_line_fits_its_budget(fixture_dataset):
    line = picture.outlets_line(fixture_dataset, date(2024, 12, 6), 200)
    assert line.startswith("Sources: events.yaml, 5 sourced events to this day — ")
    assert "Reuters" in line and "The Independent" in line
    assert picture.outlets_line(fixture_dataset, date(2024, 11, 26), 200).startswith("Sources: events.yaml, 0 sourced events")


def test_sizes_parse():
    assert picture.parse_size("square") == (1080, 1080)
    assert picture.parse_size("1600x900") == (1600, 900)
    for bad in ("big", "10x10", "1200x"):
        with pytest.raises(ValueError):
            picture.parse_size(bad)


def test_gif_has_one_frame_per_day(fixture_dataset, fixture_timeline, territory, tmp_path):
    path = tmp_path / "timelapse.gif"
    stats = picture.write_animation(fixture_dataset, fixture_timeline, path, territory, (600, 338), frame_ms=500, hold_ms=2000)
    assert stats.frames == len(fixture_timeline.days) == 11
    with Image.open(path) as gif:
        assert gif.format == "GIF" and gif.size == (600, 338)
        assert gif.n_frames == len(fixture_timeline.days)
        assert gif.info.get("loop") == 0
        frames, durations = [], []
        for i in range(gif.n_frames):
            gif.seek(i)
            durations.append(gif.info["duration"])
            frames.append(np.asarray(gif.convert("RGB")))
    assert durations == [500] * 10 + [2000]
    for a, b in itertools.pairwise(frames):
        assert (a != b).any()  # every frame has its own date caption
    assert pixels_near(map_area(frames[0]), HTS, 20) == 0  # day 1: all the government's
    assert pixels_near(map_area(frames[4]), HTS, 20) > 0  # day 5 (30 Nov): Aleppo falls


def test_animation_of_some_days_and_bad_requests(fixture_dataset, fixture_timeline, tmp_path):
    days = [d for d in fixture_timeline.days if d >= date(2024, 12, 4)]
    stats = picture.write_animation(fixture_dataset, fixture_timeline, tmp_path / "end.gif", size=(400, 400), days=days)
    with Image.open(stats.path) as gif:
        assert gif.n_frames == 3
    with pytest.raises(ValueError, match=r"\.gif or \.mp4"):
        picture.write_animation(fixture_dataset, fixture_timeline, tmp_path / "x.avi")


def test_cli_export_animation(tmp_path, capsys):
    out = tmp_path / "t.gif"
    code = main(
        [
            "export-animation",
            str(out),
            "--size",
            "400x300",
            "--frame-ms",
            "300",
            "--from",
            "2024-12-01",
            "--no-zones",
            "--events",
            str(FIXTURE_EVENTS),
            "--places",
            str(FIXTURE_PLACES),
        ]
    )
    assert code == 0
    assert "6 frames" in capsys.readouterr().out
    with Image.open(out) as gif:
        assert gif.n_frames == 6 and gif.size == (400, 300)
    code = main(
        [
            "export-animation",
            str(tmp_path / "t.gif"),
            "--from",
            "2030-01-01",
            "--no-zones",
            "--events",
            str(FIXTURE_EVENTS),
            "--places",
            str(FIXTURE_PLACES),
        ]
    )
    assert code == 2


@pytest.mark.skipif(shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None, reason="MP4 needs ffmpeg (optional)")
def test_mp4_shows_every_day_then_holds_the_last(fixture_dataset, fixture_timeline, tmp_path):
    path = tmp_path / "timelapse.mp4"
    picture.write_animation(fixture_dataset, fixture_timeline, path, size=(600, 338), frame_ms=500, hold_ms=1500)
    probe = json.loads(
        subprocess.run(
            [
                "ffprobe",
                "-v",
                "error",
                "-count_frames",
                "-select_streams",
                "v:0",
                "-show_entries",
                "stream=codec_name,width,height,nb_read_frames,avg_frame_rate",
                "-of",
                "json",
                str(path),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )["streams"][0]
    assert probe["codec_name"] == "h264" and (probe["width"], probe["height"]) == (600, 338)
    assert probe["avg_frame_rate"] == "25/1"
    seconds = int(probe["nb_read_frames"]) / 25
    assert seconds == pytest.approx((len(fixture_timeline.days) - 1) * 0.5 + 1.5, abs=0.1)  # 10 days x 0.5 s + 1.5 s held


# --- long texts and many places stay inside the picture -----------------------------------------------------

LONG = "Al-" + "Ghouta " * 70  # 500 characters


@pytest.fixture(scope="module")
def long_texts_dataset():
    """The fixture data with 500-character texts: the title, a faction's short and long label, a city, an outlet."""
    from geo.reading.loader import load_dataset_from_bytes

    events = FIXTURE_EVENTS.read_text(encoding="utf-8")
    events = events.replace("    short: SDF\n", f"    short: SDF {LONG[:290]}\n", 1)
    events = events.replace("    label: Syrian Democratic Forces\n", f"    label: Syrian Democratic Forces {LONG[:270]}\n", 1)
    events = f"title: Syria {LONG}\n" + "\n".join(line for line in events.splitlines() if not line.startswith("title:")) + "\n"
    places = FIXTURE_PLACES.read_text(encoding="utf-8").replace("    name: Hama\n", f"    name: Hama {LONG}\n", 1)
    return load_dataset_from_bytes(events, "events.yaml", places, "places.yaml")


def texts_outside(pic: picture.DayPicture) -> list[str]:
    """Texts of the picture (but the map's clipped place names) that reach beyond its edges."""
    from matplotlib.text import Text

    renderer = pic.canvas.get_renderer()
    width, height = pic.size
    outside = []
    for text in pic.fig.findobj(Text):
        if not text.get_text() or not text.get_visible() or text.axes is pic.ax:
            continue
        box = text.get_window_extent(renderer)
        if box.x0 < -0.5 or box.y0 < -0.5 or box.x1 > width + 0.5 or box.y1 > height + 0.5:
            outside.append(text.get_text()[:40])
    return outside


@pytest.mark.parametrize("size", [picture.LANDSCAPE, picture.SQUARE])
def test_long_texts_stay_inside_the_picture(long_texts_dataset, size):
    ds = long_texts_dataset
    pic = picture.DayPicture(ds, Timeline(ds), None, size, link="https://example.org/" + "x" * 500)
    try:
        pic.draw(date(2024, 12, 6))
        pic.rgb()
        assert ds.title.startswith("Syria Al-Ghouta") and len(ds.title) > 490
        assert texts_outside(pic) == []
        shown = {t.get_text() for t in pic.fig.findobj(lambda a: hasattr(a, "get_text"))}
        assert any(t.startswith("Syria Al-Ghouta") and t.endswith("…") for t in shown)  # shortened, not dropped
        names = [t.get_text() for t in pic.ax.texts]
        assert "Aleppo" in names and any(n.startswith("Hama Al-Ghouta") and len(n) <= picture.NAME_CHARS for n in names)
    finally:
        pic.close()


def test_only_the_most_populous_cities_are_named(tmp_path):
    from geo.cli import synth
    from geo.reading.loader import load_dataset

    events, places = synth.write(tmp_path / "many.yaml", 1200, 200, 30)
    ds = load_dataset(events, places)
    cities = [p for p in ds.places.values() if p.kind == "city"]
    assert len(cities) > picture.MAX_NAMED_PLACES
    pic = picture.DayPicture(ds, Timeline(ds))
    try:
        pic.draw(Timeline(ds).last_day)
        named = [t.get_text() for t in pic.ax.texts]
    finally:
        pic.close()
    biggest = sorted(cities, key=lambda p: (-(p.population or 0), -p.weight))[: picture.MAX_NAMED_PLACES]
    assert len(named) == picture.MAX_NAMED_PLACES and set(named) == {p.name[: picture.NAME_CHARS] for p in biggest}


def texts_overlapping(pic: picture.DayPicture) -> list[tuple[str, str]]:
    """Pairs of the picture's texts (but the map's place names) whose boxes overlap."""
    from matplotlib.text import Text

    renderer = pic.canvas.get_renderer()
    boxes = [
        (text.get_text()[:30], text.get_window_extent(renderer))
        for text in pic.fig.findobj(Text)
        if text.get_text().strip() and text.get_visible() and text.axes is not pic.ax
    ]
    return [
        (a, b)
        for i, (a, box_a) in enumerate(boxes)
        for b, box_b in boxes[i + 1 :]
        if min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0) > 0.5 and min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0) > 0.5
    ]


@pytest.mark.parametrize(("size", "lang"), [(picture.LANDSCAPE, "en"), (picture.SQUARE, "en"), (picture.LANDSCAPE, "ar")])
def test_no_text_of_the_real_picture_overlaps_another(size, lang):
    # the busiest day of the shipped data: three-digit counts with changes, the zones note, the longest symbol names
    from geo.reading.loader import DEFAULT_EVENTS, load_dataset
    from geo.territory.model import map_territory
    from geo.view.localize import localized

    dataset = load_dataset(DEFAULT_EVENTS)
    timeline = Timeline(dataset)
    if lang != "en":
        dataset = localized(dataset, lang)
        timeline = Timeline(dataset)
    pic = picture.DayPicture(dataset, timeline, map_territory(timeline), size, lang=lang)
    try:
        pic.draw(date(2024, 12, 8))
        pic.rgb()
        assert texts_overlapping(pic) == []
        assert texts_outside(pic) == []
    finally:
        pic.close()
