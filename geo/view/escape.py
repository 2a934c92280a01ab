"""The one escaping helper, and the safe link and colour helpers.

Every string that comes from the data files (names, summaries, outlets, titles, notes)
goes through `esc` before it reaches HTML, an SVG, a Leaflet tooltip or a script of
the map. folium does not escape popup or tooltip text, and its templates put some of
it into JavaScript template literals, where a backtick ends the string and `${...}`
runs code; so besides the HTML characters `esc` also turns backticks, dollar signs,
backslashes, braces and line breaks into character references. The result is plain
text in any HTML context, stays on one line, and means nothing to JavaScript, Jinja
or Markdown math.

Links: only absolute http(s) URLs pass `safe_url`; anything else is shown as text.
Colours: only "#rrggbb" passes `safe_colour`; anything else becomes a neutral grey.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

NEUTRAL_GREY = "#9E9E9E"
_HEX_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
_REPLACEMENTS = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "'": "&#x27;",
    "`": "&#x60;",
    "$": "&#x24;",
    "\\": "&#x5C;",
    "{": "&#x7B;",
    "}": "&#x7D;",
    "\r": " ",
    "\n": " ",
    "\t": " ",
    "\u2028": " ",  # JavaScript line terminators
    "\u2029": " ",
}
_ESCAPE_TABLE = str.maketrans(_REPLACEMENTS)
# C0/C1 control characters other than the whitespace handled above: dropped.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def esc(value: object) -> str:
    """Text -> HTML-safe, script-safe, one-line text. None -> ""."""
    if value is None:
        return ""
    return _CONTROL.sub("", str(value)).translate(_ESCAPE_TABLE)


def safe_url(url: object) -> str | None:
    """`url` when it is an absolute http(s) link without spaces or control characters, else None."""
    if not isinstance(url, str) or len(url) > 2000:
        return None
    if any(c.isspace() or ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def link(url: object, text: object) -> str:
    """An HTML link that opens in a new tab, or just the escaped text when the URL is not safe."""
    href = safe_url(url)
    if href is None:
        return esc(text)
    return f'<a href="{esc(href)}" target="_blank" rel="noopener noreferrer">{esc(text)}</a>'


def safe_colour(colour: object) -> str:
    """An upper-case "#RRGGBB" colour, or a neutral grey for anything else."""
    if isinstance(colour, str) and _HEX_COLOUR.fullmatch(colour):
        return colour.upper()
    return NEUTRAL_GREY
