"""Find the gazetteer's places in a sentence: by name, Arabic name and alias, and by fuzzy match for spellings
("Deir Hafir", "Deir Hafer"); capitalised names after a place word that match nothing, with a GeoNames suggestion.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from geo.base.model import Place
from geo.reading.gazetteer import GOVERNORATES, geonames_syria

FUZZY_CUTOFF = 86  # rapidfuzz ratio (0-100) over normalised names: "deir essor" ~ "deir ezzor", not "homs" ~ "hama"
GEONAMES_CUTOFF = 85
MIN_FUZZY_LENGTH = 5  # shorter names only match exactly: "Kara" must not become "Hama"
# A word that turns the name before it into a wider area than the place ("Homs province").
AREA_WORDS = re.compile(r"^[\s'’s]*(province|governorate|countryside|region|countrysides|desert|front|district)\b", re.I)
# Capitalised names, with the particles Arabic names carry: "Al-Dar al-Kabirah", "Deir el-Zor", "Albu Kamal".
_PARTICLE = r"(?:al|el|ez|ed|es|ad|ar|as|ash|at|az|an|bin|abu|um|umm|of)"
_KIND = r"(?:border\s+crossing|crossing|dam|airbase|air\s+base|base|military\s+airport|airport|prison|oil\s+field|bridge)"
NAME_RE = re.compile(rf"\b[A-Z][\w’'-]*(?:[ -](?:{_PARTICLE}[ -])?(?:(?:al|el)-?)?(?:[A-Z][\w’'-]*|\d+\b))*(?:\s+{_KIND}\b)?")
# Words after which a capitalised name is likely a place ("the town of X", "seized X").
PLACE_CUE = re.compile(
    r"\b(?:(?:town|city|village|villages|towns|cities|suburb|district|base|crossing|countryside) of|in|into|near|seized|"
    r"captured|took|entered)\s+$",
    re.I,
)
ARABIC = re.compile(r"[\u0600-\u06FF]")
# Capitalised words that are never places in a report.
NOT_PLACES = {
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "syria",
    "syrian",
    "the",
    "reuters",
    "telegram",
    "observatory",
    "president",
    "army",
    "rebels",
    "islamic",
    "assad",
    # countries, capitals and peoples around Syria: never a place of the gazetteer
    "jordan",
    "iraq",
    "lebanon",
    "turkey",
    "türkiye",
    "israel",
    "iran",
    "russia",
    "gaza",
    "ukraine",
    "qatar",
    "europe",
    "united",
    "states",
    "us",
    "u.s",
    "egypt",
    "saudi",
    "baghdad",
    "beirut",
    "amman",
    "moscow",
    "tehran",
    "ankara",
    "kurdish",
    "iranian",
    "russian",
    "lebanese",
    "iraqi",
    "turkish",
    "israeli",
    "jordanian",
    "alawite",
    "druze",
    "sunni",
    "shia",
    "arab",
    "western",
    "american",
}


@dataclass(frozen=True, slots=True)
class Mention:
    place: str  # place id
    text: str  # as written in the sentence
    start: int  # offset in the sentence
    fuzzy: bool = False


@dataclass(frozen=True, slots=True)
class UnknownName:
    text: str
    geonames: str | None  # "Name (geonameid 123, Governorate)" or None


def normalise(name: str) -> str:
    """Lower case, no accents, no apostrophes or hyphens: "Al-Dar al-Kabirah" -> "al dar al kabirah"."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"['’`ʿʾ]", "", text)
    return " ".join(re.sub(r"[^\w\u0600-\u06FF]+", " ", text).split())


def _bare(name: str) -> str:
    """The name without a bracketed remark: "Palmyra (Tadmur)" -> "Palmyra"."""
    return re.sub(r"\s*\([^)]*\)", "", name).strip()


class PlaceFinder:
    def __init__(self, places: dict[str, Place]):
        self.places = places
        self.names: dict[str, str] = {}  # normalised name -> place id
        for place in places.values():
            for name in (place.name, _bare(place.name), *place.aliases, *map(_bare, place.aliases), place.name_ar):
                key = normalise(name)
                if key:
                    self.names.setdefault(key, place.id)
        latin = sorted((n for n in self.names if not ARABIC.search(n)), key=len, reverse=True)
        self._exact = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in latin) + r")\b") if latin else None
        self._arabic = sorted((n for n in self.names if ARABIC.search(n)), key=len, reverse=True)
        self._fuzzy_names = [n for n in latin if len(n) >= MIN_FUZZY_LENGTH]
        self._geonames = {normalise(r["name"]): r for r in geonames_syria().values()}

    def find(self, sentence: str) -> tuple[list[Mention], list[UnknownName]]:
        """The places a sentence names (in order, each once) and the capitalised names after a place word it
        does not know."""
        mentions: dict[str, Mention] = {}
        covered: list[tuple[int, int]] = []
        for match in NAME_RE.finditer(sentence):
            self._match_name(sentence, match.start(), match.group(), mentions, covered)
        for name in self._arabic:
            index = sentence.find(name)
            if index >= 0 and not _area_follows(sentence, index + len(name)):
                mentions.setdefault(self.names[name], Mention(self.names[name], name, index))
        unknown = []
        for match in NAME_RE.finditer(sentence):
            inside = any(a <= match.start() < b for a, b in covered)
            words = set(normalise(re.sub(r"[’']s?$", "", match.group())).split())
            if inside or words & NOT_PLACES or not PLACE_CUE.search(sentence[: match.start()]):
                continue
            unknown.append(UnknownName(match.group(), self.geonames_suggestion(match.group())))
        return sorted(mentions.values(), key=lambda m: m.start), unknown

    def _match_name(self, sentence: str, offset: int, text: str, mentions: dict, covered: list) -> None:
        """Every place inside one capitalised name: exact first, else the best fuzzy window of its words."""
        words = list(re.finditer(r"\S+", text))
        taken = [False] * len(words)
        for size in range(min(len(words), 5), 0, -1):  # longest windows first: "Deir ez-Zor" before "Zor"
            for i in range(len(words) - size + 1):
                if any(taken[i : i + size]):
                    continue
                start, end = words[i].start(), words[i + size - 1].end()
                window = re.sub(r"[’']s$", "", text[start:end].strip(".,;:’'"))  # "Hama's prison" names Hama
                key = normalise(window)
                place = self.names.get(key)
                fuzzy = False
                if place is None and len(key) >= MIN_FUZZY_LENGTH and key not in NOT_PLACES:
                    best = process.extractOne(key, self._fuzzy_names, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
                    place, fuzzy = (self.names[best[0]], True) if best else (None, False)
                if place is not None and _area_follows(sentence, offset + end):  # "Homs province": known, not a place
                    covered.append((offset + start, offset + end))
                if place is None or _area_follows(sentence, offset + end):
                    continue
                mentions.setdefault(place, Mention(place, window, offset + start, fuzzy))
                covered.append((offset + start, offset + end))
                taken[i : i + size] = [True] * size

    def geonames_suggestion(self, name: str) -> str | None:
        best = process.extractOne(normalise(name), list(self._geonames), scorer=fuzz.ratio, score_cutoff=GEONAMES_CUTOFF)
        if best is None:
            return None
        record = self._geonames[best[0]]
        governorate = GOVERNORATES.get(record["admin1code"], "?")
        return f"{record['name']} (GeoNames {record['geonameid']}, {governorate}, {record['latitude']}, {record['longitude']})"


def _area_follows(sentence: str, end: int) -> bool:
    return bool(AREA_WORDS.match(sentence[end:]))
