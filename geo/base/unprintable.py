"""Characters that must not reach a terminal raw: control characters and bidi overrides.

C0 and C1 control characters (ESC starts the sequences that set a terminal's title or clear
its screen), DEL, the Unicode line separators, and the bidi embeddings, overrides and isolates
(U+202A-U+202E, U+2066-U+2069), which reorder the text around them. Arabic letters and the
bidi marks (U+200E, U+200F, U+061C) are ordinary text and pass.

- `unsafe_char(text)`: the first such character, or None (the loader refuses text with one).
- `escaped(text)`: each such character written out as Python writes it (\\x1b, \\n, \\u202e).
- `escaped_lines(text)`: the same, line by line: the line breaks stay.
- `json_escaped(document)`: a JSON document (json.dumps escapes C0 in strings, not the rest) with the others
  as JSON escapes (\\u202e): every string keeps its value.
"""

from __future__ import annotations

import re

_ABOVE_C0 = "\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
UNSAFE_RE = re.compile(f"[\x00-\x1f{_ABOVE_C0}]")
_UNSAFE_ABOVE_C0_RE = re.compile(f"[{_ABOVE_C0}]")


def unsafe_char(text: str) -> str | None:
    if text.isprintable():  # the common case, in C: every unsafe character is unprintable
        return None
    found = UNSAFE_RE.search(text)
    return found.group() if found else None


def escaped(text: str) -> str:
    return text if text.isprintable() else UNSAFE_RE.sub(lambda m: repr(m.group())[1:-1], text)


def escaped_lines(text: str) -> str:
    return "\n".join(escaped(line) for line in text.split("\n"))


def json_escaped(document: str) -> str:
    return _UNSAFE_ABOVE_C0_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", document)
