"""A news article as plain sentences: from plain text or a saved HTML page."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements whose text is not the article's.
SKIPPED = {"script", "style", "noscript", "template", "svg", "head", "nav", "footer", "form", "button"}
# Elements that end a paragraph or line.
BLOCKS = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "blockquote",
    "tr",
    "td",
    "figcaption",
    "header",
    "main",
    "aside",
    "title",
}
HTML_RE = re.compile(r"<\s*(html|body|p|div|article|!doctype)\b", re.IGNORECASE)
# A sentence ends at . ! ? (and a closing quote) before a space and a capital, a quote or a digit; not after
# common abbreviations ("U.S. troops", "Dec. 6").
_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’']))\s+(?=[\"“‘A-Z0-9])")
_ABBREVIATIONS = re.compile(r"\b(?:U\.S|U\.N|U\.K|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mr|Mrs|Dr|Gen|Lt|Col|St|No)\.$")


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title_parts: list[str] = []
        self._skipping = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self._in_title = True
        elif tag in SKIPPED:
            self._skipping += 1
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag in SKIPPED and self._skipping:
            self._skipping -= 1
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if self._in_title:
            self.title_parts.append(data)
        elif not self._skipping:
            self.parts.append(data)


def is_html(raw: str) -> bool:
    return bool(HTML_RE.search(raw[:5000]))


def read_article(raw: str) -> tuple[str, str | None]:
    """(the article's text, its HTML <title> or None): HTML is reduced to its visible text, plain text kept."""
    if not is_html(raw):
        return raw, None
    collector = _TextCollector()
    collector.feed(raw)
    collector.close()
    lines = (" ".join(line.split()) for line in "".join(collector.parts).splitlines())
    title = " ".join("".join(collector.title_parts).split()) or None
    return "\n".join(line for line in lines if line), title


def sentences(text: str) -> list[str]:
    """The text's sentences, in order: a line break always ends one."""
    out: list[str] = []
    for paragraph in text.splitlines():
        merged: list[str] = []
        for piece in _END.split(" ".join(paragraph.split())):
            if merged and _ABBREVIATIONS.search(merged[-1]):
                merged[-1] = f"{merged[-1]} {piece}"
            elif piece:
                merged.append(piece)
        out += merged
    return out
