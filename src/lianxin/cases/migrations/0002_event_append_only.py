"""Case events are append-only in the database itself (CASE-3: an immutable event per step)."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION cases_event_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'case events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER cases_event_append_only
  BEFORE UPDATE OR DELETE ON cases_caseevent
  FOR EACH ROW EXECUTE FUNCTION cases_event_append_only();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS cases_event_append_only ON cases_caseevent;
DROP FUNCTION IF EXISTS cases_event_append_only();
"""
SQLITE_FORWARD = [
    """CREATE TRIGGER IF NOT EXISTS cases_event_no_update BEFORE UPDATE ON cases_caseevent
       BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END;""",
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS cases_event_no_update;"]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)
    elif schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)
    elif schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
