"""Lost-work allowances (DUTY-4): a monthly statement from check-ins, one allowance per person
per day, recomputed while a draft, frozen once confirmed, exported with text cells and the bank
details masked unless the office reveals them (audited)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from lianxin.accounts.models import Role
from lianxin.accounts.permissions import ROLE_PERMS, Perm, actor_for
from lianxin.activities.duty import allowances
from lianxin.activities.models import (
    AllowanceRate,
    AllowanceRecipient,
    AllowanceStatement,
    Assignment,
    Roster,
)
from lianxin.activities.models.duty import DutyRole
from lianxin.audit.models import AuditEntry
from lianxin.common.errors import DomainError, NotAllowed
from tests.activities.conftest_attend import at, post, roster, shift
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

MARCH = dt.date(2026, 3, 1)
APRIL_2 = at(dt.date(2026, 4, 2), 10)
ACCOUNT = "6222021234567890123"


def _present(s, person, role=DutyRole.DEPUTY, unit=None):
    return post(s, person, role=role, unit=unit, status=Assignment.Status.PRESENT,
                checked_in_at=at(s.date, s.starts_at.hour))  # fmt: skip


@pytest.fixture
def month(world):
    """Two recipients and a deputy who is not one, on duty in March 2026 at the township's
    stations; one recipient twice on the 4th (morning and afternoon)."""
    t = world.a
    r = roster(t.room, start=MARCH, end=dt.date(2026, 3, 31))
    wang = PersonFactory(name="王建军", region=t.region)
    li = PersonFactory(name="李秀兰", region=t.region)
    salaried = PersonFactory(name="赵公务", region=t.region)
    for person in (wang, li):
        AllowanceRecipient.objects.create(
            congress=t.congress, person=person, bank_name="农村信用社",
            account_holder=person.name, bank_account=ACCOUNT,
        )  # fmt: skip
    days = [dt.date(2026, 3, d) for d in (4, 11, 18)]
    for day in days:
        s = shift(r, day)
        _present(s, wang)
        _present(s, salaried)
    afternoon = shift(r, days[0], start=dt.time(14), end=dt.time(17))
    _present(afternoon, wang)
    _present(afternoon, li)
    post(shift(r, dt.date(2026, 3, 25)), li, status=Assignment.Status.ABSENT)
    # A draft roster's check-in and a unit head's post do not count.
    draft = roster(t.room, start=MARCH, end=dt.date(2026, 3, 31), status=Roster.Status.DRAFT,
                   name="草稿")  # fmt: skip
    _present(shift(draft, dt.date(2026, 3, 5)), li)
    _present(shift(r, dt.date(2026, 3, 26)), li, role=DutyRole.UNIT_HEAD, unit=t.unit)
    # Another township's station is another congress's.
    other = roster(world.b.room, start=MARCH, end=dt.date(2026, 3, 31))
    _present(shift(other, dt.date(2026, 3, 6)), wang)
    return t, wang, li


def _lines(statement):
    return {line.person.name: line for line in statement.lines.select_related("person")}


def test_it_computes_the_month_from_check_ins_one_allowance_a_day(month):
    t, _wang, _li = month
    statement = allowances.statement_compute(actor=actor_for(t.office), congress=t.congress,
                                             month=MARCH, now=APRIL_2)  # fmt: skip
    lines = _lines(statement)
    assert set(lines) == {"王建军", "李秀兰"}
    assert (lines["王建军"].days, lines["王建军"].amount) == (3, Decimal("300.00"))
    assert lines["王建军"].dates == ["2026-03-04", "2026-03-11", "2026-03-18"]
    assert (lines["李秀兰"].days, lines["李秀兰"].amount) == (1, Decimal("100.00"))
    assert (statement.days, statement.total, statement.daily_rate) == (
        4,
        Decimal("400.00"),
        Decimal("100.00"),
    )
    assert statement.status == AllowanceStatement.Status.DRAFT


def test_it_uses_the_congress_rate(month):
    t, _wang, _li = month
    office = actor_for(t.office)
    allowances.rate_set(actor=office, congress=t.congress, daily_rate=Decimal("120"))
    statement = allowances.statement_compute(
        actor=office, congress=t.congress, month=MARCH, now=APRIL_2
    )
    assert statement.total == Decimal("480.00")
    assert AllowanceRate.objects.get(congress=t.congress).daily_rate == Decimal("120")
    with pytest.raises(DomainError):
        allowances.rate_set(actor=office, congress=t.congress, daily_rate=Decimal("-1"))


def test_it_recomputes_a_draft_and_freezes_a_confirmed_statement(month):
    t, wang, li = month
    office = actor_for(t.office)
    statement = allowances.statement_compute(
        actor=office, congress=t.congress, month=MARCH, now=APRIL_2
    )
    late = Assignment.objects.get(person=li, status=Assignment.Status.ABSENT)
    Assignment.objects.filter(pk=late.pk).update(
        status=Assignment.Status.PRESENT, checked_in_at=at(dt.date(2026, 3, 25), 9)
    )
    statement = allowances.statement_compute(
        actor=office, congress=t.congress, month=MARCH, now=APRIL_2
    )
    assert _lines(statement)["李秀兰"].days == 2
    assert AllowanceStatement.objects.count() == 1
    confirmed = allowances.statement_confirm(actor=office, statement=statement, now=APRIL_2)
    assert confirmed.status == AllowanceStatement.Status.CONFIRMED
    assert confirmed.confirmed_by == t.office
    Assignment.objects.filter(person=wang).update(status=Assignment.Status.ABSENT)
    with pytest.raises(DomainError, match="已确认"):
        allowances.statement_compute(actor=office, congress=t.congress, month=MARCH, now=APRIL_2)
    frozen = AllowanceStatement.objects.get(pk=statement.pk)
    assert (frozen.days, frozen.total) == (5, Decimal("500.00"))
    assert _lines(frozen)["王建军"].days == 3


def test_it_confirms_a_month_only_after_it_ended(month):
    t, _wang, _li = month
    office = actor_for(t.office)
    march_20 = at(dt.date(2026, 3, 20), 10)
    statement = allowances.statement_compute(
        actor=office, congress=t.congress, month=MARCH, now=march_20
    )
    with pytest.raises(DomainError, match="还没有结束"):
        allowances.statement_confirm(actor=office, statement=statement, now=march_20)
    with pytest.raises(DomainError, match="尚未开始"):
        allowances.statement_compute(
            actor=office, congress=t.congress, month=dt.date(2026, 4, 1), now=march_20
        )


def test_it_leaves_allowances_to_the_congress_office(world, month):
    t, _wang, _li = month
    for user in (t.station_staff, t.leadership, t.deputy_user, world.b.office):
        with pytest.raises(NotAllowed):
            allowances.statement_compute(
                actor=actor_for(user), congress=t.congress, month=MARCH, now=APRIL_2
            )
    assert not AllowanceStatement.objects.exists()


def _sheet(data):
    return load_workbook(io.BytesIO(data)).active


def test_it_exports_text_cells_with_the_bank_details_masked(month):
    t, _wang, _li = month
    office = actor_for(t.office)
    statement = allowances.statement_compute(
        actor=office, congress=t.congress, month=MARCH, now=APRIL_2
    )
    sheet = _sheet(allowances.export(actor=office, statement=statement, reveal=False))
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == [
        "序号",
        "姓名",
        "值班天数",
        "值班日期",
        "每日标准（元）",
        "金额（元）",
        "开户银行",
        "户名",
        "银行账号",
    ]
    wang_row = next(r for r in rows if r[1] == "王建军")
    assert wang_row[2:] == [
        "3",
        "2026-03-04、2026-03-11、2026-03-18",
        "100.00",
        "300.00",
        "农村信用社",
        "王**",
        "****0123",
    ]
    assert rows[-1][1:3] == ["合计", "4"]
    assert all(c.data_type == "s" for row in sheet.iter_rows() for c in row if c.value is not None)
    assert ACCOUNT not in str(rows)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.REVEAL).exists()
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.EXPORT, object_id=str(statement.pk)
    ).exists()


def test_it_exports_the_bank_details_for_an_office_that_may_reveal_them_audited(month):
    t, _wang, _li = month
    office = actor_for(t.office)
    statement = allowances.statement_compute(
        actor=office, congress=t.congress, month=MARCH, now=APRIL_2
    )
    sheet = _sheet(allowances.export(actor=office, statement=statement, reveal=True))
    wang_row = next([c.value for c in row] for row in sheet.iter_rows() if row[1].value == "王建军")
    assert wang_row[7:] == ["王建军", ACCOUNT]
    assert sheet.cell(row=2, column=9).data_type == "s"  # a long number stays whole, as text
    reveals = AuditEntry.objects.filter(action=AuditEntry.Action.REVEAL)
    assert reveals.count() == 4  # holder and account of each of the two recipients
    assert all(ACCOUNT not in str(e.changes) for e in reveals)


def test_it_refuses_the_bank_details_to_an_office_that_may_not_reveal(month, monkeypatch):
    t, _wang, _li = month
    office = actor_for(t.office)
    statement = allowances.statement_compute(
        actor=office, congress=t.congress, month=MARCH, now=APRIL_2
    )
    monkeypatch.setitem(ROLE_PERMS, Role.OFFICE, ROLE_PERMS[Role.OFFICE] - {Perm.REVEAL_PERSONAL})
    with pytest.raises(NotAllowed):
        allowances.export(actor=office, statement=statement, reveal=True)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.REVEAL).exists()


def test_it_keeps_a_formula_as_text(month):
    t, wang, _li = month
    AllowanceRecipient.objects.filter(person=wang).update(bank_name='=HYPERLINK("x")')
    office = actor_for(t.office)
    statement = allowances.statement_compute(
        actor=office, congress=t.congress, month=MARCH, now=APRIL_2
    )
    sheet = _sheet(allowances.export(actor=office, statement=statement, reveal=False))
    cell = next(row[6] for row in sheet.iter_rows() if row[1].value == "王建军")
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s"


# --- Pages ---------------------------------------------------------------------------------------


def test_it_computes_confirms_and_exports_through_the_pages(world, month):
    t, _wang, _li = month
    client = world.client_for(t.office, Role.OFFICE)
    with time_machine.travel(APRIL_2, tick=False):
        home = client.get(reverse("duty:allowance_home")).content.decode()
        assert t.congress.name in home
        response = client.post(
            reverse("duty:allowance_compute", args=[t.congress.pk]), {"month": "2026-03"}
        )
        statement = AllowanceStatement.objects.get()
        assert response["Location"] == reverse("duty:allowance_statement", args=[statement.pk])
        page = client.get(response["Location"]).content.decode()
        assert "王建军" in page and "****0123" in page and ACCOUNT not in page
        client.post(reverse("duty:allowance_confirm", args=[statement.pk]))
        again = client.post(reverse("duty:allowance_recompute", args=[statement.pk]), follow=True)
        assert "该月清单已确认，不能重新计算" in again.content.decode()
        download = client.get(reverse("duty:allowance_export", args=[statement.pk]))
        assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    statement.refresh_from_db()
    assert statement.status == AllowanceStatement.Status.CONFIRMED


def test_it_refuses_a_bad_month_and_changes_nothing(world, month):
    t, _wang, _li = month
    client = world.client_for(t.office, Role.OFFICE)
    response = client.post(
        reverse("duty:allowance_compute", args=[t.congress.pk]), {"month": "三月"}, follow=True
    )
    assert "月份格式应为 2026-03" in response.content.decode()
    assert not AllowanceStatement.objects.exists()


def test_it_sets_the_rate_with_clear_messages(world, month):
    t, _wang, _li = month
    client = world.client_for(t.office, Role.OFFICE)
    url = reverse("duty:allowance_rate", args=[t.congress.pk])
    bad = client.post(url, {"daily_rate": "-5"})
    assert bad.status_code == 200 and "补贴标准不能为负数" in bad.content.decode()
    assert not AllowanceRate.objects.exists()
    assert client.post(url, {"daily_rate": "150", "note": "县人大常委会决定"}).status_code == 302
    assert AllowanceRate.objects.get().daily_rate == Decimal("150")


def test_it_keeps_bank_details_masked_in_forms_and_reveals_them_audited(world, month):
    t, wang, _li = month
    recipient = AllowanceRecipient.objects.get(person=wang)
    client = world.client_for(t.office, Role.OFFICE)
    edit = client.get(reverse("duty:recipient_edit", args=[recipient.pk])).content.decode()
    assert ACCOUNT not in edit and "****0123" in edit
    detail = client.get(reverse("duty:recipient_detail", args=[recipient.pk])).content.decode()
    assert ACCOUNT not in detail
    listing = client.get(reverse("duty:recipient_list")).content.decode()
    assert ACCOUNT not in listing and "****0123" in listing
    revealed = client.post(
        reverse("duty:recipient_reveal", args=[recipient.pk]), {"field": "bank_account"}
    )
    assert ACCOUNT in revealed.content.decode()
    assert (
        AuditEntry.objects.filter(
            action=AuditEntry.Action.REVEAL, object_id=str(recipient.pk)
        ).count()
        == 1
    )


def test_it_adds_a_recipient_and_keeps_his_account_when_left_blank(world, month):
    t, _wang, _li = month
    client = world.client_for(t.office, Role.OFFICE)
    newcomer = PersonFactory(name="孙代表", region=t.region)
    data = {"congress": t.congress.pk, "person": newcomer.pk, "bank_name": "邮储银行",
            "account_holder": "孙代表", "bank_account": "12345", "is_active": "on", "note": ""}  # fmt: skip
    bad = client.post(reverse("duty:recipient_create"), data)
    assert bad.status_code == 200 and "银行账号应为12到30位数字" in bad.content.decode()
    data["bank_account"] = "6217 0000 1111 2222"
    assert client.post(reverse("duty:recipient_create"), data).status_code == 302
    recipient = AllowanceRecipient.objects.get(person=newcomer)
    assert recipient.bank_account == "6217000011112222"
    data.update(bank_account="", account_holder="", bank_name="邮政储蓄银行")
    client.post(reverse("duty:recipient_edit", args=[recipient.pk]), data)
    recipient.refresh_from_db()
    assert (recipient.bank_name, recipient.bank_account) == ("邮政储蓄银行", "6217000011112222")


def test_it_keeps_the_allowance_pages_from_everybody_but_the_office(world, month):
    t, _wang, _li = month
    url = reverse("duty:allowance_congress", args=[t.congress.pk])
    for user, role in (
        (t.station_staff, Role.STATION),
        (t.leadership, Role.LEADERSHIP),
        (world.b.office, Role.OFFICE),
    ):
        assert world.client_for(user, role).get(url).status_code == 404
