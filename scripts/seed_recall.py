"""How many of the events the data holds from each seed report the drafter proposes (same place and holder).

    .venv/bin/python scripts/seed_recall.py [SEEDS_DIR]     # default: ../shared/seeds beside the repository

For each seed named by a source's `seed:` in events.yaml: the events citing that source, and which of them
`draft-events` proposes when given the seed with the source's outlet, title and date.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from geo.base.model import Dataset, Event
from geo.editing.drafter import Drafter, Source
from geo.reading.loader import load_dataset

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SEEDS = REPO.parent / "shared" / "seeds"


@dataclass(frozen=True)
class SeedRecall:
    seed: str
    outlet: str
    found: tuple[Event, ...]  # the data's events from this seed that the drafter proposes (same place and holder)
    missed: tuple[Event, ...]
    extra: tuple[str, ...]  # "place->holder" proposed but not among this seed's events
    proposals: int


def seed_recall(dataset: Dataset, seeds_dir: Path) -> list[SeedRecall]:
    """For each seed the data cites: its events the drafter finds when given the seed as the source says."""
    drafter = Drafter(dataset)
    results = []
    for source in sorted({s for s in dataset.sources.values() if s.seed}, key=lambda s: s.seed):
        cited = [e for e in dataset.events if source in e.sources]
        raw = (seeds_dir / source.seed).read_text(encoding="utf-8")
        draft = drafter.draft(raw, Source(source.outlet, source.title, source.date, source.url))
        proposed = {(p.event["place"], p.event["controller"]) for p in draft.proposals}
        found = tuple(e for e in cited if (e.place, e.control.controller) in proposed)
        missed = tuple(e for e in cited if e not in found)
        extra = tuple(sorted(f"{p}->{c}" for p, c in proposed - {(e.place, e.control.controller) for e in cited}))
        results.append(SeedRecall(source.seed, source.outlet, found, missed, extra, len(draft.proposals)))
    return results


def main(seeds_dir: Path) -> int:
    if not seeds_dir.is_dir():
        print(f"no seeds at {seeds_dir}", file=sys.stderr)
        return 2
    results = seed_recall(load_dataset(), seeds_dir)
    for r in results:
        print(
            f"{r.seed} ({r.outlet}): {len(r.found)}/{len(r.found) + len(r.missed)} of the data's events proposed; {r.proposals} proposals"
        )
        print(f"    missed: {', '.join(f'{e.place}->{e.control.controller}' for e in r.missed) or '-'}")
        print(f"    proposed, not from this seed in the data: {', '.join(r.extra) or '-'}")
    found = sum(len(r.found) for r in results)
    print(f"all seeds: {found}/{found + sum(len(r.missed) for r in results)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SEEDS))
