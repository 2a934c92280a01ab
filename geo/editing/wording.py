"""What a news sentence says about a place: who took it, left it or is fighting for it, and how sure the report is.

Plain rules over the words of one sentence ("the army took control of …", "SDF withdrew from …", "rebels said they
seized …"): the drafter's proposals are for an editor to check, never data by themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The side a word names depends on the day: "the army" is Assad's until 8 Dec 2024 and the new state's after,
# and "rebels" is whichever opposition faction holds the area. The drafter resolves these two against the data.
STATE = "<state>"
REBELS = "<rebels>"
# Words for the sides, as reports write them, by faction id of the shipped data (ids absent from a dataset are
# ignored); the dataset's own labels and short names are added to these.
FACTION_WORDS = {
    STATE: (
        "government forces",
        "government troops",
        "government's forces",
        "pro-government forces",
        "regime forces",
        "the regime",
        "regime",
        "syrian army",
        "the army",
        "army",
        "syrian troops",
        "syrian military",
        "the military",
        "military",
        "defense ministry",
        "defence ministry",
        "ministry of defence",
        "ministry of defense",
        "state media",
        "state tv",
        "state television",
        "sana",
        "security forces",
        "assad's forces",
        "assad forces",
        "general security",
        "interior ministry",
    ),
    REBELS: (
        "syrian rebels",
        "syrian rebel forces",
        "rebels",
        "rebel forces",
        "rebel fighters",
        "rebel sources",
        "rebel commanders",
        "insurgents",
        "opposition fighters",
        "opposition forces",
        "opposition gunmen",
        "opposition factions",
        "the opposition",
        "islamist rebels",
        "islamist fighters",
        "islamists",
        "jihadists",
        "gunmen",
        "militants",
        "anti-regime rebels",
        "anti-government rebels",
    ),
    "hts": ("hts", "hayat tahrir al-sham", "hayat tahrir al sham", "hajat tahrir al-sham", "military operations command"),
    "sdf": (
        "sdf",
        "syrian democratic forces",
        "kurdish-led force",
        "kurdish-led forces",
        "kurdish-led alliance",
        "kurdish-led",
        "kurdish fighters",
        "kurdish forces",
        "kurdish militias",
        "ypg",
        "u.s.-backed alliance",
        "us-backed alliance",
    ),
    "sna": ("sna", "syrian national army", "turkish-backed factions", "turkish-backed", "turkey-backed", "ankara-backed"),
    "south": (
        "local factions",
        "local fighters",
        "local armed groups",
        "local groups",
        "former rebels",
        "southern operations room",
        "southern factions",
        "eighth brigade",
        "8th brigade",
    ),
    "suwayda": ("druze factions", "druze fighters", "druze armed groups", "druze militias", "men of dignity", "druze"),
    "israel": ("israeli forces", "israeli troops", "israeli army", "israeli military", "idf", "israel defense forces"),
    "isis": ("islamic state", "isis", "isil", "daesh"),
    "russia": ("russian forces", "russian troops", "russian military police"),
    "coalition": ("us-led coalition", "u.s.-led coalition", "coalition forces", "american troops", "u.s. troops", "us troops"),
    "turkey": ("turkish forces", "turkish troops", "turkish army", "turkish military"),
    "loyalists": ("assad loyalists", "loyalist insurgents", "regime remnants", "former regime remnants"),
    "sfa": ("syrian free army",),
}
GAIN = (
    r"took (?:full |complete )?control of|taken (?:full |complete )?control of|take (?:full )?control of|"
    r"taking (?:full )?control of|took over|taken over|take over|seiz\w*|captur\w*|overr[au]n|conquer\w*|"
    r"entered|enter|entering|liberat\w*|swept (?:through|into)|sweep (?:through|into)|advanced into|moved into|"
    r"took|taken|control"
)
PASSIVE = r"fell to|falls to|fallen to|captured by|seized by|taken by|under the control of"
LOSS = (
    r"withdr[ae]w\w*|withdrawn|pulled out(?: of)?|pull out(?: of)?|retreat\w*|lost(?: control of)?|loses|"
    r"gave up|give up|abandon\w*|evacuat\w*|surrender\w*|handed over"
)
CONTEST = (
    r"fighting (?:in|for|around)|clashes (?:in|around)|push(?:ed)? into|push into|reached|reach(?:es)? the|outskirts of|"
    r"besieg\w*|battle for|edge of|advanc\w* (?:on|towards|toward)|on its walls|encircl\w*|in front of|"
    r"at the gates of|(?:km|kilometers|kilometres|miles) (?:from|of|outside)"
)
VERBS = re.compile(rf"\b(?:(?P<passive>{PASSIVE})|(?P<loss>{LOSS})|(?P<contest>{CONTEST})|(?P<gain>{GAIN}))\b", re.I)
CLAIM = re.compile(
    r"\b(?:said|says|say|saying|claimed|claims|claim|claiming|according to|told|announced|reportedly|"
    r"could not (?:be )?(?:independently )?(?:verify|verified|confirm|confirmed))\b",
    re.I,
)
DENIAL = re.compile(r"\b(?:denied|denies|deny|denying|dismissed|rejected|refuted)\b", re.I)
DENIAL_OF_WHAT_CAME_BEFORE = re.compile(r"\b(?:this|that|it|the claims?|the reports?|these reports)\b", re.I)
SCENE = re.compile(r"\b(?:correspondent|reporter|journalist|photographer)s?\b[^.]*\b(?:saw|witnessed|in|at)\b|\bwitnessed\b", re.I)
ACCORDING_TO = re.compile(r"\baccording to ((?:the )?[^,.;:\"“]{3,60}?)(?=[,.;:]|\s+(?:on|late|early|said)\b|$)", re.I)
SOURCES = re.compile(
    r"\b((?:(?:two|three|four|five|several|many|some|local|rebel|army|military|syrian|security|kurdish|opposition|"
    r"government|iraqi|turkish|israeli|jordanian|lebanese|iranian|western|medical|tribal)\s+){0,3}"
    r"(?:sources?|activists|residents|witnesses|monitors?|officials?))\b",
    re.I,
)
MONITOR = re.compile(r"\b(?:the )?(?:syrian observatory(?: for human rights)?|observatory)\b", re.I)
SUBJECT_BEFORE_DENIAL = re.compile(r"((?:the\s+)?(?:[A-Z][\w'’-]*\s+){1,5})(?:has\s+|have\s+|had\s+)?(?:denied|dismissed|rejected|refuted)")
# Words that make a verb a wish, a plan or a condition, not a report ("if the rebels capture Homs").
UNREAL = re.compile(r"\b(?:if|would|could|might|may|will|vow\w*|threat\w*|plan\w*|aim\w*|expected|hope\w*|seek\w*|try\w*|want\w*)\b", re.I)
# A clause ends between a verb and a later place name it cannot reach.
CLAUSE_BREAK = re.compile(r"\b(?:after|before|which|that|where|who|while|when|because|but|although|whereas|then|under)\b|[;:–—(]", re.I)
# A place named only to locate another ("a base near Herak") is not what was taken.
LOCATOR = re.compile(
    r"\b(?:near|outside|towards?|around|close to|(?:north|south|east|west)(?:east|west)? of|(?:km|kilometres|kilometers|miles) from)"
    r"\s+(?:the\s+)?(?:(?:\w+\s+)?(?:town|city|village|crossing|base) of\s+)?$",
    re.I,
)
PRONOUN_SUBJECT = re.compile(r"\b(?:they|their forces|the group|its fighters)\b", re.I)


@dataclass(frozen=True, slots=True)
class Side:
    faction: str  # a faction id, STATE or REBELS
    text: str  # as written
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Reading:
    kind: str  # "gain": `actor` took the place; "loss": `actor` left it; "contest": `actor` is fighting for it
    actor: Side | None
    others: tuple[Side, ...]  # the other sides the sentence names
    verb: str
    status: str  # "claimed" or "disputed"
    claimed_by: str
    denied_by: str | None = None
    on_the_scene: bool = False  # the outlet's own reporter saw it: a candidate for `confirmed`


class SideWords:
    """Finds the sides a sentence names: every phrase of `labels` (faction id -> phrases), the longest first."""

    def __init__(self, labels: dict[str, tuple[str, ...]]):
        self.faction_of: dict[str, str] = {}
        for faction, phrases in labels.items():
            for phrase in phrases:
                self.faction_of.setdefault(phrase.lower(), faction)
        ordered = sorted(self.faction_of, key=len, reverse=True)
        self.pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in ordered) + r")(?![\w-])", re.I)

    def find(self, sentence: str) -> list[Side]:
        return [Side(self.faction_of[m.group().lower()], m.group(), m.start(), m.end()) for m in self.pattern.finditer(sentence)]


def read(
    sentence: str, place_at: int, words: SideWords, outlet: str | None, next_sentence: str = "", carried: Side | None = None
) -> Reading | None:
    """What the sentence says about the place named at `place_at`; None when no verb of control reaches it.

    `carried` is the last side named by an earlier sentence, for a sentence whose subject is "they".
    """
    sides = words.find(sentence)
    verbs = list(VERBS.finditer(sentence))
    before = [v for v in verbs if v.end() <= place_at]
    after = [v for v in verbs if v.start() >= place_at]
    verb = before[-1] if before else (after[0] if after and after[0].group("passive") else None)
    if verb is None or _unreal(sentence, verb.start(), place_at):
        return None
    if verb.end() <= place_at and CLAUSE_BREAK.search(sentence, verb.end(), place_at):
        return None
    kind = next(k for k in ("passive", "loss", "contest", "gain") if verb.group(k))
    if kind in ("gain", "passive") and LOCATOR.search(sentence[:place_at]):
        return None
    if kind == "passive":
        actor = next((s for s in sides if s.start >= verb.end()), None)
        kind = "gain"
    else:
        actor = next((s for s in reversed(sides) if s.end <= verb.start()), None)
        if actor is None and carried is not None and PRONOUN_SUBJECT.search(sentence[: verb.start()]):
            actor = carried
        if actor is None:  # a noun for the deed: "the push into Rastan ... came after rebels took Hama"
            actor = next((s for s in sides if s.start >= verb.end() and not _loses(sentence, s, verbs)), None)
    others = tuple(s for s in sides if actor is None or s.faction != actor.faction)
    status, claimed_by, denied_by = _evidence(sentence, next_sentence, actor, outlet, words)
    return Reading(kind, actor, others, verb.group(), status, claimed_by, denied_by, bool(SCENE.search(sentence)))


def _loses(sentence: str, side: Side, verbs: list[re.Match]) -> bool:
    """Is the side the subject of a verb of loss ("…, the Assad regime also gave up Daraa")?"""
    following = next((v for v in verbs if v.start() >= side.end), None)
    return following is not None and following.group("loss") is not None


def _unreal(sentence: str, verb_at: int, place_at: int) -> bool:
    """Is the verb in a clause that wishes, plans or supposes ("if they capture Homs", "capturing Homs would")?"""
    marks = (",", ";", ":", "–", "—")
    first, last = min(verb_at, place_at), max(verb_at, place_at)
    clause_start = max(sentence.rfind(mark, 0, first) for mark in marks)
    ends = [i for i in (sentence.find(mark, last) for mark in marks) if i >= 0]
    return bool(UNREAL.search(sentence, clause_start + 1, min(ends, default=len(sentence))))


def _evidence(sentence: str, next_sentence: str, actor: Side | None, outlet: str | None, words: SideWords) -> tuple[str, str, str | None]:
    """(status, claimed_by, denied_by): every single report is a claim until a second outlet confirms it."""
    claim = CLAIM.search(sentence)
    who = None
    if claim:
        according = ACCORDING_TO.search(sentence)
        sources = SOURCES.search(sentence)
        monitor = MONITOR.search(sentence)
        if according:
            who = according.group(1).strip()
        elif monitor:
            who = "the Syrian Observatory for Human Rights"
        elif sources:
            who = sources.group(1).strip()
        elif actor is not None:
            who = actor.text
    who = who or outlet or "the article's outlet"
    if outlet and outlet.lower() not in who.lower():
        who = f"{who} ({outlet})"
    denial_here = DENIAL.search(sentence)
    denial_next = DENIAL.search(next_sentence)
    if denial_next and not DENIAL_OF_WHAT_CAME_BEFORE.search(next_sentence):
        denial_next = None
    denial = denial_here or denial_next
    if denial is None:
        return "claimed", who, None
    denial_text = denial.string
    named = [s for s in words.find(denial_text) if s.end <= denial.start()]
    if named:
        return "disputed", who, named[-1].text
    subject = SUBJECT_BEFORE_DENIAL.search(denial_text)
    return "disputed", who, subject.group(1).strip() if subject else "the other side"
