"""How many of the events the data holds from each seed report the drafter proposes (same place and holder).

    .venv/bin/python scripts/seed_recall.py [SEEDS_DIR]     # default: ../shared/seeds beside the repository

For each seed named by a source's `seed:` in events.yaml: the events citing that source, and which of them
`draft-events` proposes when given the seed with the source's outlet, title and date.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.drafter import Drafter, Source
from geo.loader import load_dataset

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SEEDS = REPO.parent / "shared" / "seeds"


def main(seeds_dir: Path) -> int:
    if not seeds_dir.is_dir():
        print(f"no seeds at {seeds_dir}", file=sys.stderr)
        return 2
    dataset = load_dataset()
    drafter = Drafter(dataset)
    total_found = total = 0
    for source in sorted({s for s in dataset.sources.values() if s.seed}, key=lambda s: s.seed):
        cited = [e for e in dataset.events if source in e.sources]
        raw = (seeds_dir / source.seed).read_text(encoding="utf-8")
        draft = drafter.draft(raw, Source(source.outlet, source.title, source.date, source.url))
        proposed = {(p.event["place"], p.event["controller"]) for p in draft.proposals}
        found = [e for e in cited if (e.place, e.control.controller) in proposed]
        missed = [f"{e.place}->{e.control.controller}" for e in cited if e not in found]
        extra = sorted(f"{p}->{c}" for p, c in proposed - {(e.place, e.control.controller) for e in cited})
        total_found, total = total_found + len(found), total + len(cited)
        print(f"{source.seed} ({source.outlet}): {len(found)}/{len(cited)} of the data's events proposed; {len(draft.proposals)} proposals")
        print(f"    missed: {', '.join(missed) or '-'}")
        print(f"    proposed, not from this seed in the data: {', '.join(extra) or '-'}")
    print(f"all seeds: {total_found}/{total}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SEEDS))
