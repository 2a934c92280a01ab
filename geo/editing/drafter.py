"""Draft events from a news article: proposals for an editor, printed as YAML entries of `events:`.

Each proposal quotes the sentence it came from (as a comment, not kept in the data) and fills `previous` from
the current data, so that the validator catches a wrong guess. Nothing here writes to the data.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

import yaml

from geo.base.model import Dataset
from geo.editing.article import read_article, sentences
from geo.editing.article_dates import event_day
from geo.editing.place_finder import PlaceFinder, UnknownName
from geo.editing.wording import FACTION_WORDS, REBELS, STATE, Reading, Side, SideWords, read
from geo.reading.gazetteer import distance_km
from geo.timeline.control import Timeline

CAPITAL = "damascus"  # who holds it is "the government" of the day
DEFAULT_STATE, DEFAULT_REBELS = "gov", "hts"
# The factions "rebels" can mean, by the shipped data's ids: the one holding most places nearby that day.
OPPOSITION = ("hts", "south", "sna", "suwayda", "sfa")
NEIGHBOURS = 3


@dataclass(frozen=True)
class Source:
    outlet: str
    title: str
    published: date
    url: str | None = None


@dataclass
class Proposal:
    event: dict
    sentence: str
    notes: list[str] = field(default_factory=list)


@dataclass
class Draft:
    proposals: list[Proposal]
    unknown: list[tuple[UnknownName, str]]  # (name, the sentence)
    skipped: list[tuple[str, str]]  # (place id, why), for places named without a proposal


class Drafter:
    def __init__(self, dataset: Dataset, timeline: Timeline | None = None):
        self.dataset = dataset
        self.timeline = timeline or Timeline(dataset)
        self.places = PlaceFinder(dataset.places)
        labels = {k: v for k, v in FACTION_WORDS.items() if k in (STATE, REBELS) or k in dataset.factions}
        for fid, faction in dataset.factions.items():
            # full names, and short names that are acronyms ("SDF"): "South" or "Government" are common words
            names = [n for _, label, short in faction.names() for n in (label, short) if len(n) >= 3 and (n == label or n.isupper())]
            labels[fid] = (*labels.get(fid, ()), *names)
        self.sides = SideWords(labels)

    def draft(self, raw: str, source: Source) -> Draft:
        text, _ = read_article(raw)
        lines = sentences(text)
        draft = Draft([], [], [])
        seen: set[tuple] = set()
        carried: Side | None = None
        for i, sentence in enumerate(lines):
            mentions, unknown = self.places.find(sentence)
            draft.unknown += [(name, sentence) for name in unknown if not self.sides.find(name.text)]
            sides = self.sides.find(sentence)
            subject = None
            for mention in mentions:
                reading = read(sentence, mention.start, self.sides, source.outlet, lines[i + 1] if i + 1 < len(lines) else "", carried)
                subject = subject or (reading.actor if reading else None)
                if reading is None:
                    draft.skipped.append((mention.place, "no word of control reaches it"))
                    continue
                proposal = self._propose(mention.place, mention.text, mention.fuzzy, reading, sentence, source)
                if isinstance(proposal, str):
                    draft.skipped.append((mention.place, proposal))
                    continue
                key = (proposal.event["place"], proposal.event["controller"], tuple(proposal.event.get("contested_with", ())))
                if key not in seen:
                    seen.add(key)
                    draft.proposals.append(proposal)
            if subject or sides:  # "they" in the next sentence: this one's actor, else the side it names first
                carried = subject or sides[0]
        draft.proposals.sort(key=lambda p: p.event["date"])
        return draft

    # --- one proposal ------------------------------------------------------------------------------------
    def _propose(self, place: str, written: str, fuzzy: bool, reading: Reading, sentence: str, source: Source) -> Proposal | str:
        day, qualifier = event_day(sentence, source.published)
        notes = [f"'{written}' read as {place} (fuzzy match)"] if fuzzy else []
        if day <= self.timeline.first_day:
            notes.append(f"the sentence points to {day}, on or before the data's first day: dated the day after")
            day = self.timeline.first_day + timedelta(days=1)
        before = self.timeline.state_on(day - timedelta(days=1))[place]
        previous = before.controller
        actor = self._faction(reading.actor, place, day, notes) if reading.actor else None
        contested: tuple[str, ...] = ()
        if reading.kind == "gain":
            if actor is None:
                return f"'{reading.verb}' without a side named before it"
            controller = actor
        elif reading.kind == "loss":
            others = [f for f in (self._faction(s, place, day, notes) for s in reading.others) if f != actor]
            state = self._state(day)
            # nobody named taking over: the state's side when anyone else leaves, the nearest opposition when it does
            controller = others[0] if others else self._rebels(place, day) if actor == state else state
            if controller == actor:
                return f"'{reading.verb}': who took over is not named"
            if not others:
                notes.append(f"{actor} {reading.verb}, and no side is named taking over: {controller} is a guess")
        else:
            if actor is None or actor == previous:
                return f"'{reading.verb}': no attacker other than the holder"
            controller, contested = previous, (actor,)
        after = self.timeline.state_on(day)[place]
        if after.control.controller == controller and after.control.contested_with == contested:
            since = f"since {after.since} (line {after.event.line})" if after.event else "in the baseline"
            notes.append(f"the data already shows this at the end of {day}: {since}")
        if reading.on_the_scene:
            notes.append("the outlet's own reporter on the scene: a candidate for `confirmed` once a second outlet reports it")
        event: dict = {"date": day, "place": place, "controller": controller}
        if contested:
            event["contested_with"] = list(contested)
        event["previous"] = previous
        event["status"] = reading.status
        event["claimed_by"] = reading.claimed_by
        if reading.denied_by:
            event["denied_by"] = reading.denied_by
        event["basis"] = "reported"
        if qualifier:
            event["date_qualifier"] = qualifier
        event["summary"] = self._summary(place, controller, contested, day)
        event["sources"] = [
            {k: v for k, v in (("outlet", source.outlet), ("title", source.title), ("date", source.published), ("url", source.url)) if v}
        ]
        return Proposal(event, sentence, notes)

    def _summary(self, place: str, controller: str, contested: tuple[str, ...], day: date) -> str:
        factions = self.dataset.factions_on(day)
        name = self.dataset.places[place].name
        if contested:
            return f"{factions[contested[0]].short} fights {factions[controller].short} for {name}."
        return f"{factions[controller].short} takes {name}."

    # --- who the words mean on that day --------------------------------------------------------------------
    def _faction(self, side: Side, place: str, day: date, notes: list[str]) -> str:
        """The faction id the words mean on that day; a note says how a generic word or a merged faction was read."""
        if side.faction == STATE:
            faction, why = self._state(day), "the holder of Damascus the day before"
        elif side.faction == REBELS:
            faction, why = self._rebels(place, day), "the opposition faction holding the nearest places that day"
        else:
            faction, why = side.faction, ""
        merger = next((m for m in self.dataset.mergers if m.faction == faction and m.date <= day), None)
        if merger is not None:
            faction, why = merger.into, f"{faction} merged into {merger.into} on {merger.date}"
        note = f"'{side.text}' read as {faction} ({why})"
        if why and note not in notes:
            notes.append(note)
        return faction

    def _state(self, day: date) -> str:
        if CAPITAL in self.dataset.places:
            return self.timeline.state_on(day - timedelta(days=1))[CAPITAL].controller
        return DEFAULT_STATE

    def _rebels(self, place: str, day: date) -> str:
        """The opposition faction holding most of the 3 nearest other places at the end of the day."""
        state = self._state(day)
        candidates = [f for f in OPPOSITION if f in self.dataset.factions and f != state]
        here = self.dataset.places[place]
        held = sorted(
            (distance_km(here.lat, here.lon, self.dataset.places[pid].lat, self.dataset.places[pid].lon), s.controller)
            for pid, s in self.timeline.state_on(day).items()
            if pid != place and s.controller in candidates
        )
        votes = Counter(controller for _, controller in held[:NEIGHBOURS])  # ties: the nearest first
        if votes:
            return votes.most_common(1)[0][0]
        return DEFAULT_REBELS if DEFAULT_REBELS in candidates else (candidates[0] if candidates else state)


class _PlainDumper(yaml.SafeDumper):
    """Writes a repeated value (the event's and the source's date) twice, not as an anchor and alias."""

    def ignore_aliases(self, data) -> bool:
        return True


def render(draft: Draft, source: Source) -> str:
    """The draft as YAML entries for `events:` (indented to paste under it), with the editor's comments."""
    out = [
        f'# Proposed events from {source.outlet}, "{source.title}", published {source.published}.',
        "# A draft for an editor: check each against the article, then paste under `events:` (in date order)",
        "# and run `python -m geo validate`. The quoted sentences are for you, not the data.",
    ]
    for proposal in draft.proposals:
        out += ["", f"  # {_quote(proposal.sentence)}"]
        out += [f"  # note: {note}" for note in proposal.notes]
        text = yaml.dump([proposal.event], Dumper=_PlainDumper, sort_keys=False, allow_unicode=True, width=1000, default_flow_style=False)
        out += [f"  {line}" for line in text.splitlines()]
    if draft.unknown:
        out += ["", "# Names not in the gazetteer (add them to geo/data/places.yaml if they matter):"]
        seen = set()
        for name, _sentence in draft.unknown:
            if name.text in seen:
                continue
            seen.add(name.text)
            hint = f"GeoNames suggests {name.geonames}" if name.geonames else "no GeoNames match"
            out.append(f"#   {name.text}: {hint}")
    proposed = {p.event["place"] for p in draft.proposals}
    skipped = {place: why for place, why in reversed(draft.skipped) if place not in proposed}  # the first reason
    if skipped:
        out += ["", "# Places named without a proposal (check them if the article says they changed hands):"]
        out += [f"#   {place}: {why}" for place, why in sorted(skipped.items())]
    if not draft.proposals:
        out += ["", "# No change of control found."]
    return "\n".join(out) + "\n"


def _quote(sentence: str, limit: int = 300) -> str:
    text = " ".join(sentence.split())
    return f'"{text if len(text) <= limit else text[: limit - 1] + "…"}"'
