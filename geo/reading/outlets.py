"""Which outlet a source really comes from: two copies of one wire story are one outlet, not two.

`confirmed` needs two different outlets; "The Jerusalem Post (Reuters)" and "CNBC (Reuters copy)" are both
Reuters, while "The Independent (print edition)" is still The Independent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from geo.base.model import Source

# Agencies whose copies other outlets carry: named in an outlet's brackets, the story is theirs.
WIRES = {
    "reuters": "reuters",
    "afp": "afp",
    "agence france-presse": "afp",
    "ap": "ap",
    "associated press": "ap",
    "anadolu": "anadolu",
    "anadolu agency": "anadolu",
    "aa": "anadolu",
    "dpa": "dpa",
    "xinhua": "xinhua",
    "sana": "sana",
    "efe": "efe",
    "ansa": "ansa",
    "upi": "upi",
    "bloomberg": "bloomberg",
}
_BRACKETS = re.compile(r"\(([^)]*)\)")
_WORDS = re.compile(r"[a-z]+")


@lru_cache(maxsize=8192)  # a big file has a few hundred outlets and ~100,000 events citing them
def outlet_key(outlet: str) -> str:
    """A short comparable name: a wire outlet itself, else the wire its brackets name ("based on Reuters"),
    else the outlet's name without brackets."""
    text = outlet.lower()
    main = re.sub(r"^the\s+", "", _BRACKETS.sub("", text).split(",")[0].strip())
    if main in WIRES:
        return WIRES[main]
    for inside in _BRACKETS.findall(text):
        words = _WORDS.findall(inside.replace("-", " "))
        for i in range(len(words)):
            for n in (3, 2, 1):  # the longest agency name at each word
                name = " ".join(words[i : i + n])
                if name in WIRES:
                    return WIRES[name]
    return main


def publisher(outlet: str) -> str:
    """The name a credit line gives an outlet: 'Reuters (Maya Gebeily, ...)' -> 'Reuters', 'X, via Y' -> 'X' (the
    publisher, without byline, edition or relay), so one publisher is credited once."""
    name = re.sub(r"\s*\(.*?\)", "", outlet)
    name = re.split(r",?\s+via\s+", name)[0]
    return " ".join(name.split()) or outlet


def distinct_outlets(sources: Iterable[Source]) -> int:
    return len({outlet_key(s.outlet) for s in sources})
