"""Station standards and inspections (ORG-6): checklists from the shipped templates, scoring
and the verdict, refusals that save nothing, which checklist applies where, who may edit."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lianxin.accounts.models import Role
from lianxin.accounts.permissions import actor_for, can_edit, in_reach
from lianxin.audit.models import AuditEntry
from lianxin.common.errors import Conflict, NotAllowed
from lianxin.directory import services
from lianxin.directory.models import (
    Checklist,
    ChecklistItem,
    Inspection,
    InspectionScore,
    Station,
)
from lianxin.directory.services import ItemScore, score_key
from tests.factories import StationFactory, UserFactory, assign

DAY = datetime.date(2026, 3, 10)


def _office(world, t="a"):
    township = getattr(world, t)
    return actor_for(township.office, township.office.assignments.get().pk)


def _station_actor(world):
    user = world.a.station_staff
    return actor_for(user, user.assignments.get(role=Role.STATION).pk)


@pytest.fixture
def qiyou(world):
    return services.checklist_from_template(actor=_office(world), key="qiyou")


@pytest.fixture
def county_office(world):
    user = UserFactory(username="a_county_office")
    assign(user, Role.OFFICE, region=world.a.county)
    return user


def _full(checklist, minus=0):
    """A score for every item: full marks, less ``minus`` on the first item."""
    items = list(checklist.items.order_by("order"))
    return [ItemScore(i.pk, i.max_score - (minus if n == 0 else 0)) for n, i in enumerate(items)]


# --- Templates --------------------------------------------------------------------------------


def test_it_ships_both_templates_summing_to_100():
    names = {t.name: t for t in services.CHECKLIST_TEMPLATES.values()}
    assert [i.title for i in names["七有"].items] == [
        "有标识",
        "有场所",
        "有制度",
        "有版面",
        "有计划",
        "有记录",
        "有档案",
    ]
    assert len(names["八有"].items) == 8
    assert "有转办交接" in [i.title for i in names["八有"].items]
    assert all(t.total == 100 for t in names.values())


def test_it_creates_a_template_checklist_for_the_office_region_in_one_click(world):
    client = world.client_for(world.a.office, Role.OFFICE)
    response = client.post(reverse("directory:checklist_templates"), {"template": "bayou"})
    checklist = Checklist.objects.get(name="八有", region=world.a.region)
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:checklist_detail", args=[checklist.pk])
    assert checklist.items.count() == 8
    assert sum(checklist.items.values_list("max_score", flat=True)) == 100
    assert list(checklist.items.values_list("order", flat=True)) == list(range(1, 9))
    assert AuditEntry.objects.filter(
        object_type="directory.checklist", actor=world.a.office
    ).exists()
    again = client.post(reverse("directory:checklist_templates"), {"template": "bayou"})
    assert again.status_code == 200
    assert "已有名为“八有”的标准" in again.content.decode()
    assert Checklist.objects.filter(name="八有").count() == 1


def test_it_refuses_templates_to_station_staff(world):
    with pytest.raises(NotAllowed):
        services.checklist_from_template(actor=_station_actor(world), key="qiyou")
    client = world.client_for(world.a.station_staff, Role.STATION)
    response = client.post(reverse("directory:checklist_templates"), {"template": "qiyou"})
    assert response.status_code == 404
    assert not Checklist.objects.exists()


# --- Scoring ----------------------------------------------------------------------------------


def test_it_scores_a_station_and_decides_pass_or_fail(world, qiyou):
    office = _office(world)
    passed = services.inspection_record(
        actor=office,
        station=world.a.station,
        checklist=qiyou,
        inspected_on=DAY,
        inspectors="张三、李四",
        scores=_full(qiyou, minus=5),
    )
    assert (passed.score, passed.max_score, passed.passed) == (95, 100, True)
    assert passed.scores.count() == 7
    assert passed.recorded_by == world.a.office
    low = [ItemScore(s.item_id, 8) for s in _full(qiyou)]  # 7 x 8 = 56 < 60
    failed = services.inspection_record(
        actor=office,
        station=world.a.station,
        checklist=qiyou,
        inspected_on=DAY,
        inspectors="张三",
        scores=low,
    )
    assert (failed.score, failed.passed) == (56, False)


def test_it_scales_the_pass_mark_to_a_checklist_not_worth_100(world):
    office = _office(world)
    checklist = Checklist.objects.create(name="三有", region=world.a.region, pass_score=60)
    items = [
        ChecklistItem.objects.create(checklist=checklist, order=n, title=t, max_score=10)
        for n, t in enumerate(["甲", "乙", "丙"], start=1)
    ]
    record = services.inspection_record(
        actor=office,
        station=world.a.station,
        checklist=checklist,
        inspected_on=DAY,
        inspectors="王五",
        scores=[ItemScore(items[0].pk, 10), ItemScore(items[1].pk, 8), ItemScore(items[2].pk, 0)],
    )
    assert (record.score, record.max_score, record.passed) == (18, 30, True)  # 60 % of 30


def test_it_refuses_a_score_above_the_maximum_and_saves_nothing(world, qiyou):
    scores = _full(qiyou)
    first = qiyou.items.order_by("order").first()
    scores[0] = ItemScore(first.pk, first.max_score + 1)
    with pytest.raises(ValidationError) as caught:
        services.inspection_record(
            actor=_office(world),
            station=world.a.station,
            checklist=qiyou,
            inspected_on=DAY,
            inspectors="张三",
            scores=scores,
        )
    assert caught.value.message_dict[score_key(first.pk)] == ["“有标识”的得分应在0到15分之间。"]
    assert not Inspection.objects.exists()
    assert not InspectionScore.objects.exists()


def test_it_refuses_a_missing_score(world, qiyou):
    with pytest.raises(ValidationError) as caught:
        services.inspection_record(
            actor=_office(world),
            station=world.a.station,
            checklist=qiyou,
            inspected_on=DAY,
            inspectors="张三",
            scores=_full(qiyou)[1:],
        )
    assert "请填写“有标识”的得分。" in str(caught.value)
    assert not Inspection.objects.exists()


def test_it_shows_per_row_messages_on_the_scoring_page_and_keeps_nothing(world, qiyou):
    client = world.client_for(world.a.office, Role.OFFICE)
    url = reverse("directory:inspection_create")
    page = client.get(f"{url}?station={world.a.station.pk}&checklist={qiyou.pk}")
    assert page.status_code == 200
    assert "有档案" in page.content.decode()
    items = list(qiyou.items.order_by("order"))
    data = {
        "station": world.a.station.pk,
        "checklist": qiyou.pk,
        "inspected_on": DAY.isoformat(),
        "inspectors": "张三",
    }
    for item in items:
        data[score_key(item.pk)] = item.max_score
    data[score_key(items[0].pk)] = 99
    data[score_key(items[1].pk)] = -1
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "“有标识”的得分不能超过15分。" in html
    assert "“有场所”的得分不能小于0。" in html
    assert "没有保存任何内容" in html
    assert not Inspection.objects.exists()
    data[score_key(items[0].pk)], data[score_key(items[1].pk)] = 15, 10
    saved = client.post(url, data)
    inspection = Inspection.objects.get()
    assert saved.status_code == 302
    assert (inspection.score, inspection.passed) == (95, True)


def test_it_corrects_an_inspection_and_recomputes_it(world, qiyou):
    record = services.inspection_record(
        actor=_office(world),
        station=world.a.station,
        checklist=qiyou,
        inspected_on=DAY,
        inspectors="张三",
        scores=_full(qiyou),
    )
    first = qiyou.items.order_by("order").first()
    client = world.client_for(world.a.office, Role.OFFICE)
    url = reverse("directory:inspection_edit", args=[record.pk])
    data = client.get(url).context["form"].initial
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}
    data[score_key(first.pk)] = 0
    response = client.post(url, data)
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.score, record.passed) == (85, True)
    assert Inspection.objects.count() == 1
    assert AuditEntry.objects.filter(object_id=str(record.pk), action="update").exists()


def test_it_keeps_past_results_when_an_item_changes_and_refuses_to_delete_a_used_item(world, qiyou):
    office = _office(world)
    record = services.inspection_record(
        actor=office,
        station=world.a.station,
        checklist=qiyou,
        inspected_on=DAY,
        inspectors="张三",
        scores=_full(qiyou),
    )
    item = qiyou.items.order_by("order").first()
    item.max_score = 30
    item.save()
    assert record.scores.get(item=item).max_score == 15
    with pytest.raises(Conflict):
        services.checklist_item_delete(actor=office, item=item)
    client = world.client_for(world.a.office, Role.OFFICE)
    response = client.post(reverse("directory:checklistitem_delete", args=[item.pk]))
    assert response.status_code == 302
    assert ChecklistItem.objects.filter(pk=item.pk).exists()
    unused = ChecklistItem.objects.create(checklist=qiyou, order=9, title="新项目", max_score=5)
    client.post(reverse("directory:checklistitem_delete", args=[unused.pk]))
    assert not ChecklistItem.objects.filter(pk=unused.pk).exists()


def test_it_adds_an_item_from_the_checklist_page(world, qiyou):
    client = world.client_for(world.a.office, Role.OFFICE)
    page = client.get(reverse("directory:checklist_detail", args=[qiyou.pk]))
    assert page.context["item_form"].initial["order"] == 8
    response = client.post(
        reverse("directory:checklistitem_create"),
        {"checklist": qiyou.pk, "order": 8, "title": "有网络", "max_score": 5},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:checklist_detail", args=[qiyou.pk])
    assert qiyou.items.get(title="有网络").order == 8


# --- Applicability ----------------------------------------------------------------------------


def test_it_applies_a_checklist_by_station_kind_and_region(world, qiyou):
    qiyou.station_kinds = [Station.Kind.TOWNSHIP]
    qiyou.save()
    assert qiyou.applies_to(world.a.station)
    assert not qiyou.applies_to(world.a.room)  # a contact room
    assert not qiyou.applies_to(world.b.station)  # another county's township
    assert services.applicable_checklists(_office(world), world.a.room) == []
    with pytest.raises(ValidationError) as caught:
        services.inspection_record(
            actor=_office(world),
            station=world.a.room,
            checklist=qiyou,
            inspected_on=DAY,
            inspectors="张三",
            scores=_full(qiyou),
        )
    assert "该标准不适用于这个联络站。" in caught.value.message_dict["checklist"]
    assert not Inspection.objects.exists()


def test_it_refuses_a_station_outside_reach(world, qiyou):
    with pytest.raises(NotAllowed):
        services.inspection_record(
            actor=_office(world),
            station=world.b.station,
            checklist=qiyou,
            inspected_on=DAY,
            inspectors="张三",
            scores=_full(qiyou),
        )


# --- Who may edit -----------------------------------------------------------------------------


def test_it_lets_a_township_office_use_but_not_edit_the_county_checklist(world, county_office):
    county = actor_for(county_office, county_office.assignments.get().pk)
    checklist = services.checklist_from_template(actor=county, key="qiyou")
    assert checklist.region == world.a.county
    township = _office(world)
    assert in_reach(township, checklist) and not can_edit(township, checklist)
    client = world.client_for(world.a.office, Role.OFFICE)
    detail = client.get(reverse("directory:checklist_detail", args=[checklist.pk]))
    assert detail.status_code == 200 and detail.context["can_edit"] is False
    assert "item_form" not in detail.context
    assert client.get(reverse("directory:checklist_edit", args=[checklist.pk])).status_code == 404
    item = checklist.items.first()
    edit = reverse("directory:checklistitem_edit", args=[item.pk])
    assert client.get(edit).status_code == 404
    response = client.post(
        reverse("directory:checklistitem_create"),
        {"checklist": checklist.pk, "order": 9, "title": "乡镇加项", "max_score": 5},
    )
    assert response.status_code == 200
    assert not checklist.items.filter(title="乡镇加项").exists()
    # ... and scores its own stations with it.
    record = services.inspection_record(
        actor=township,
        station=world.a.station,
        checklist=checklist,
        inspected_on=DAY,
        inspectors="镇人大",
        scores=_full(checklist),
    )
    assert record.passed
    assert not in_reach(_office(world, "b"), checklist)  # another county's office


def test_it_lets_station_staff_read_their_inspections_and_checklists_but_not_edit(world, qiyou):
    other = StationFactory(region=world.a.region, name="甲镇另一站")
    mine = services.inspection_record(
        actor=_office(world),
        station=world.a.room,
        checklist=qiyou,
        inspected_on=DAY,
        inspectors="张三",
        scores=_full(qiyou),
    )
    theirs = services.inspection_record(
        actor=_office(world),
        station=other,
        checklist=qiyou,
        inspected_on=DAY,
        inspectors="张三",
        scores=_full(qiyou),
    )
    staff = _station_actor(world)
    assert in_reach(staff, mine) and not in_reach(staff, theirs)
    assert in_reach(staff, qiyou) and not can_edit(staff, qiyou)
    with pytest.raises(NotAllowed):
        services.inspection_record(
            actor=staff,
            station=world.a.room,
            checklist=qiyou,
            inspected_on=DAY,
            inspectors="自评",
            scores=_full(qiyou),
        )
    client = world.client_for(world.a.station_staff, Role.STATION)
    assert client.get(reverse("directory:inspection_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("directory:inspection_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("directory:checklist_detail", args=[qiyou.pk])).status_code == 200
    assert client.get(reverse("directory:inspection_edit", args=[mine.pk])).status_code == 404
    assert client.get(reverse("directory:inspection_create")).status_code == 404
    listing = client.get(reverse("directory:inspection_list")).content.decode()
    assert reverse("directory:inspection_detail", args=[mine.pk]) in listing
    assert reverse("directory:inspection_detail", args=[theirs.pk]) not in listing


def test_it_shows_the_latest_inspection_on_the_station_page(world, qiyou):
    services.inspection_record(
        actor=_office(world),
        station=world.a.station,
        checklist=qiyou,
        inspected_on=DAY,
        inspectors="张三",
        scores=[ItemScore(s.item_id, 0) for s in _full(qiyou)],
    )
    client = world.client_for(world.a.office, Role.OFFICE)
    html = client.get(reverse("directory:station_detail", args=[world.a.station.pk])).content
    html = html.decode()
    assert "阵地检查" in html and "0/100" in html and "未达标" in html
    assert f"{reverse('directory:inspection_list')}?station={world.a.station.pk}" in html


def test_it_lists_stations_not_inspected_this_year(world, qiyou):
    services.inspection_record(
        actor=_office(world),
        station=world.a.station,
        checklist=qiyou,
        inspected_on=datetime.date.today(),  # noqa: DTZ011 - the view's year is today's
        inspectors="张三",
        scores=_full(qiyou),
    )
    client = world.client_for(world.a.office, Role.OFFICE)
    response = client.get(reverse("directory:inspection_missing"))
    names = [s.name for s, _url, _start in response.context["rows"]]
    assert names == [world.a.room.name]


def test_it_filters_inspections_by_verdict_and_year(world, qiyou):
    office = _office(world)
    for station, score in ((world.a.station, 15), (world.a.room, 0)):
        services.inspection_record(
            actor=office,
            station=station,
            checklist=qiyou,
            inspected_on=DAY,
            inspectors="张三",
            scores=[ItemScore(s.item_id, min(score, s.score)) for s in _full(qiyou)],
        )
    client = world.client_for(world.a.office, Role.OFFICE)
    url = reverse("directory:inspection_list")
    failed = client.get(f"{url}?passed=0&year={DAY.year}").context["object_list"]
    assert [i.station for i in failed] == [world.a.room]
    assert list(client.get(f"{url}?year=2019").context["object_list"]) == []


# --- API --------------------------------------------------------------------------------------


def test_it_records_an_inspection_through_the_api_with_the_same_rules(world, qiyou):
    client = world.client_for(world.a.office, Role.OFFICE)
    items = list(qiyou.items.order_by("order"))
    body = {
        "station": world.a.station.pk,
        "checklist": qiyou.pk,
        "inspected_on": DAY.isoformat(),
        "inspectors": "张三",
        "scores": [{"item": i.pk, "score": i.max_score} for i in items],
    }
    body["scores"][0]["score"] = 16
    refused = client.post("/api/v1/inspections/", body, content_type="application/json")
    assert refused.status_code == 400
    fields = refused.json()["error"]["fields"]
    assert fields[score_key(items[0].pk)] == ["“有标识”的得分应在0到15分之间。"]
    assert not Inspection.objects.exists()
    body["scores"][0]["score"] = 15
    created = client.post("/api/v1/inspections/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["passed"] is True and created.json()["score"] == 100
    listed = client.get(f"/api/v1/checklists/{qiyou.pk}/").json()
    assert [i["title"] for i in listed["items"]][:2] == ["有标识", "有场所"]


# --- Query counts -----------------------------------------------------------------------------


def _grow(world, n):
    office = _office(world)
    for _ in range(n):
        station = StationFactory(region=world.a.village, parent=world.a.station)
        checklist = Checklist.objects.create(
            name=f"标准{Checklist.objects.count()}", region=world.a.region
        )
        item = ChecklistItem.objects.create(checklist=checklist, title="有标识", max_score=10)
        services.inspection_record(
            actor=office,
            station=station,
            checklist=checklist,
            inspected_on=DAY,
            inspectors="张三",
            scores=[ItemScore(item.pk, 6)],
        )


@pytest.mark.parametrize(
    "url",
    [
        "/staff/directory/checklists/",
        "/staff/directory/inspections/",
        "/staff/directory/inspections/missing/",
        "/staff/directory/vacancies/",
        "/api/v1/checklists/",
        "/api/v1/checklist-items/",
        "/api/v1/inspections/",
    ],
)
def test_it_keeps_list_queries_flat(world, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = world.client_for(world.a.office, Role.OFFICE)
    _grow(world, 2)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(world, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)
