"""The closed loop through the pages, by the personas (CASE-1..7, CASE-10, CASE-11, SEC-2)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lianxin.accounts.models import Role
from lianxin.accounts.permissions import actor_for, scope
from lianxin.audit.models import AuditEntry
from lianxin.cases import figures, services
from lianxin.cases.models import Case, CaseEvent, Procedure
from lianxin.cases.workflow import Who
from tests.cases.conftest import category_for, file

S = Case.Status
pytestmark = pytest.mark.django_db


def clients(world):
    t = world.a
    return {
        "office": world.client_for(t.office, Role.OFFICE),
        "station": world.client_for(t.station_staff, Role.STATION),
        "unit": world.client_for(t.unit_staff, Role.UNIT),
        "deputy": world.client_for(t.deputy_user, Role.DEPUTY),
        "leadership": world.client_for(t.leadership, Role.LEADERSHIP),
    }


def act(client, case, action, data=None, **extra):
    url = reverse("cases:case_act", args=[case.pk, action])
    payload = {f"{action}-{k}": v for k, v in (data or {}).items()}
    payload.update(extra)
    return client.post(url, payload)


def status(case) -> str:
    return Case.objects.get(pk=case.pk).status


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def test_it_walks_the_whole_loop_through_the_pages(world):
    c = clients(world)
    case = file(world.a).case
    detail = c["deputy"].get(reverse("mobile:case_detail", args=[case.pk]))
    assert detail.status_code == 200 and "定单" in detail.content.decode()
    back = reverse("mobile:case_detail", args=[case.pk])
    response = act(c["deputy"], case, "confirm", {"note": "我来跟进"}, next=back, mobile="1")
    assert response.status_code == 302 and response["Location"] == back
    assert status(case) == S.CONFIRMED
    assert act(c["office"], case, "triage", {"note": ""}).status_code == 302
    assert status(case) == S.TRIAGED
    html = c["office"].get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "派单" in html and world.a.unit.name in html and world.b.unit.name not in html
    response = act(
        c["office"],
        case,
        "dispatch",
        {"lead": world.a.unit.pk, "co": [world.a.sub_unit.pk], "note": "请尽快办理"},
    )
    assert response.status_code == 302 and status(case) == S.DISPATCHED
    assert act(c["unit"], case, "accept", next=reverse("cases:inbox")).status_code == 302
    assert status(case) == S.HANDLING
    act(c["unit"], case, "reply", {"text": "已更换路灯三盏。", "solved": "yes"})
    assert status(case) == S.REPLIED
    act(c["deputy"], case, "approve_reply", {"note": ""}, mobile="1")
    assert status(case) == S.AWAITING_RATING
    act(c["station"], case, "rate", {"rating": "satisfied", "reason": ""})
    assert status(case) == S.CLOSED
    act(c["office"], case, "return_visit", {"note": "电话回访，群众满意。"})
    act(c["office"], case, "archive")
    case.refresh_from_db()
    assert case.status == S.ARCHIVED and case.rating == Case.Rating.SATISFIED
    assert case.events.count() == 10
    html = c["office"].get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "请尽快办理" in html  # staff see internal notes on the timeline
    assert 'data-action="' not in html  # an archived case offers nothing


def test_it_answers_already_handled_to_a_conflicting_double_submit(world):
    c = clients(world)
    case = services.confirm(who=Who.staff(actor_for(world.a.deputy_user)), case=file(world.a).case)
    first = act(c["office"], case, "triage", {"note": ""})
    second = act(c["station"], case, "report", {"note": ""})
    assert first.status_code == 302 and second.status_code == 302
    assert status(case) == S.TRIAGED
    followed = c["station"].get(second["Location"])
    html = followed.content.decode()
    assert "已被他人处理" in html and "待派单" in html
    assert CaseEvent.objects.filter(case=case, action__in=["triage", "report"]).count() == 1


def test_it_shows_field_errors_in_chinese_and_changes_nothing(world):
    c = clients(world)
    case = services.confirm(who=Who.staff(actor_for(world.a.deputy_user)), case=file(world.a).case)
    response = act(c["office"], case, "decline", {"explanation": "  "})
    assert response.status_code == 200
    assert "必填" in response.content.decode() or "请向群众说明" in response.content.decode()
    assert status(case) == S.CONFIRMED


def test_it_answers_404_when_the_table_does_not_let_the_role_act(world):
    c = clients(world)
    case = services.confirm(who=Who.staff(actor_for(world.a.deputy_user)), case=file(world.a).case)
    assert act(c["deputy"], case, "decline", {"explanation": "不归我管"}).status_code == 404
    assert act(c["leadership"], case, "triage", {"note": ""}).status_code == 404
    outside = file(world.b).case
    assert act(c["office"], outside, "confirm", {"note": ""}).status_code == 404
    assert act(c["office"], case, "frobnicate").status_code == 404
    assert status(case) == S.CONFIRMED and status(outside) == S.SUBMITTED


def test_it_triages_selected_cases_in_bulk_and_reports_those_already_handled(world):
    c = clients(world)
    deputy = Who.staff(actor_for(world.a.deputy_user))
    cases = [
        services.confirm(who=deputy, case=file(world.a, text=f"问题{i}").case) for i in range(3)
    ]
    services.triage(who=Who.staff(actor_for(world.a.office)), case=cases[0], scope="county")
    response = c["office"].post(
        reverse("cases:case_list"), {"bulk": "triage", "case": [x.pk for x in cases]}
    )
    assert response.status_code == 302
    assert [status(x) for x in cases] == [S.REPORTED, S.TRIAGED, S.TRIAGED]
    text = " ".join(messages_of(response))
    assert "成功 2 件" in text and cases[0].number in text
    # A role without bulk actions cannot post them.
    assert c["leadership"].post(reverse("cases:case_list"), {"bulk": "triage"}).status_code == 404


def _dispatched(world, text: str, months_ago: int = 0):
    office = Who.staff(actor_for(world.a.office))
    deputy = Who.staff(actor_for(world.a.deputy_user))
    case = services.confirm(who=deputy, case=file(world.a, text=text).case)
    case = services.triage(who=office, case=case, scope="township")
    return services.dispatch(who=office, case=case, lead=world.a.unit)


def test_it_sorts_the_unit_inbox_by_deadline_with_one_tap_forms(world):
    late = _dispatched(world, "后交办但更急")
    early = _dispatched(world, "先交办")
    Case.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(days=2))
    html = clients(world)["unit"].get(reverse("cases:inbox")).content.decode()
    assert html.index(late.number) < html.index(early.number)
    assert "已超期" in html
    assert reverse("cases:case_act", args=[early.pk, "accept"]) in html
    assert reverse("cases:case_act", args=[early.pk, "return"]) in html


def test_the_unit_inbox_reads_its_forms_data_once_not_once_a_case(world):
    """Issue 7 (the province benchmark): every handling case carries a reply form with the
    templates and stations of its place; more cases of one place cost no more queries."""
    unit = world.a.unit_staff

    def handling(text: str) -> None:
        case = _dispatched(world, text)
        services.accept(who=Who.staff(actor_for(unit)), case=case)

    def queries() -> int:
        client = clients(world)["unit"]
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(reverse("cases:inbox")).content.decode()
        assert "答复" in html
        return len(ctx.captured_queries)

    handling("第一件路灯不亮")
    one = queries()
    for n in range(4):
        handling(f"第{n + 2}件路面坑洼")
    assert queries() == one


def test_it_shows_the_deputy_what_waits_for_him_first_on_his_phone(world):
    waiting = file(world.a, text="待定单的问题").case
    running = _dispatched(world, "办理中的问题")
    other = file(world.b).case
    client = clients(world)["deputy"]
    html = client.get(reverse("mobile:cases")).content.decode()
    assert "意见建议" in html and "lx-tabbar" in html
    assert html.index(waiting.number) < html.index(running.number)
    assert "待定单" in html and other.number not in html
    assert "13812345678" not in html and "张三" not in html
    assert client.get(reverse("mobile:case_detail", args=[other.pk])).status_code == 404
    home = client.get("/").content.decode()
    assert "1 件群众意见等您定单、督单或回访" in home


def _intake_data(station, n: int, **opinions):
    data = {
        "channel": "reception",
        "station": station.pk,
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "place": "村委会",
        "form-TOTAL_FORMS": str(n),
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "20",
    }
    data.update(opinions)
    return data


def test_it_logs_a_reception_with_several_opinions_one_resolved_on_the_spot(world):
    t = world.a
    category = category_for(t)
    client = clients(world)["station"]
    assert client.get(reverse("cases:intake")).status_code == 200
    data = _intake_data(t.room, 2, **{
        "form-0-category": category.pk, "form-0-text": "路灯坏了", "form-0-name": "李四",
        "form-0-phone": "13900001111", "form-0-priority": "normal",
        "form-1-category": category.pk, "form-1-text": "垃圾没人清运", "form-1-priority": "normal",
        "form-1-on_spot": "on", "form-1-explanation": "当场联系保洁员清运。",
    })  # fmt: skip
    response = client.post(reverse("cases:intake"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    cases = list(Case.objects.filter(channel="reception").order_by("pk"))
    assert [c.status for c in cases] == [S.SUBMITTED, S.AWAITING_RATING]
    assert cases[1].scope == Case.Scope.ON_SPOT and cases[0].received_by == t.station_staff
    receipts = client.get(response["Location"]).content.decode()
    assert receipts.count('data-testid="receipt"') == 2
    for c in cases:
        assert c.number in receipts
        assert services.check_pin(
            c, receipts.split(c.number, 1)[1].split('data-testid="pin">')[1][:6]
        )


def test_it_records_a_deputys_on_the_spot_opinion_for_the_station_to_confirm(world):
    t = world.a
    client = clients(world)["deputy"]
    assert client.get(reverse("mobile:case_new")).status_code == 200
    data = _intake_data(t.room, 1, **{
        "form-0-category": category_for(t).pk, "form-0-text": "井盖松动", "form-0-priority": "urgent",
        "form-0-on_spot": "on", "form-0-explanation": "联系村委会当场固定。",
    })  # fmt: skip
    response = client.post(reverse("mobile:case_new"), data)
    assert response.status_code == 200 and "由哪个联络站或单位" in response.content.decode()
    data["form-0-resolved_by"] = "一村联系群众工作室"
    response = client.post(reverse("mobile:case_new"), data)
    assert response.status_code == 302
    case = Case.objects.get(channel="reception")
    assert case.status == S.CONFIRMED and case.deputy == t.deputy
    html = clients(world)["station"].get(reverse("cases:case_detail", args=[case.pk])).content
    assert "代表登记为当场解决" in html.decode() and "联系村委会当场固定。" in html.decode()


def test_it_adds_a_blank_opinion_without_filing_anything(world):
    client = clients(world)["station"]
    data = _intake_data(world.a.room, 1, **{"form-0-text": "先写一半", "add": "1"})
    response = client.post(reverse("cases:intake"), data)
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="opinion"') == 2
    assert not Case.objects.exists()


def test_it_shows_the_figures_of_the_aggregate_tables(world):
    office = Who.staff(actor_for(world.a.office))
    case = _dispatched(world, "统计用")
    services.accept(who=Who.staff(actor_for(world.a.unit_staff)), case=case)
    file(world.a)
    file(world.b)
    actor = actor_for(world.a.office)
    today = timezone.localdate()
    start = today.replace(day=1)
    expected = figures.case_figures(
        figures.rows_for_regions(world.a.region.path),
        start,
        (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1),
        overdue=scope(actor, Case.objects.all()),
    )
    response = clients(world)["office"].get(reverse("cases:figures"), {"period": "month"})
    total = response.context["table"]["total"]
    assert total[1] == str(expected.received) == "2"
    assert total[4] == str(expected.dispatched) == "1"
    assert world.b.region.name not in response.content.decode()
    assert office is not None
    by_station = clients(world)["office"].get(reverse("cases:figures"), {"by": "station"})
    assert world.a.room.name in by_station.content.decode()
    assert clients(world)["unit"].get(reverse("cases:figures")).status_code == 404


def test_it_exports_the_figures_as_text_cells_and_audits_it(world):
    from openpyxl import load_workbook

    file(world.a, text='=HYPERLINK("http://x")')
    response = clients(world)["office"].get(reverse("cases:figures_export"), {"by": "category"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert cells and all(cell.data_type == "s" for cell in cells)
    assert sheet.cell(row=2, column=2).value == "1"
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count() == 1


def test_it_masks_citizens_on_lists_and_reveals_only_for_the_office_audited(world):
    case = file(world.a).case
    c = clients(world)
    for persona in ("office", "station", "leadership"):
        html = c[persona].get(reverse("cases:case_list")).content.decode()
        assert case.number in html and "13812345678" not in html and "张三" not in html
    detail = c["station"].get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "138****5678" in detail and "13812345678" not in detail
    assert reverse("cases:case_reveal", args=[case.pk]) not in detail
    url = reverse("cases:case_reveal", args=[case.pk])
    assert c["station"].post(url, {"field": "phone"}).status_code == 404
    response = c["office"].post(url, {"field": "phone"})
    assert "13812345678" in response.content.decode()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.REVEAL).count() == 1


def test_it_lists_a_sensitive_case_only_for_the_staff_named_on_it(world):
    from lianxin.accounts.permissions import actor_for
    from lianxin.cases import services

    case = file(world.a).case
    services.restrict(actor=actor_for(world.a.office), case=case, users=[world.a.station_staff],
                      reason="涉及举报人安全")  # fmt: skip
    c = clients(world)
    assert case.number in c["office"].get(reverse("cases:case_list")).content.decode()
    assert case.number in c["station"].get(reverse("cases:case_list")).content.decode()
    assert case.number not in c["leadership"].get(reverse("cases:case_list")).content.decode()
    assert case.number not in c["deputy"].get(reverse("mobile:cases")).content.decode()


def test_it_shows_the_leadership_overdue_cases_grouped_read_only(world):
    case = _dispatched(world, "超期的问题")
    Case.objects.filter(pk=case.pk).update(due_at=timezone.now() - dt.timedelta(days=3))
    html = clients(world)["leadership"].get(reverse("cases:overdue")).content.decode()
    assert case.number in html and world.a.unit.name in html and "3天" in html
    assert "<form" not in html.split('id="main"')[1]


def test_it_shows_the_congress_labels_on_the_buttons(world):
    t = world.a
    office = clients(world)["office"]
    assert office.post(reverse("cases:procedure_start", args=[t.congress.pk])).status_code == 302
    procedure = Procedure.objects.get(congress=t.congress)
    edit = reverse("cases:procedure_edit", args=[procedure.pk])
    page = office.get(edit)
    assert page.status_code == 200
    data = {
        "name": "交办—督促解决—反馈评估—回访问效",
        "deputy_confirms": "",
        "reply_checked_by": "office",
        "return_visit": "on",
        "max_reopenings": "1",
        "rating_window_days": "7",
        "labels_text": "triage=交办乡镇\nbogus=错",
    }
    response = office.post(edit, data)
    assert response.status_code == 200 and "bogus" in response.content.decode()
    data["labels_text"] = "triage=交办乡镇"
    assert office.post(edit, data).status_code == 302
    procedure.refresh_from_db()
    assert procedure.labels == {"triage": "交办乡镇"} and not procedure.deputy_confirms
    case = file(t).case
    html = office.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "交办乡镇" in html
    assert AuditEntry.objects.filter(object_type="cases.procedure").exists()


@pytest.mark.parametrize(
    ("persona", "name"),
    [
        ("office", "cases:case_list"),
        ("unit", "cases:inbox"),
        ("leadership", "cases:overdue"),
        ("deputy", "mobile:cases"),
    ],
)
def test_it_lists_cases_with_a_flat_number_of_queries(world, persona, name):
    def grow(n: int) -> None:
        for i in range(n):
            case = _dispatched(world, f"第{i}件")
            Case.objects.filter(pk=case.pk).update(due_at=timezone.now() - dt.timedelta(days=1))

    client = clients(world)[persona]
    grow(1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(name)).status_code == 200
    grow(4)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse(name)).status_code == 200
    assert len(many) == len(few), f"{name}: {len(few)} → {len(many)} queries"


def test_the_queue_offers_a_city_office_the_stations_down_to_its_townships(world):
    """The 联络站 filter goes two region levels below the office (issue 7: a province's
    13,000 stations in one select); a township office is offered all of its own."""
    from tests.factories import UserFactory, assign

    user = UserFactory(username="a_city_office_queue")
    assign(user, Role.OFFICE, region=world.a.county.parent)
    page = world.client_for(user, Role.OFFICE).get(reverse("cases:case_list"))
    offered = set(page.context["filterset"].form.fields["station"].queryset)
    assert world.a.station in offered  # a township's station
    assert world.a.room not in offered  # a village's room: three levels down
    assert world.b.station not in offered  # another city's: out of reach
    township = world.client_for(world.a.office, Role.OFFICE).get(reverse("cases:case_list"))
    own = set(township.context["filterset"].form.fields["station"].queryset)
    assert {world.a.station, world.a.room} <= own
