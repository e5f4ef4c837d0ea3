"""The audit trail (SEC-4): automatic, actor-stamped, no clear personal data, append-only,
purged only after the retention."""

import datetime

import pytest
import time_machine
from django.db import connection, transaction
from django.db.utils import DatabaseError

from lianxin.accounts.permissions import actor_for
from lianxin.audit import services
from lianxin.audit.context import acting_as
from lianxin.audit.models import AuditEntry
from lianxin.common.errors import NotAllowed
from lianxin.common.sweeps import registered
from lianxin.directory.models import Person
from lianxin.regions.models import Region
from tests.factories import PersonFactory

PHONE = "13812345678"
ID_NUMBER = "410425198001011234"


def _all_audit_text() -> str:
    return " ".join(
        f"{e.changes} {e.note} {e.object_repr} {e.actor_name}" for e in AuditEntry.objects.all()
    )


def test_it_stores_personal_data_encrypted(world):
    person = PersonFactory(phone=PHONE, id_number=ID_NUMBER)
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, id_number FROM directory_person WHERE id = %s", [person.pk])
        phone, id_number = cursor.fetchone()
    assert PHONE not in phone and ID_NUMBER not in id_number
    assert phone.startswith("enc:v1:")
    assert Person.objects.get(pk=person.pk).phone == PHONE


def test_it_records_creating_and_editing_a_person_without_clear_personal_data(world):
    actor = actor_for(world.a.office)
    with acting_as(actor):
        person = PersonFactory(name="王五", phone=PHONE, id_number=ID_NUMBER, region=world.a.region)
        person.phone = "13900000000"
        person.work_unit = "新单位"
        person.save()
        person.delete()
    entries = list(
        AuditEntry.objects.filter(object_type="directory.person", object_id=str(person.pk or ""))
    ) or list(AuditEntry.objects.filter(object_type="directory.person", object_repr="王五"))
    actions = [e.action for e in sorted(entries, key=lambda e: e.pk)]
    assert actions == ["create", "update", "delete"]
    create, update, _delete = sorted(entries, key=lambda e: e.pk)
    assert create.changes["phone"] == [None, "***"]
    assert create.changes["name"] == [None, "王五"]
    assert update.changes == {"phone": ["***", "***"], "work_unit": ["测试单位", "新单位"]}
    assert all(e.actor == world.a.office for e in entries)
    assert "甲镇" in create.role
    text = _all_audit_text()
    for clear in (PHONE, ID_NUMBER, "13900000000", "139000", "1234"):
        assert clear not in text


def test_it_records_changes_made_through_a_page_with_the_acting_user(world):
    client = world.client_for(world.sysadmin)
    client.post(f"/accounts/users/{world.a.unit_staff.pk}/edit/", {"display_name": "新名字"})
    entry = AuditEntry.objects.get(
        object_type="accounts.user",
        object_id=str(world.a.unit_staff.pk),
        action="update",
        actor=world.sysadmin,
    )
    assert entry.changes["display_name"][1] == "新名字"
    assert entry.address == "127.0.0.1"


def test_it_records_work_outside_requests_as_the_system(world):
    region = Region.objects.get(code="410425")
    region.name = "郏县（改）"
    region.save()
    entry = AuditEntry.objects.get(object_type="regions.region", object_id=str(region.pk))
    assert entry.actor is None and entry.actor_name == ""
    assert entry.changes == {"name": ["郏县", "郏县（改）"]}


def test_it_ignores_saves_that_change_nothing_decided(world):
    before = AuditEntry.objects.count()
    world.a.office.save(update_fields=["last_login"])
    world.a.deputy.save()
    assert AuditEntry.objects.count() == before


def test_it_reveals_personal_data_only_to_an_allowed_actor_and_logs_it(world):
    world.a.deputy.phone = PHONE
    world.a.deputy.save()
    office = actor_for(world.a.office)
    assert services.reveal_personal(actor=office, obj=world.a.deputy, field="phone") == PHONE
    entry = AuditEntry.objects.get(action=AuditEntry.Action.REVEAL)
    assert entry.actor == world.a.office
    assert entry.changes == {"field": "phone"}
    assert entry.object_id == str(world.a.deputy.pk)
    assert PHONE not in _all_audit_text()
    with pytest.raises(NotAllowed):  # another township's office
        services.reveal_personal(actor=actor_for(world.b.office), obj=world.a.deputy, field="phone")
    with pytest.raises(NotAllowed):  # a station may read the profile, not personal data
        services.reveal_personal(
            actor=actor_for(world.a.station_staff), obj=world.a.deputy, field="phone"
        )
    with pytest.raises(NotAllowed):  # not a personal field
        services.reveal_personal(actor=office, obj=world.a.deputy, field="name")
    assert AuditEntry.objects.filter(action=AuditEntry.Action.REVEAL).count() == 1


def test_it_refuses_to_update_or_delete_an_entry(world):
    entry = services.record(actor=None, action=AuditEntry.Action.ACTION, note="keep")
    entry.note = "changed"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(note="changed")
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).note == "keep"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite trigger")
def test_it_refuses_a_raw_update_on_sqlite(world):
    entry = services.record(actor=None, action=AuditEntry.Action.ACTION, note="keep")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET note = 'x' WHERE id = %s", [entry.pk])


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL trigger")
def test_it_refuses_raw_update_and_delete_on_postgresql(world):
    entry = services.record(actor=None, action=AuditEntry.Action.ACTION, note="keep")
    for sql in (
        "UPDATE audit_auditentry SET note = 'x' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_it_purges_only_entries_older_than_the_retention(world, settings):
    settings.AUDIT_RETENTION_DAYS = 200
    with time_machine.travel("2025-01-01 10:00 +0800", tick=False):
        old = services.record(actor=None, action=AuditEntry.Action.ACTION, note="old")
    with time_machine.travel("2025-07-01 10:00 +0800", tick=False):
        recent = services.record(actor=None, action=AuditEntry.Action.ACTION, note="recent")
    with time_machine.travel("2025-07-25 10:00 +0800", tick=False):
        assert registered()["audit_retention"]() == 1
        assert registered()["audit_retention"]() == 0  # idempotent
    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(pk=recent.pk).exists()


def test_it_keeps_at_least_six_months_whatever_is_configured(world, settings):
    settings.AUDIT_RETENTION_DAYS = 30
    now = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    assert services.retention_cutoff(now) == now - datetime.timedelta(days=183)
