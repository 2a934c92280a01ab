"""The picture and the timelapse in Arabic: shaped, right-to-left text that the font can draw."""

from __future__ import annotations

import io
import unicodedata
from datetime import date

import numpy as np
from matplotlib import font_manager, ft2font
from PIL import Image

from geo.cli.main import main
from geo.export import picture
from geo.timeline.control import Timeline
from geo.view.localize import localized
from geo.view.words import AR


def test_arabic_is_joined_and_put_in_display_order():
    assert picture.shaped("Aleppo (city)") == "Aleppo (city)"  # English untouched
    text = picture.shaped("حلب", "ar")
    # three letters in their joined forms (initial, medial, final: Arabic Presentation Forms-B), right to left
    assert [unicodedata.name(c) for c in text] == [
        "ARABIC LETTER BEH FINAL FORM",
        "ARABIC LETTER LAM MEDIAL FORM",
        "ARABIC LETTER HAH INITIAL FORM",
    ]
    mixed = picture.shaped("المواقع (77 مستنتَج)", "ar")
    assert "77" in mixed and mixed.index("(") < mixed.index(")")  # numbers read left to right, brackets mirrored
    assert picture.shaped("سطر\nسطر", "ar").count("\n") == 1


def test_the_font_draws_every_arabic_letter_the_picture_uses():
    path = font_manager.findfont(font_manager.FontProperties(family=picture.FONT, weight="bold"))
    charmap = ft2font.FT2Font(path).get_charmap()
    used = {c for text in AR.values() for c in picture.shaped(text, "ar") if "ARABIC" in unicodedata.name(c, "")}
    assert used and not {c for c in used if ord(c) not in charmap}


def test_png_in_arabic(fixture_dataset):
    named = localized(fixture_dataset, "ar")
    timeline = Timeline(named)
    arabic = np.asarray(Image.open(io.BytesIO(picture.png_bytes(named, timeline, date(2024, 12, 6), lang="ar"))))
    english = np.asarray(Image.open(io.BytesIO(picture.png_bytes(fixture_dataset, Timeline(fixture_dataset), date(2024, 12, 6)))))
    assert arabic.shape[:2] == english.shape[:2] == (675, 1200)
    title = (slice(0, 60), slice(0, 500))  # the title's corner: other words, other pixels
    assert (arabic[title] != english[title]).any()
    line = picture.outlets_line(named, date(2024, 12, 6), 200, "ar")
    assert line.startswith("المصادر: events.yaml، 5 حدثًا موثَّقًا") and "Reuters" in line


def test_cli_png_and_timelapse_in_arabic(tmp_path, capsys):
    from tests.support.data import FIXTURE_EVENTS, FIXTURE_PLACES

    data = ["--events", str(FIXTURE_EVENTS), "--places", str(FIXTURE_PLACES), "--no-zones", "--lang", "ar"]
    assert main(["export", "--date", "2024-12-06", "--format", "png", "-o", str(tmp_path / "day.png"), *data]) == 0
    assert Image.open(tmp_path / "day.png").size == (1200, 675)
    out = tmp_path / "days.gif"
    assert main(["export-animation", str(out), "--from", "2024-12-04", "--to", "2024-12-06", "--frame-ms", "100", *data]) == 0
    gif = Image.open(out)
    assert gif.n_frames == 3
    assert main(["export-html", str(tmp_path / "map.html"), *data]) == 0
    page = (tmp_path / "map.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in page and "حلب" in page
