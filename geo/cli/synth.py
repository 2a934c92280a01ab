"""Synthetic datasets in the real file format, for load and rendering tests at scale.

`python -m geo synth --places N --events M --days D [--seed S] [--start YYYY-MM-DD] OUT.yaml`
writes two files:

- OUT.yaml, the events file (same format as events.yaml), and
- OUT.places.yaml, the gazetteer it goes with (same format as geo/data/places.yaml):
  the name is OUT with its .yaml/.yml suffix replaced by .places.yaml (see `places_path_for`).

Check them with `python -m geo validate OUT.yaml --places OUT.places.yaml`.

Nothing in them is real. Places sit at random points inside Syria's outline (uniform by
area; `coord_source: synthetic`), with names like "Town 123" / "بلدة 123"; their
governorate is that of the nearest GeoNames place (right for most points, approximate
near governorate lines). Border crossings lie within 2 km inside the land border (never
on the coast). Outlets, headlines and example.com links are invented too.

Control starts from rough zones around each faction's real strongholds, then moves in
"campaigns": an attacker picks a place next to one it holds (or one of its lost home
places) and advances from neighbour to neighbour, through contested, split, claimed and
disputed stages, with later confirmations of claims. Every event's `previous`, when
given, is right, so the loader's consistency check passes.

Output is a pure function of the arguments: the same seed gives byte-identical files.
The YAML is written as text directly (strings quoted with json.dumps, a valid YAML flow
scalar; ids are [a-z0-9_]), which is much faster than yaml.dump for 100,000 events.
Events are a block list at column 0 (`events:` then `- date: ...`, PyYAML's own layout)
with one-line summaries, so 100,000 events (about 21 MiB) stay under the loader's 24 MiB
file limit.

Wiring into geo/cli/main.py:

    from geo.cli import synth  # with the imports
    synth.add_parser(sub)          # in build_parser(), next to the other sub-commands
    if args.command == "synth":    # first thing in main(), before load_dataset
        return synth.run(args)
"""

from __future__ import annotations

import argparse
import bisect
import heapq
import itertools
import json
import math
import random
import sys
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import shapely

from geo.base.atomic import write_bytes
from geo.cli.arguments import day_argument
from geo.reading.gazetteer import GOVERNORATES, geonames_syria
from geo.territory.outline import syria_outline

DEFAULT_START = date(2020, 1, 1)

