"""The audit administrator's pages: read only, with filters, paging and detail (SEC-4)."""

import time_machine

from lianxin.audit.models import AuditEntry
from lianxin.audit.services import record


def test_it_filters_the_trail_by_actor_action_type_and_date(world):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        record(actor=world.a.office, action=AuditEntry.Action.REVEAL, obj=world.a.deputy)
    with time_machine.travel("2026-03-05 10:00 +0800", tick=False):
        record(actor=world.b.office, action=AuditEntry.Action.LOGIN, obj=world.b.office)
    client = world.client_for(world.auditadmin)
    page = client.get("/staff/audit/", {"actor_name": "a_off"}).content.decode()
    assert "a_office" in page and "b_office" not in page
    page = client.get("/staff/audit/", {"action": "login"}).content.decode()
    assert "b_office" in page and "a_office" not in page
    page = client.get("/staff/audit/", {"object_type": "directory.person"}).content.decode()
    assert "a代表" in page
    page = client.get(
        "/staff/audit/", {"date_from": "2026-03-04", "date_to": "2026-03-06"}
    ).content.decode()
    assert "b_office" in page and "a_office" not in page


def test_it_shows_an_entry_with_its_changes(world):
    entry = record(
        actor=world.a.office,
        action=AuditEntry.Action.UPDATE,
        obj=world.a.deputy,
        changes={"phone": ["***", "***"], "work_unit": ["旧", "新"]},
    )
    page = world.client_for(world.auditadmin).get(f"/staff/audit/{entry.pk}/").content.decode()
    assert "work_unit" in page and "旧" in page and "新" in page and "***" in page


def test_it_pages_a_long_trail(world):
    for n in range(30):
        record(actor=None, action=AuditEntry.Action.ACTION, note=f"n{n}")
    page = world.client_for(world.auditadmin).get("/staff/audit/").content.decode()
    assert "第 1 / " in page


def test_it_offers_no_way_to_change_the_trail(world):
    client = world.client_for(world.auditadmin)
    entry = record(actor=None, action=AuditEntry.Action.ACTION, note="keep")
    assert client.post(f"/staff/audit/{entry.pk}/").status_code == 405
    # Nobody holds the trail's edit capability (403), and the API has no write method (405).
    assert client.delete(f"/api/v1/audit/entries/{entry.pk}/").status_code in (403, 405)
    assert client.patch(
        f"/api/v1/audit/entries/{entry.pk}/", {"note": "x"}, content_type="application/json"
    ).status_code in (403, 405)
    assert AuditEntry.objects.get(pk=entry.pk).note == "keep"
