"""Seeds the holiday table from chinese-calendar (CASE-4). Idempotent; staff edits survive."""

from django.db import migrations


def seed(apps, schema_editor):
    from lianxin.holidays.seed import seed_from_package

    seed_from_package(apps.get_model("holidays", "HolidayYear"), apps.get_model("holidays", "CalendarDay"))


class Migration(migrations.Migration):

    dependencies = [
        ("holidays", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