# id, label, short, colour, description: the factions of the real data, same colours.
FACTIONS = (
    (
        "gov",
        "Syrian government (Syrian Arab Army and allies)",
        "Government",
        "#D55E00",
        "Forces of the Assad government and allied militias.",
    ),
    ("hts", "Hayat Tahrir al-Sham and allied factions", "HTS", "#009E73", "The HTS-led opposition alliance based in Idlib."),
    ("sna", "Syrian National Army", "SNA", "#E69F00", "Turkish-backed opposition factions in the north."),
    ("sdf", "Syrian Democratic Forces", "SDF", "#F0E442", "US-backed, Kurdish-led alliance holding most of the north-east."),
    ("south", "Southern Operations Room", "South", "#CC79A7", "Local armed factions of Daraa and Suwayda."),
    ("sfa", "Syrian Free Army", "SFA", "#56B4E9", "US-backed faction around the al-Tanf garrison."),
    ("isis", "Islamic State", "IS", "#000000", "Islamic State cells in the central desert."),
    ("israel", "Israel Defense Forces", "Israel", "#0072B2", "Israeli forces in and beyond the Golan buffer zone."),
)
FACTION_IDS = tuple(f[0] for f in FACTIONS)
# How a faction is named in a summary (subject, object), as a claimant and as a denier.
SUBJECT = ("The army", "HTS", "The SNA", "The SDF", "Southern factions", "The SFA", "IS fighters", "Israeli forces")
OBJECT = ("the army", "HTS", "the SNA", "the SDF", "southern factions", "the SFA", "IS fighters", "Israeli forces")
PLURAL = (False, False, False, False, True, False, True, True)
CLAIMANT = ("the army", "HTS", "the SNA", "the SDF", "southern factions", "the SFA", "IS channels", "the Israeli army")
THIRD_PARTY_CLAIMANTS = ("local sources", "a war monitor", "activists", "residents")
# How readily each faction starts a campaign.
AGGRESSION = (1.0, 1.0, 0.8, 0.9, 0.6, 0.3, 0.5, 0.15)
# Stronghold seeds (lon, lat, pull) for the starting zones: a place starts with the faction
# of the seed minimising distance / pull.
SEEDS = (
    (0, 36.29, 33.51, 1.0),
    (0, 36.72, 34.73, 1.0),
    (0, 35.78, 35.52, 1.0),
    (0, 36.75, 35.13, 1.0),
    (0, 37.16, 36.20, 0.9),
    (0, 40.14, 35.33, 1.0),
    (0, 38.28, 34.55, 0.9),
    (0, 37.10, 34.00, 0.8),
    (1, 36.63, 35.93, 0.9),
    (2, 37.05, 36.59, 0.6),
    (2, 36.87, 36.51, 0.5),
    (2, 40.07, 36.85, 0.45),
    (3, 40.75, 36.50, 1.2),
    (3, 39.00, 35.95, 1.0),
    (3, 41.23, 37.05, 1.0),
    (3, 38.35, 36.89, 0.7),
    (4, 36.10, 32.62, 0.7),
    (4, 36.57, 32.70, 0.7),
    (5, 38.63, 33.50, 0.35),
    (6, 39.20, 34.80, 0.3),
    (7, 35.82, 33.12, 0.2),
)
# kind, share, id prefix, English name, Arabic name, weight
KINDS = (
    ("town", 0.78, "town", "Town", "بلدة", None),
    ("city", 0.06, "city", "City", "مدينة", 3),
    ("military_base", 0.07, "base", "Base", "قاعدة", None),
    ("border_crossing", 0.04, "crossing", "Border crossing", "معبر", None),
    ("airport", 0.03, "airport", "Airport", "مطار", 2),
    ("dam", 0.02, "dam", "Dam", "سد", None),
)
OUTLETS = (
    "Levant Wire",
    "Euphrates Post",
    "Orontes Daily",
    "Hauran Monitor",
    "Northern Desk",
    "Badia Observer",
    "Aleppo Dispatch",
    "Coastal Courier",
)
NOTES = (
    "Sources disagree on who holds the town centre.",
    "Reports of the fighting are fragmentary.",
    "The date is from the first report; fighting may have begun earlier.",
)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
CROSSING_MAX_INSIDE_KM = 1.8  # border crossings lie at most this far inside the border (< 2 km)
NEIGHBOURS = 8  # each place's neighbours: its nearest places
KM_PER_DEG_LAT = 110.574
KM_PER_DEG_LON_35 = 111.320 * math.cos(math.radians(35.0))


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def places_path_for(out_path: str | Path) -> Path:
    """OUT.yaml -> OUT.places.yaml (OUT.yml -> OUT.places.yaml; OUT -> OUT.places.yaml)."""
    out_path = Path(out_path)
    stem = out_path.name
    for suffix in (".yaml", ".yml"):
        if stem.endswith(suffix) and len(stem) > len(suffix):
            stem = stem[: -len(suffix)]
            break
    return out_path.with_name(stem + ".places.yaml")


# --- places -----------------------------------------------------------------------


def _kind_counts(n: int) -> list[int]:
    """Places per kind: the shares, rounded by largest remainder; every kind at least once when n >= 12."""
    raw = [n * k[1] for k in KINDS]
    counts = [int(r) for r in raw]
    order = sorted(range(len(KINDS)), key=lambda i: (-(raw[i] - counts[i]), i))
    for i in order[: n - sum(counts)]:
        counts[i] += 1
    if n >= 12:
        for i in range(len(KINDS)):
            while counts[i] == 0:
                counts[i] += 1
                counts[counts.index(max(counts))] -= 1
    return counts


