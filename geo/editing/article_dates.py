"""The day a sentence puts an event on, read relative to the article's publication date."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import dateparser

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
DAY_WORDS = re.compile(
    rf"\b(?P<weekday>(?:(?:late|early)\s+(?:on\s+)?)?(?:{'|'.join(WEEKDAYS)})(?:\s+(?:night|evening|morning|afternoon))?)\b"
    rf"|\b(?P<calendar>{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}(?:\s+\d{{4}})?)"
    r"|\b(?P<overnight>overnight|last night)\b"
    r"|\b(?P<yesterday>yesterday)\b|\b(?P<today>today|this morning|tonight)\b"
    r"|\b(?P<vague>earlier|in recent days|this week|last week|days ago|recently)\b",
    re.I,
)
MAX_DAYS_BACK = 180
_VAGUE_PART = re.compile(r"\b(?:late|early|night|evening|morning|afternoon)\b", re.I)


def _short(day: date) -> str:
    return f"{day.day} {day:%b}"


def _parse(text: str, published: date) -> date | None:
    found = dateparser.parse(
        text,
        languages=["en"],
        settings={"RELATIVE_BASE": datetime(published.year, published.month, published.day), "PREFER_DATES_FROM": "past"},
    )
    return found.date() if found is not None else None


def event_day(sentence: str, published: date) -> tuple[date, str | None]:
    """(the day, a `date_qualifier` when the day is vague) for the first day expression of the sentence.

    A weekday is the latest such day up to publication ("on Saturday" in Saturday's paper is that day); a
    sentence without one happened by the publication date.
    """
    match = DAY_WORDS.search(sentence)
    if match is None:
        return published, f"by {_short(published)}"
    if match.group("weekday"):
        text = match.group("weekday")
        weekday = next(i for i, name in enumerate(WEEKDAYS) if name in text.lower())
        day = published - timedelta(days=(published.weekday() - weekday) % 7)
        return day, (" ".join(text.split()) if _VAGUE_PART.search(text) else None)
    if match.group("calendar"):
        written = match.group("calendar")
        written_day = _parse(re.sub(r"(?<=\d)(st|nd|rd|th)\b", "", written), published)
        # without a year, a day long before publication is a day to come ("on Dec. 20" in a 7 Dec report)
        recent = written_day is not None and (re.search(r"\d{4}", written) or (published - written_day).days <= MAX_DAYS_BACK)
        if written_day is not None and written_day <= published and recent:
            return written_day, None
        return published, f"by {_short(published)}"
    if match.group("overnight"):
        night = published - timedelta(days=1)
        return night, f"night of {night.day}/{_short(published)}"
    if match.group("yesterday"):
        return _parse("yesterday", published) or published - timedelta(days=1), None
    if match.group("today"):
        return published, None
    return published, f"by {_short(published)}"
