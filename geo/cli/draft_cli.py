"""`python -m geo draft-events ARTICLE --published YYYY-MM-DD`: proposed events from a news article."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo.base.days import parse_day
from geo.base.errors import DataError
from geo.editing.article import read_article
from geo.editing.drafter import Drafter, Source, render
from geo.reading.loader import DEFAULT_EVENTS, load_dataset


def add_parser(sub) -> None:
    p = sub.add_parser(
        "draft-events",
        help="propose events from a news article, for an editor to review",
        description="Read a news article (plain text, or a saved HTML page) and print proposed events as YAML "
        "entries of events.yaml's `events:` list, each after a comment quoting its sentence. "
        "Nothing is written to the data: check each proposal, paste it in, run `validate`.",
        epilog="example:\n  python -m geo draft-events report.txt --published 2024-12-07 --outlet Reuters "
        "--title 'Syrian rebels reach Homs' --url https://www.reuters.com/...",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("article", metavar="ARTICLE", help="the article: a .txt or saved .html file")
    p.add_argument("--published", required=True, metavar="YYYY-MM-DD", help="the article's publication date")
    p.add_argument("--outlet", default=None, help="the publisher, e.g. Reuters (default: a placeholder to fill in)")
    p.add_argument("--title", default=None, help="the headline (default: the HTML page's title, else a placeholder)")
    p.add_argument("--url", default=None, help="the article's address, when known exactly")
    p.add_argument("--events", default=str(DEFAULT_EVENTS), metavar="PATH", help="the current events file")
    p.add_argument("--places", default=None, metavar="PATH", help="the gazetteer (default: geo/data/places.yaml)")


def run(args: argparse.Namespace) -> int:
    try:
        published = parse_day(args.published)
    except ValueError as exc:
        print(f"error: --published: {exc}", file=sys.stderr)
        return 2
    if args.url is not None and not args.url.startswith(("http://", "https://")):
        print(f"error: --url: '{args.url}' is not an http(s) address", file=sys.stderr)
        return 2
    try:
        raw = Path(args.article).read_bytes().decode("utf-8", errors="replace")
    except OSError as exc:
        print(f"error: cannot read {args.article}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    try:
        dataset = load_dataset(args.events, args.places)
    except DataError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print("the current data has problems: fix them first (`python -m geo validate`)", file=sys.stderr)
        return 1
    _, page_title = read_article(raw)
    source = Source(
        outlet=args.outlet or "[outlet: fill in]",
        title=args.title or page_title or "[title: fill in]",
        published=published,
        url=args.url,
    )
    drafter = Drafter(dataset)
    print(render(drafter.draft(raw, source), source), end="")
    return 0