def _inside_points(rng: random.Random, n: int) -> list[tuple[float, float]]:
    """n points uniform by area inside Syria (rejection sampling), rounded to 5 decimals."""
    outline = syria_outline()
    lon0, lat0, lon1, lat1 = outline.bounds
    cos_max = math.cos(math.radians(lat0))
    points: list[tuple[float, float]] = []
    while len(points) < n:
        batch = max(64, 2 * (n - len(points)))
        cand = []
        for _ in range(batch):
            lon = round(lon0 + (lon1 - lon0) * rng.random(), 5)
            lat = round(lat0 + (lat1 - lat0) * rng.random(), 5)
            if rng.random() * cos_max <= math.cos(math.radians(lat)):  # degrees shrink northwards
                cand.append((lon, lat))
        if not cand:
            continue
        xs, ys = zip(*cand, strict=True)
        inside = shapely.contains_xy(outline, np.array(xs), np.array(ys))
        points.extend(p for p, ok in zip(cand, inside, strict=True) if ok)
    return points[:n]


def _is_coast(lon: float, lat: float) -> bool:
    """The Mediterranean stretch of the outline (no land border there)."""
    return lon < 36.0 and 34.6 < lat < 35.86


def _border_points(rng: random.Random, n: int) -> list[tuple[float, float]]:
    """n points on the land border moved up to CROSSING_MAX_INSIDE_KM inside, rounded to 5 decimals."""
    outline = syria_outline()
    ring = outline.exterior if outline.geom_type == "Polygon" else max(outline.geoms, key=lambda g: g.area).exterior
    points: list[tuple[float, float]] = []
    while len(points) < n:
        edge = ring.interpolate(rng.random(), normalized=True)
        if _is_coast(edge.x, edge.y):
            continue
        for _ in range(20):
            dist = rng.uniform(0.2, CROSSING_MAX_INSIDE_KM - 0.05)
            angle = rng.uniform(0.0, 2 * math.pi)
            lon = round(edge.x + dist * math.cos(angle) / (111.320 * math.cos(math.radians(edge.y))), 5)
            lat = round(edge.y + dist * math.sin(angle) / KM_PER_DEG_LAT, 5)
            if shapely.contains_xy(outline, lon, lat):
                points.append((lon, lat))
                break
    return points


def _governorates(lons: np.ndarray, lats: np.ndarray) -> list[str]:
    """The governorate of the nearest GeoNames place of each point."""
    records = sorted(
        (gid, float(r["longitude"]), float(r["latitude"]), GOVERNORATES[r["admin1code"]])
        for gid, r in geonames_syria().items()
        if r["admin1code"] in GOVERNORATES
    )
    g_lon = np.array([r[1] for r in records])
    g_lat = np.array([r[2] for r in records])
    out: list[str] = []
    for start in range(0, len(lons), 1000):
        dx = (lons[start : start + 1000, None] - g_lon[None, :]) * KM_PER_DEG_LON_35
        dy = (lats[start : start + 1000, None] - g_lat[None, :]) * KM_PER_DEG_LAT
        out.extend(records[i][3] for i in np.argmin(dx * dx + dy * dy, axis=1))
    return out


def _neighbours(lons: np.ndarray, lats: np.ndarray, k: int) -> list[list[int]]:
    """Each place's k nearest places, nearest first (ties by index)."""
    n = len(lons)
    k = min(k, n - 1)
    if k <= 0:
        return [[] for _ in range(n)]
    x, y = lons * KM_PER_DEG_LON_35, lats * KM_PER_DEG_LAT
    out: list[list[int]] = []
    for start in range(0, n, 500):
        stop = min(n, start + 500)
        d = (x[start:stop, None] - x[None, :]) ** 2 + (y[start:stop, None] - y[None, :]) ** 2
        d[np.arange(stop - start), np.arange(start, stop)] = np.inf
        near = np.argpartition(d, k - 1, axis=1)[:, :k]
        for row, cand in enumerate(near):
            out.append([j for _, j in sorted((d[row, j], j) for j in cand.tolist())])
    return out


