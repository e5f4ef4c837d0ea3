"""The scoring page on a phone (ORG-6, UI.md): a checklist from a template, a bad score
refused next to its row with nothing saved, then saved with its verdict."""

import pytest

from lianxin.common.demo import load_demo
from lianxin.directory.models import Inspection, Station
from tests.e2e.test_layout import _assert_fits, _log_in, _national_divisions, _watch_external

pytestmark = pytest.mark.django_db(transaction=True)
__all__ = ["_national_divisions"]  # the autouse fixture, reused


def test_it_scores_a_station_on_a_phone(live_server, phone):
    load_demo()
    external = _watch_external(phone, live_server)
    _log_in(phone, live_server, "anliang_office")
    phone.goto(f"{live_server.url}/staff/directory/checklists/templates/")
    _assert_fits(phone)
    phone.get_by_role("button", name="新建“七有”标准").click()
    phone.wait_for_load_state()
    assert phone.get_by_role("heading", name="七有").is_visible()

    station = Station.objects.get(name="安良镇人大代表联络站")
    phone.goto(f"{live_server.url}/staff/directory/inspections/new/?station={station.pk}")
    _assert_fits(phone)
    # The county's 七有 applies too: the office picks its own, named with its region.
    phone.get_by_role("link", name="按“七有”检查").filter(has_text="安良镇").click()
    phone.wait_for_load_state()
    _assert_fits(phone)
    phone.get_by_label("检查人员").fill("张三、李四")
    for title, score in [
        ("有标识", "20"),
        ("有场所", "15"),
        ("有制度", "15"),
        ("有版面", "15"),
        ("有计划", "10"),
        ("有记录", "15"),
        ("有档案", "10"),
    ]:
        phone.get_by_label(title, exact=True).fill(score)
    inspections = Inspection.objects.count()  # the demo's own
    phone.get_by_role("button", name="保存").click()
    phone.wait_for_load_state()
    _assert_fits(phone)
    assert phone.get_by_role("alert").filter(has_text="没有保存任何内容").is_visible()
    assert phone.get_by_text("“有标识”的得分不能超过15分。").is_visible()
    assert Inspection.objects.count() == inspections
    phone.get_by_label("有标识", exact=True).fill("15")
    phone.get_by_role("button", name="保存").click()
    phone.wait_for_load_state()
    assert phone.get_by_text("95/100（达标）").is_visible()
    assert external == []


def test_it_fits_the_standards_and_handover_pages_on_a_phone(live_server, phone):
    from lianxin.accounts.models import User
    from lianxin.accounts.permissions import actor_for
    from lianxin.directory import services
    from lianxin.directory.models import StationStaff

    load_demo()
    office = User.objects.get(username="anliang_office")
    actor = actor_for(office)
    checklist = services.checklist_from_template(actor=actor, key="bayou")
    station = Station.objects.get(name="安良镇人大代表联络站")
    inspection = services.inspection_record(
        actor=actor,
        station=station,
        checklist=checklist,
        inspected_on=station.created_at.date(),
        inspectors="张三",
        scores=[services.ItemScore(i.pk, i.max_score) for i in checklist.items.all()],
    )
    head = StationStaff.objects.filter(station=station).first()
    _log_in(phone, live_server, "anliang_office")
    base = f"{live_server.url}/staff/directory"
    pages = [
        f"{base}/checklists/",
        f"{base}/checklists/{checklist.pk}/",
        f"{base}/inspections/",
        f"{base}/inspections/{inspection.pk}/",
        f"{base}/inspections/{inspection.pk}/edit/",
        f"{base}/inspections/missing/",
        f"{base}/vacancies/",
        f"{base}/stations/{station.pk}/",
    ]
    if head is not None:
        pages.append(f"{base}/persons/{head.person_id}/handover/")
    for url in pages:
        phone.goto(url)
        assert phone.get_by_role("heading").first.is_visible(), url
        _assert_fits(phone)
