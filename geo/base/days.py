"""A day typed by a person (a command's argument, a link's `?date=`): YYYY-MM-DD and nothing else.

One rule for every way in. Python 3.11's `date.fromisoformat` also takes 20241206 and week dates such as
2024-W48-6; links and commands print days as YYYY-MM-DD, so only that form is read back.
"""

from __future__ import annotations

import re
from datetime import date

DAY_FORM = "YYYY-MM-DD"
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def iso_day(text: str) -> date | None:
    """The day `text` names in YYYY-MM-DD form, or None (another form, or no such day: 2024-02-30)."""
    try:
        return date.fromisoformat(text) if _ISO_DAY.fullmatch(text) else None
    except ValueError:
        return None


def parse_day(text: str) -> date:
    """`iso_day`, or ValueError with the one message every command prints."""
    day = iso_day(text)
    if day is None:
        raise ValueError(not_a_day(text))
    return day


def not_a_day(text: str) -> str:
    return f"'{text}' is not a date in {DAY_FORM} form"