class _Places:
    def __init__(self, rng: random.Random, n: int):
        counts = _kind_counts(n)
        kinds = [i for i, c in enumerate(counts) for _ in range(c)]
        rng.shuffle(kinds)
        crossing = next(i for i, k in enumerate(KINDS) if k[0] == "border_crossing")
        border = iter(_border_points(rng, counts[crossing]))
        inside = iter(_inside_points(rng, n - counts[crossing]))
        coords = [next(border) if k == crossing else next(inside) for k in kinds]
        self.kind = kinds
        self.lon = np.array([c[0] for c in coords], dtype=float)
        self.lat = np.array([c[1] for c in coords], dtype=float)
        width = max(4, len(str(n)))
        self.id = [f"{KINDS[k][2]}_{i + 1:0{width}d}" for i, k in enumerate(kinds)]
        self.name = [f"{KINDS[k][3]} {i + 1}" for i, k in enumerate(kinds)]
        self.governorate = _governorates(self.lon, self.lat) if n else []
        self.neighbours = _neighbours(self.lon, self.lat, NEIGHBOURS)

    def yaml(self, header: str) -> str:
        out = [header, "places:"]
        for i, pid in enumerate(self.id):
            kind, _, _, _, arabic, weight = KINDS[self.kind[i]]
            out.append(f"  {pid}:")
            out.append(f"    name: {q(self.name[i])}")
            out.append(f"    name_ar: {q(f'{arabic} {i + 1}')}")
            if kind == "city":
                out.append(f"    aliases: [{q(f'Madinat {i + 1}')}]")
            out.append(f"    kind: {kind}")
            out.append(f"    governorate: {q(self.governorate[i])}")
            out.append(f"    lat: {self.lat[i]:.5f}")
            out.append(f"    lon: {self.lon[i]:.5f}")
            out.append("    coord_source: synthetic")
            if weight is not None:
                out.append(f"    weight: {weight}")
        return "\n".join(out) + "\n"


# --- control simulation -------------------------------------------------------------


class _IndexedSet:
    """A set of ints with O(1) add, remove and uniform random choice (deterministic order)."""

    __slots__ = ("items", "pos")

    def __init__(self):
        self.items: list[int] = []
        self.pos: dict[int, int] = {}

    def add(self, x: int) -> None:
        if x not in self.pos:
            self.pos[x] = len(self.items)
            self.items.append(x)

    def discard(self, x: int) -> None:
        i = self.pos.pop(x, None)
        if i is None:
            return
        last = self.items.pop()
        if i < len(self.items):
            self.items[i] = last
            self.pos[last] = i

    def __len__(self) -> int:
        return len(self.items)

    def choice(self, rng: random.Random) -> int:
        return self.items[rng.randrange(len(self.items))]


