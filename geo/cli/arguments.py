"""Argument types shared by the commands: one reading of a day (geo.base.days) for every command."""

from __future__ import annotations

import argparse
from datetime import date

from geo.base.days import parse_day


def day_argument(text: str) -> date:
    """An argparse `type`: a day as YYYY-MM-DD (argparse then reports the error and exits with 2)."""
    try:
        return parse_day(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
