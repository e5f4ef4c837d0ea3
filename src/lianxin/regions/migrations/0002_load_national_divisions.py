"""Loads province, city and county rows from the committed data file (ORG-1)."""

import csv
from pathlib import Path

from django.db import migrations

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "regions.csv"


def load(apps, schema_editor):
    Region = apps.get_model("regions", "Region")
    with DATA_FILE.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(line for line in fh if not line.startswith("#"))]
    existing = set(Region.objects.values_list("code", flat=True))
    by_code = {r.code: r for r in Region.objects.all()}
    for level in (1, 2, 3):
        batch = [
            Region(code=r["code"], name=r["name"], kind=r["kind"], level=level, path="", depth=level - 1)
            for r in rows
            if int(r["level"]) == level and r["code"] not in existing
        ]
        parents = {r["code"]: r["parent_code"] for r in rows}
        for region in batch:
            parent_code = parents[region.code]
            if parent_code:
                region.parent_id = by_code[parent_code].pk
        Region.objects.bulk_create(batch, batch_size=500)
        created = Region.objects.filter(level=level, path="")
        for region in created:
            region.path = (by_code[parents[region.code]].path if parents[region.code] else "/") + f"{region.pk}/"
            region.depth = region.path.count("/") - 2
            by_code[region.code] = region
        Region.objects.bulk_update(list(created), ["path", "depth"], batch_size=500)
        for region in Region.objects.filter(level=level):
            by_code[region.code] = region


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