def _event_days(rng: random.Random, n_events: int, n_days: int) -> list[int]:
    """Sorted day offsets of the events: a quiet base rate plus bursts of fighting; first day 0, last n_days - 1."""
    weights = [0.25] * n_days
    for _ in range(max(1, n_days // 20)):
        centre, width, amp = rng.randrange(n_days), rng.uniform(1.5, 12.0), rng.uniform(0.5, 3.0)
        for d in range(max(0, int(centre - 3 * width)), min(n_days, int(centre + 3 * width) + 1)):
            weights[d] += amp * math.exp(-(((d - centre) / width) ** 2) / 2)
    cumulative = list(itertools.accumulate(weights))
    total = cumulative[-1]
    days = sorted(min(n_days - 1, bisect.bisect_right(cumulative, rng.random() * total)) for _ in range(n_events))
    if n_events >= 2:
        days[0], days[-1] = 0, n_days - 1
    return days


class _Simulation:
    def __init__(self, rng: random.Random, places: _Places, start: date):
        self.rng = rng
        self.places = places
        self.start = start
        n = len(places.id)
        # starting zones: nearest stronghold seed, distance divided by its pull
        x, y = places.lon * KM_PER_DEG_LON_35, places.lat * KM_PER_DEG_LAT
        scores = np.stack([np.hypot(x - sx * KM_PER_DEG_LON_35, y - sy * KM_PER_DEG_LAT) / pull for _, sx, sy, pull in SEEDS])
        seed_faction = np.array([s[0] for s in SEEDS])
        self.home: list[int] = seed_faction[np.argmin(scores, axis=0)].tolist() if n else []
        self.ctrl = list(self.home)
        self.contested: list[tuple[int, ...]] = [()] * n
        self.secondary = [-1] * n
        self.held = [_IndexedSet() for _ in FACTIONS]
        self.lost = [_IndexedSet() for _ in FACTIONS]  # home places held by someone else
        for p, f in enumerate(self.ctrl):
            self.held[f].add(p)
        # a few places start split or contested with a neighbouring faction
        for p in range(n):
            r = rng.random()
            if r < 0.03 and (other := self._rival(p)) >= 0:
                if r < 0.02:
                    self.secondary[p] = other
                else:
                    self.contested[p] = (other,)
        self.campaigns: list[list] = []  # [attacker, frontier list, steps left]
        self.pending: list[tuple[int, int, tuple]] = []  # (due event number, place, control) for confirmations

    def _rival(self, p: int) -> int:
        """The holder of the nearest neighbour held by another faction than p's holder, or -1."""
        own = self.ctrl[p]
        return next((self.ctrl[j] for j in self.places.neighbours[p] if self.ctrl[j] != own), -1)

    def control(self, p: int) -> tuple:
        """The current (controller, contested_with, secondary) of p; secondary -1 for none."""
        return (self.ctrl[p], self.contested[p], self.secondary[p])

    def set_control(self, p: int, control: tuple) -> None:
        new, contested, secondary = control
        old = self.ctrl[p]
        if new != old:
            self.held[old].discard(p)
            self.held[new].add(p)
            home = self.home[p]
            if old == home:
                self.lost[home].add(p)
            elif new == home:
                self.lost[home].discard(p)
        self.ctrl[p], self.contested[p], self.secondary[p] = new, contested, secondary

    # --- campaigns
    def new_campaign(self) -> list:
        rng = self.rng
        weights = [AGGRESSION[f] * (math.sqrt(len(self.held[f])) + 2.0 * math.sqrt(len(self.lost[f]))) for f in range(len(FACTIONS))]
        attacker = rng.choices(range(len(FACTIONS)), weights=weights)[0]
        target = None
        if len(self.lost[attacker]) and (not len(self.held[attacker]) or rng.random() < 0.4):
            for _ in range(10):  # a lost home place, preferably next to the attacker's ground
                cand = self.lost[attacker].choice(rng)
                if target is None:
                    target = cand
                if any(self.ctrl[j] == attacker for j in self.places.neighbours[cand]):
                    target = cand
                    break
        if target is None and len(self.held[attacker]):
            for _ in range(20):
                p = self.held[attacker].choice(rng)
                options = [j for j in self.places.neighbours[p] if self.ctrl[j] != attacker]
                if options:
                    target = rng.choice(options)
                    break
        if target is None:  # nothing next to its ground: anywhere, by someone other than its holder
            target = rng.randrange(len(self.ctrl))
            if self.ctrl[target] == attacker and not self.contested[target] and self.secondary[target] < 0:
                attacker = rng.choice([f for f in range(len(FACTIONS)) if f != attacker])
        steps = 1 + int(-math.log(1.0 - rng.random()) * 8)
        return [attacker, [target], steps]

    def step(self, campaign: list) -> tuple | None:
        """The next (place, control, kind) of a campaign, or None when it has nothing left to do."""
        rng = self.rng
        attacker, frontier, _ = campaign
        while frontier:
            p = frontier.pop(rng.randrange(max(0, len(frontier) - 3), len(frontier)))  # mostly the newest
            holder, contested, secondary = self.ctrl[p], self.contested[p], self.secondary[p]
            if holder == attacker:
                if contested:
                    return p, (attacker, (), secondary), "repel"
                if secondary >= 0:
                    return p, (attacker, (), -1), "clear"
                continue
            r = rng.random()
            if attacker in contested:
                if r < 0.7:
                    frontier.extend(j for j in self.places.neighbours[p] if self.ctrl[j] != attacker)
                    if r < 0.1:
                        return p, (attacker, (), holder), "split"
                    return p, (attacker, (), -1), "capture"
                return p, (holder, tuple(f for f in contested if f != attacker), secondary), "repel"
            if secondary == attacker or r >= 0.45:
                frontier.extend(j for j in self.places.neighbours[p] if self.ctrl[j] != attacker)
                return p, (attacker, (), -1), "capture"
            if r < 0.33:
                frontier.append(p)  # come back to finish it
                others: tuple[int, ...] = (attacker,)
                if r < 0.03:
                    third = [self.ctrl[j] for j in self.places.neighbours[p] if self.ctrl[j] not in (attacker, holder)]
                    if third:
                        others = (attacker, third[0])
                return p, (holder, others, -1), "contest"
            if r < 0.39:
                frontier.extend(j for j in self.places.neighbours[p] if self.ctrl[j] != attacker)
                return p, (attacker, (), holder), "split"
            frontier.append(p)
            return p, (holder, (), attacker), "foothold"
        return None


def _summary(kind: str, place: str, before: tuple, after: tuple) -> str:
    """One short line saying what happened (short: 100,000 of them must fit the loader's size limit)."""
    new, contested, secondary = after

    def verb(f: int, singular: str, plural: str) -> str:  # agrees with the faction's subject
        return plural if PLURAL[f] else singular

    if kind == "capture":
        return f"{SUBJECT[new]} {verb(new, 'takes', 'take')} {place}."
    if kind == "split":
        return f"{SUBJECT[new]} {verb(new, 'takes', 'take')} most of {place}."
    if kind == "foothold":
        return f"{SUBJECT[secondary]} {verb(secondary, 'enters', 'enter')} part of {place}."
    if kind == "contest":
        if len(contested) > 1:
            return f"Three-way fighting in {place}."
        return f"{SUBJECT[contested[0]]} {verb(contested[0], 'attacks', 'attack')} {place}."
    if kind == "repel":
        gone = [f for f in before[1] if f not in contested]
        who = OBJECT[gone[0]] if gone else "attackers"
        return f"{SUBJECT[new]} {verb(new, 'repels', 'repel')} {who} at {place}."
    if kind == "clear":
        return f"{SUBJECT[new]} {verb(new, 'takes', 'take')} all of {place}."
    return f"Reports confirm {OBJECT[new]} {verb(new, 'holds', 'hold')} {place}."


def _control_lines(control: tuple, indent: str) -> list[str]:
    new, contested, secondary = control
    lines = [f"{indent}controller: {FACTION_IDS[new]}"]
    if contested:
        lines.append(f"{indent}contested_with: [{', '.join(FACTION_IDS[f] for f in contested)}]")
    if secondary >= 0:
        lines.append(f"{indent}secondary: {FACTION_IDS[secondary]}")
    return lines


def generate(n_places: int, n_events: int, n_days: int, seed: int = 0, start: date = DEFAULT_START) -> tuple[str, str]:
    """(events YAML text, places YAML text) of a synthetic dataset; the same arguments give the same text."""
    if n_places < 1 or n_events < 0 or n_days < 1:
        raise ValueError("need at least 1 place and 1 day, and no negative event count")
    rng = random.Random(seed)
    places = _Places(rng, n_places)
    sim = _Simulation(rng, places, start)
    ids, names = places.id, places.name
    params = f"--places {n_places} --events {n_events} --days {n_days} --seed {seed} --start {start.isoformat()}"
    end = start + timedelta(days=n_days - 1)

    # baseline
    baseline = []
    for p, pid in enumerate(ids):
        control = sim.control(p)
        if control[1] or control[2] >= 0:
            baseline.append(f"    {pid}:")
            baseline.extend(_control_lines(control, "      "))
            if control[2] >= 0:
                holds = "hold" if PLURAL[control[2]] else "holds"
                baseline.append(f"      note: {q(f'{SUBJECT[control[2]]} {holds} part of {names[p]}.')}")
        else:
            baseline.append(f"    {pid}: {FACTION_IDS[control[0]]}")

    # events
    days = _event_days(rng, n_events, n_days)
    sources: list[str] = []  # catalogue lines
    n_sources = 0
    day_sources: list[str] = []
    source_outlet: dict[str, str] = {}
    seen_today: set = set()
    out: list[str] = []
    current_day = -1
    active = 3 if n_places >= 50 else 1
    for number, offset in enumerate(days):
        day = start + timedelta(days=offset)
        if offset != current_day:
            current_day, day_sources, seen_today = offset, [], set()
        event = None
        for _attempt in range(500):
            if sim.pending and sim.pending[0][0] <= number and rng.random() < 0.5:
                _, p, control = heapq.heappop(sim.pending)
                if sim.control(p) != control:
                    continue
                kind = "confirm"
            else:
                while len(sim.campaigns) < active:
                    sim.campaigns.append(sim.new_campaign())
                index = rng.randrange(len(sim.campaigns))
                campaign = sim.campaigns[index]
                campaign[2] -= 1
                stepped = sim.step(campaign)
                if stepped is None or campaign[2] <= 0:
                    sim.campaigns.pop(index)
                if stepped is None:
                    continue
                p, control, kind = stepped
            before = sim.control(p)
            r = rng.random()
            if kind == "confirm":
                status = "confirmed"
            elif kind in ("capture", "split"):
                status = "confirmed" if r < 0.55 else "claimed" if r < 0.83 else "disputed"
            else:
                status = "confirmed" if r < 0.75 else "claimed"
            key = (p, control, status)
            if key in seen_today:
                continue
            event = (p, control, kind, status, before)
            break
        if event is None:
            raise ValueError(f"cannot make {n_events} distinct events for {n_places} places over {n_days} days: give more places or days")
        p, control, kind, status, before = event
        seen_today.add((p, control, status))
        sim.set_control(p, control)
        if status != "confirmed" and rng.random() < 0.5:
            heapq.heappush(sim.pending, (number + rng.randint(1, 60), p, control))

        summary = _summary(kind, names[p], before, control)
        out.append(f"- date: {day.isoformat()}")
        out.append(f"  place: {ids[p]}")
        out.extend(_control_lines(control, "  "))
        if rng.random() < 0.9:
            out.append(f"  previous: {FACTION_IDS[before[0]]}")
        out.append(f"  status: {status}")
        if status != "confirmed":
            actor = control[2] if kind == "foothold" else control[1][0] if kind == "contest" else control[0]
            claimant = CLAIMANT[actor] if rng.random() < 0.8 else rng.choice(THIRD_PARTY_CLAIMANTS)
            out.append(f"  claimed_by: {q(claimant)}")
            if status == "disputed":
                out.append(f"  denied_by: {q(CLAIMANT[before[0]] if before[0] != control[0] else 'local sources')}")
        r = rng.random()
        if r < 0.02:
            qualifier = (
                f"night of {(day - timedelta(days=1)).day}/{day.day} {MONTHS[day.month - 1]}"
                if r < 0.01
                else f"by {day.day} {MONTHS[day.month - 1]}"
            )
            out.append(f"  date_qualifier: {q(qualifier)}")
        out.append(f"  summary: {q(summary)}")
        if rng.random() < 0.01:
            out.append(f"  note: {q(rng.choice(NOTES))}")
        if status != "confirmed" and rng.random() < 0.005:  # an inline source, as editors sometimes write them
            out.append("  sources:")
            out.append(f"    - outlet: {q('Local activist page')}")
            out.append(f"      title: {q(summary[:-1])}")
            out.append(f"      date: {day.isoformat()}")
            continue
        cited: list[str] = []
        wanted = 2 if status == "confirmed" else 1 if rng.random() < 0.9 else 2  # confirmed: two outlets
        while len(cited) < wanted:
            cited_outlets = {source_outlet[c] for c in cited}
            other = None
            if status == "confirmed" and cited and day_sources:  # a second outlet: one of the day's reports when one fits
                other = day_sources[rng.randrange(len(day_sources))]
                other = other if source_outlet[other] not in cited_outlets else None
            if other is not None:
                sid = other
            elif not day_sources or rng.random() < 0.1 or (status == "confirmed" and cited):
                n_sources += 1
                sid = f"s{n_sources:06d}"
                outlet = OUTLETS[rng.randrange(len(OUTLETS))]
                while status == "confirmed" and outlet in cited_outlets:
                    outlet = OUTLETS[rng.randrange(len(OUTLETS))]
                source_outlet[sid] = outlet
                published = day + timedelta(days=1 if rng.random() < 0.3 else 0)
                sources.append(f"  {sid}:")
                sources.append(f"    outlet: {q(outlet)}")
                sources.append(f"    title: {q(summary[:40].rstrip(' .'))}")
                sources.append(f"    date: {published.isoformat()}")
                if rng.random() < 0.4:
                    sources.append(f"    url: https://example.com/{outlet.lower().replace(' ', '-')}/{sid}")
                day_sources.append(sid)
            else:
                sid = day_sources[rng.randrange(len(day_sources))]
            if sid not in cited:
                cited.append(sid)
            elif status != "confirmed":
                break
        out.append(f"  sources: [{', '.join(cited)}]")

    head = [
        f"# Synthetic data, not real events: made by `python -m geo synth {params}`.",
        "# Goes with the gazetteer written next to it (OUT.places.yaml).",
        f"title: {q(f'Synthetic Syria control data: {n_places} places, {n_events} events, {start}..{end} (seed {seed})')}",
        "factions:",
    ]
    for fid, label, short, colour, description in FACTIONS:
        head += [
            f"  {fid}:",
            f"    label: {q(label)}",
            f"    short: {q(short)}",
            f"    colour: {q(colour)}",
            f"    description: {q(description)}",
        ]
    head += [
        "sources:",
        "  synthetic_baseline:",
        f"    outlet: {q('Synthetic data generator')}",
        f"    title: {q(f'Starting zones of control (seed {seed})')}",
        f"    date: {start.isoformat()}",
    ]
    head += sources
    head += ["baseline:", f"  date: {start.isoformat()}", "  sources: [synthetic_baseline]", "  control:"]
    head += baseline
    head.append("events:" if out else "events: []")
    events_text = "\n".join(head + out) + "\n"
    places_text = places.yaml(f"# Synthetic gazetteer, not real places: made by `python -m geo synth {params}`.")
    return events_text, places_text


def write(out_path: str | Path, n_places: int, n_events: int, n_days: int, seed: int = 0, start: date = DEFAULT_START) -> tuple[Path, Path]:
    """Generate and write OUT (events) and OUT.places.yaml (gazetteer); return both paths."""
    out_path = Path(out_path)
    places_path = places_path_for(out_path)
    events_text, places_text = generate(n_places, n_events, n_days, seed=seed, start=start)
    write_bytes(out_path, events_text.encode("utf-8"))
    write_bytes(places_path, places_text.encode("utf-8"))
    return out_path, places_path


# --- command line -----------------------------------------------------------------


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} is negative")
    return value


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Add the `synth` command to the subparsers of geo.cli.main's parser."""
    p = subparsers.add_parser(
        "synth",
        help="write a synthetic dataset (events + gazetteer) for load tests",
        description="Write a synthetic, valid dataset in the real format: OUT (the events file) and, next to it, "
        "OUT.places.yaml (its gazetteer; OUT.yaml -> OUT.places.yaml). Same seed, same bytes. Check it with "
        "`python -m geo validate OUT --places OUT.places.yaml`.",
    )
    p.add_argument("--places", dest="n_places", type=_count, default=200, metavar="N", help="number of places (default 200)")
    p.add_argument("--events", dest="n_events", type=_count, default=1000, metavar="M", help="number of events (default 1000)")
    p.add_argument("--days", dest="n_days", type=_count, default=365, metavar="D", help="days the events span (default 365)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument(
        "--start",
        type=day_argument,
        default=DEFAULT_START,
        metavar="YYYY-MM-DD",
        help=f"first day: the baseline date (default {DEFAULT_START})",
    )
    p.add_argument("out", metavar="OUT.yaml", help="the events file to write; the gazetteer goes next to it")
    return p


def run(args: argparse.Namespace) -> int:
    """Run `synth` with parsed arguments; 0 on success, 2 on bad arguments or an unwritable file."""
    try:
        events_path, places_path = write(args.out, args.n_places, args.n_events, args.n_days, seed=args.seed, start=args.start)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: cannot write: {exc}", file=sys.stderr)
        return 2
    size = events_path.stat().st_size / 2**20
    print(f"wrote {events_path} ({args.n_events} events, {size:.1f} MiB) and {places_path} ({args.n_places} places)")
    print(f"check: python -m geo validate {events_path} --places {places_path}")
    return 0
