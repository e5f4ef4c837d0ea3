"""The unit's reply (CASE-5): templates per category kept by the office, co-handlers' own parts
for the lead unit, and answers given in person at a station (局长进站)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lianxin.accounts.models import Role
from lianxin.audit.models import AuditEntry
from lianxin.cases import services, slips
from lianxin.cases.models import Case, CaseEvent, CaseUnit, Category, ReplyTemplate
from lianxin.cases.replies import fill, templates_for
from lianxin.notifications.models import Notification
from tests.cases.conftest import Personas, category_for, file
from tests.cases.test_pages import act, clients

pytestmark = pytest.mark.django_db


def handling(world, a: Personas, co: bool = False, **intake) -> Case:
    t = world.a
    case = file(t, **intake).case
    case = services.confirm(who=a.deputy, case=case)
    case = services.triage(who=a.office, case=case, scope=Case.Scope.TOWNSHIP)
    case = services.dispatch(who=a.office, case=case, lead=t.unit, co=[t.sub_unit] if co else [])
    return services.accept(who=a.unit, case=case)


# --- Templates ---------------------------------------------------------------------------------


def test_the_office_keeps_templates_with_known_placeholders_only(world):
    office = world.client_for(world.a.office, Role.OFFICE)
    roads = category_for(world.a)
    url = reverse("cases:replytemplate_create")
    assert office.get(url).status_code == 200
    data = {"region": world.a.region.pk, "category": roads.pk, "title": "路灯维修",
            "text": "您反映的{编号}问题已转{承办单位}，将于{处长}前修复。", "order": 10,
            "is_active": "on"}  # fmt: skip
    refused = office.post(url, data)
    assert refused.status_code == 200 and "“{处长}”不是可用的占位符" in refused.content.decode()
    assert not ReplyTemplate.objects.exists()
    data["text"] = "您反映的{编号}（{类别}）问题，{承办单位}已于{今天}修复。"
    assert office.post(url, data).status_code == 302
    template = ReplyTemplate.objects.get()
    assert AuditEntry.objects.filter(object_type="cases.replytemplate", action="create").exists()
    listing = office.get(reverse("cases:replytemplate_list")).content.decode()
    assert "路灯维修" in listing
    edit = reverse("cases:replytemplate_edit", args=[template.pk])
    assert office.get(edit).status_code == 200
    delete = reverse("cases:replytemplate_delete", args=[template.pk])
    for persona in ("station", "unit", "deputy", "leadership"):
        client = clients(world)[persona]
        assert client.get(reverse("cases:replytemplate_list")).status_code == 404
        assert client.post(delete).status_code == 404
    assert office.post(delete).status_code == 302
    assert not ReplyTemplate.objects.exists()
    assert AuditEntry.objects.filter(object_type="cases.replytemplate", action="delete").exists()


def test_a_category_of_another_region_is_refused(world):
    office = world.client_for(world.a.office, Role.OFFICE)
    other = category_for(world.b)
    response = office.post(reverse("cases:replytemplate_create"), {
        "region": world.a.region.pk, "category": other.pk, "title": "x", "text": "已办理。",
        "order": 1})  # fmt: skip
    assert response.status_code == 200 and not ReplyTemplate.objects.exists()


def test_the_case_gets_the_templates_of_its_category_and_regions_above(world, a):
    case = handling(world, a, place="村口东侧")
    roads = case.category
    water = Category.objects.create(region=world.a.county, code="water", name="供水")
    mine = ReplyTemplate.objects.create(region=world.a.county, category=roads, title="路",
                                        text="{编号}：{地点}的路灯已修复（{类别}）。")  # fmt: skip
    every = ReplyTemplate.objects.create(region=world.a.region, title="通用", text="已办理。")
    ReplyTemplate.objects.create(region=world.a.county, category=water, title="水", text="水")
    ReplyTemplate.objects.create(region=world.b.region, title="外乡", text="外乡")
    ReplyTemplate.objects.create(region=world.a.region, title="停用", text="停", is_active=False)
    assert list(templates_for(case)) == [mine, every]
    assert fill(mine, case) == f"{case.number}：村口东侧的路灯已修复（道路交通）。"


def test_the_unit_fills_its_reply_from_a_template_and_saves_it(world, a):
    case = handling(world, a)
    template = ReplyTemplate.objects.create(
        region=world.a.region, title="路灯", text="{承办单位}已于{今天}更换路灯。"
    )
    unit = world.client_for(world.a.unit_staff, Role.UNIT)
    detail = unit.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="apply-template"' in detail and "路灯" in detail
    filled = act(unit, case, "reply", {"template": template.pk, "text": ""}, apply_template="1")
    html = filled.content.decode()
    today = timezone.localdate()
    expected = f"{world.a.unit.name}已于{today.year}年{today.month}月{today.day}日更换路灯。"
    assert filled.status_code == 200 and expected in html
    assert Case.objects.get(pk=case.pk).status == Case.Status.HANDLING  # nothing saved
    typed = act(unit, case, "reply", {"template": template.pk, "text": "先写的话"},
                apply_template="1")  # fmt: skip
    assert f"先写的话\n{expected}" in typed.content.decode()
    none = act(unit, case, "reply", {"template": "", "text": ""}, apply_template="1")
    assert "请先选择要套用的模板" in none.content.decode()
    saved = act(unit, case, "reply", {"text": expected, "solved": "yes"})
    assert saved.status_code == 302
    assert Case.objects.get(pk=case.pk).reply == expected


def test_htmx_gets_the_filled_text_from_the_same_page(world, a):
    case = handling(world, a)
    template = ReplyTemplate.objects.create(region=world.a.region, title="t", text="编号{编号}")
    unit = world.client_for(world.a.unit_staff, Role.UNIT)
    response = act(unit, case, "reply", {"template": template.pk}, apply_template="1",
                   HTTP_HX_REQUEST="true")  # fmt: skip
    assert response.status_code == 200
    assert 'id="id_reply-text"' in response.content.decode()
    assert f"编号{case.number}" in response.content.decode()


def test_a_long_reply_is_kept_whole(world, a):
    case = handling(world, a)
    text = "已办理。" * 300  # 1200 characters: more than a reason, within a reply
    services.reply(who=a.unit, case=case, text=text, solved=True)
    assert Case.objects.get(pk=case.pk).reply == text


# --- Co-handlers (协办) -------------------------------------------------------------------------


def sub_unit_staff(world):
    from tests.factories import UserFactory, assign

    user = UserFactory(username="a_sub_unit")
    assign(user, Role.UNIT, unit=world.a.sub_unit)
    return user


def test_a_co_handler_gives_its_part_to_the_lead_unit(world, a, django_capture_on_commit_callbacks):
    case = handling(world, a, co=True)
    co_user = sub_unit_staff(world)
    co = world.client_for(co_user, Role.UNIT)
    page = co.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "协办意见" in page and "答复" in page
    assert 'data-action="reply"' not in page and 'data-action="accept"' not in page
    inbox = co.get(reverse("cases:inbox")).content.decode()
    assert 'data-action="contribute"' in inbox
    empty = act(co, case, "contribute", {"text": " "})
    assert empty.status_code == 200 and 'data-action="contribute"' in empty.content.decode()
    assert not CaseEvent.objects.filter(case=case, action="contribute").exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = act(co, case, "contribute", {"text": "农业服务中心已清理沟渠。"})
    assert done.status_code == 302
    row = CaseUnit.objects.get(case=case, unit=world.a.sub_unit)
    assert row.status == CaseUnit.Status.REPLIED and row.reply == "农业服务中心已清理沟渠。"
    case.refresh_from_db()
    assert case.status == Case.Status.HANDLING
    event = CaseEvent.objects.get(case=case, action="contribute")
    assert event.data["public"] is False and event.public_note == ""
    # The lead unit is told, and reads it; so does the office; the deputy does not.
    assert Notification.objects.filter(recipient=world.a.unit_staff,
                                       kind="cases.contribution").exists()  # fmt: skip
    lead_page = clients(world)["unit"].get(reverse("cases:case_detail", args=[case.pk]))
    assert "农业服务中心已清理沟渠。" in lead_page.content.decode()
    office_page = clients(world)["office"].get(reverse("cases:case_detail", args=[case.pk]))
    assert 'data-testid="contribution"' in office_page.content.decode()
    deputy_page = clients(world)["deputy"].get(reverse("mobile:case_detail", args=[case.pk]))
    assert "农业服务中心已清理沟渠。" not in deputy_page.content.decode()
    # Not the citizen's business: the tracking page shows no contribution.
    from lianxin.portal.cases import tracking

    public = tracking(case.citizens.get(is_primary=True))
    assert all("沟渠" not in s.note for s in public.steps)


def test_only_a_co_handler_contributes(world, a):
    from lianxin.common.errors import DomainError

    case = handling(world, a)  # no co-handler: the lead unit has nothing to contribute to
    with pytest.raises(DomainError):
        services.contribute(who=a.unit, case=case, text="x")
    for who in (a.office, a.station, a.deputy):
        with pytest.raises(DomainError):
            services.contribute(who=who, case=case, text="x")
    assert not CaseEvent.objects.filter(case=case, action="contribute").exists()


def test_the_feedback_slip_carries_the_contributions_and_the_in_person_answer(world, a):
    from lianxin.accounts.permissions import actor_for
    from lianxin.cases.workflow import Who

    case = handling(world, a, co=True)
    co = Who.staff(actor_for(sub_unit_staff(world)))
    services.contribute(who=co, case=case, text="沟渠已清理。")
    on = timezone.localdate()
    services.reply(who=a.unit, case=case, text="路灯已修复。", solved=True,
                   in_person=services.InPerson("director", on, world.a.station, "县交通局局长"))  # fmt: skip
    case.refresh_from_db()
    slip = slips.build(case, "feedback", actor_for(world.a.office))
    rows = dict(slip.rows)
    assert rows["协办单位意见"] == f"{world.a.sub_unit.name}：沟渠已清理。"
    assert "局长进站" in rows["答复方式"] and world.a.station.name in rows["答复方式"]
    assert "县交通局局长" in rows["答复方式"]


# --- 局长进站 / 站点问政 ---------------------------------------------------------------------------


def test_an_in_person_answer_is_a_public_step_without_who_answered(world, a, client):
    from lianxin.portal.cases import tracking

    receipt = file(world.a)
    case = services.confirm(who=a.deputy, case=receipt.case)
    case = services.triage(who=a.office, case=case, scope=Case.Scope.TOWNSHIP)
    case = services.dispatch(who=a.office, case=case, lead=world.a.unit)
    case = services.accept(who=a.unit, case=case)
    unit = world.client_for(world.a.unit_staff, Role.UNIT)
    day = timezone.localdate()
    incomplete = act(unit, case, "reply", {"text": "已修复。", "solved": "yes",
                                           "in_person": "director"})  # fmt: skip
    html = incomplete.content.decode()
    assert "请填写当面答复的日期" in html and "请填写当面答复人的单位和职务" in html
    future = act(unit, case, "reply", {"text": "已修复。", "solved": "yes", "in_person": "director",
                 "in_person_on": (day + dt.timedelta(days=2)).isoformat(),
                 "in_person_station": world.a.station.pk, "in_person_by": "张局长"})  # fmt: skip
    assert "当面答复日期不能晚于今天" in future.content.decode()
    assert Case.objects.get(pk=case.pk).status == Case.Status.HANDLING
    done = act(unit, case, "reply", {"text": "已修复。", "solved": "yes", "in_person": "director",
               "in_person_on": day.isoformat(), "in_person_station": world.a.station.pk,
               "in_person_by": "县交通运输局局长张某"})  # fmt: skip
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.in_person == "director" and case.in_person_station == world.a.station
    assert case.in_person_on == day and case.in_person_by == "县交通运输局局长张某"
    steps = tracking(receipt.citizen).steps
    note = next(s.note for s in steps if s.label == "答复")
    assert "当面答复（局长进站）" in note and world.a.station.name in note
    assert f"{day.year}年{day.month}月{day.day}日" in note and "张某" not in note
    page = client.get(f"/p/t/{receipt.token}/").content.decode()
    assert "局长进站" in page and "张某" not in page
    office = clients(world)["office"].get(reverse("cases:case_detail", args=[case.pk]))
    assert 'data-testid="in-person"' in office.content.decode()
