"""来电核验: staff verify a caller by case number and PIN (or the phone he left), see his case as
he would, and record his rating on his behalf; wrong attempts are throttled per case number
and audited, and say nothing of which part was wrong (CASE-1, CASE-7, SEC-5)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lianxin.accounts.models import Role
from lianxin.audit.models import AuditEntry
from lianxin.cases import services
from lianxin.cases.models import Case, CaseCitizen, CaseEvent
from tests.cases.conftest import Personas, file

pytestmark = pytest.mark.django_db
URL = "/staff/cases/phone/"
GENERIC = "编号与查询密码（或手机号码）不一致"


def awaiting_rating(a: Personas, case: Case) -> Case:
    t = a.t
    case = services.confirm(who=a.deputy, case=case)
    case = services.triage(who=a.office, case=case, scope=Case.Scope.TOWNSHIP)
    case = services.dispatch(who=a.office, case=case, lead=t.unit)
    case = services.accept(who=a.unit, case=case)
    case = services.reply(who=a.unit, case=case, text="已更换路灯三盏。", solved=True)
    return services.approve_reply(who=a.deputy, case=case)


def check(client, number, secret):
    return client.post(URL, {"step": "check", "number": number, "secret": secret})


def wrong(pin: str) -> str:
    return "000000" if pin != "000000" else "111111"


def test_station_staff_verify_a_caller_by_pin_and_see_his_case_as_he_does(world, a):
    receipt = file(world.a, text="我叫张三，电话13812345678，村口路灯坏了。", name="张三")
    services.confirm(who=a.deputy, case=receipt.case)
    services.triage(who=a.office, case=receipt.case, scope=Case.Scope.TOWNSHIP, note="内部意见")
    client = world.client_for(world.a.station_staff, Role.STATION)
    assert client.get(URL).status_code == 200
    response = check(client, receipt.case.number, receipt.pin)
    assert response.status_code == 302 and response["Location"] == URL
    html = client.get(URL).content.decode()
    assert 'data-testid="verified"' in html and receipt.case.number in html
    assert "凭查询密码" in html
    assert "乡镇办理" in html and "代表已受理您反映的问题。" in html  # the public steps
    for secret in ("13812345678", "张三", "内部意见"):
        assert secret not in html, secret
    assert "张*" in html
    entry = AuditEntry.objects.filter(note="来电核验").latest("pk")
    assert entry.object_id == str(receipt.case.pk)
    assert entry.changes == {"number": receipt.case.number, "result": "verified", "by": "pin"}
    assert receipt.pin not in str(entry.changes)


def test_a_caller_is_also_verified_by_the_phone_number_he_left(world):
    receipt = file(world.a, phone="13812345678")
    client = world.client_for(world.a.office, Role.OFFICE)
    assert check(client, receipt.case.number, "138-1234-5678").status_code == 302
    assert "凭预留手机号码" in client.get(URL).content.decode()


def test_a_wrong_number_and_a_wrong_pin_get_the_same_answer_and_are_audited(world):
    receipt = file(world.a)
    client = world.client_for(world.a.station_staff, Role.STATION)
    bad_pin = check(client, receipt.case.number, wrong(receipt.pin))
    bad_number = check(client, "410000-2026-99999", receipt.pin)
    bad_phone = check(client, receipt.case.number, "13900000000")
    for response in (bad_pin, bad_number, bad_phone):
        html = response.content.decode()
        assert response.status_code == 400 and GENERIC in html
        assert 'data-testid="verified"' not in html
    results = list(
        AuditEntry.objects.filter(note="来电核验").order_by("pk").values_list("changes", flat=True)
    )
    assert [r["result"] for r in results] == ["failed", "failed", "failed"]
    assert "by" not in results[0]


def test_bad_input_is_refused_with_a_message_and_counts_nothing(world):
    receipt = file(world.a)
    client = world.client_for(world.a.station_staff, Role.STATION)
    response = check(client, receipt.case.number, "12ab")
    assert response.status_code == 400
    assert "请输入6位查询密码或11位手机号码" in response.content.decode()
    empty = client.post(URL, {"step": "check", "number": "", "secret": ""})
    assert "请填写来电群众报出的意见编号" in empty.content.decode()
    assert not AuditEntry.objects.filter(note="来电核验").exists()


def test_wrong_attempts_are_throttled_per_case_number(world, settings):
    settings.LIANXIN_PORTAL_LIMITS = {"PHONE_CHECK_FAILURES_PER_CASE": 3}
    receipt = file(world.a)
    station = world.client_for(world.a.station_staff, Role.STATION)
    for guess in ["000001", "000002", "000003"]:
        if guess != receipt.pin:
            check(station, receipt.case.number, guess)
    # Another member of staff, and even the right PIN: the case number rests for an hour.
    office = world.client_for(world.a.office, Role.OFFICE)
    refused = check(office, receipt.case.number, receipt.pin)
    assert refused.status_code == 400 and "错误的次数太多" in refused.content.decode()
    assert "result" in AuditEntry.objects.filter(note="来电核验").latest("pk").changes
    assert AuditEntry.objects.filter(note="来电核验").latest("pk").changes["result"] == "throttled"
    other = file(world.a)  # another case is not held up
    assert check(office, other.case.number, other.pin).status_code == 302


def test_staff_record_a_verified_callers_rating_on_his_behalf(world, a):
    receipt = file(world.a)
    case = awaiting_rating(a, receipt.case)
    client = world.client_for(world.a.station_staff, Role.STATION)
    check(client, case.number, receipt.pin)
    html = client.get(URL).content.decode()
    assert 'data-testid="phone-rate-form"' in html and "已更换路灯三盏。" in html
    missing = client.post(URL, {"step": "rate", "rate-rating": "dissatisfied", "rate-reason": ""})
    assert missing.status_code == 400 and "请记录群众不满意的原因" in missing.content.decode()
    assert Case.objects.get(pk=case.pk).status == Case.Status.AWAITING_RATING
    done = client.post(URL, {"step": "rate", "rate-rating": "basically", "rate-reason": ""})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.rating == Case.Rating.BASICALLY
    citizen = CaseCitizen.objects.get(pk=receipt.citizen.pk)
    assert citizen.rating == Case.Rating.BASICALLY
    event = CaseEvent.objects.filter(case=case, action="rate").get()
    assert event.data["by_phone"] == "pin" and event.actor == world.a.station_staff
    assert "电话评价（已凭查询密码核验）" in event.note
    after = client.get(URL).content.decode()
    assert 'data-testid="phone-rate-form"' not in after and "基本满意" in after


def test_dissatisfied_by_phone_reopens_the_case_with_the_reason(world, a):
    receipt = file(world.a)
    case = awaiting_rating(a, receipt.case)
    client = world.client_for(world.a.office, Role.OFFICE)
    check(client, case.number, receipt.pin)
    client.post(URL, {"step": "rate", "rate-rating": "dissatisfied", "rate-reason": "只修了一盏"})
    case.refresh_from_db()
    assert case.status == Case.Status.HANDLING and case.reopen_count == 1
    assert "只修了一盏" in CaseEvent.objects.get(case=case, action="rate").note


def test_a_rating_needs_a_verification_first(world, a):
    receipt = file(world.a)
    case = awaiting_rating(a, receipt.case)
    client = world.client_for(world.a.station_staff, Role.STATION)
    response = client.post(URL, {"step": "rate", "rate-rating": "satisfied"})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == Case.Status.AWAITING_RATING
    check(client, case.number, receipt.pin)
    client.post(URL, {"step": "clear"})  # 结束核验
    client.post(URL, {"step": "rate", "rate-rating": "satisfied"})
    assert Case.objects.get(pk=case.pk).status == Case.Status.AWAITING_RATING


def test_a_unit_verifies_a_caller_but_never_rates_its_own_work(world, a):
    receipt = file(world.a)
    case = awaiting_rating(a, receipt.case)
    client = world.client_for(world.a.unit_staff, Role.UNIT)
    check(client, case.number, receipt.pin)
    html = client.get(URL).content.decode()
    assert 'data-testid="verified"' in html
    assert 'data-testid="phone-rate-form"' not in html and 'data-testid="rate-elsewhere"' in html
    client.post(URL, {"step": "rate", "rate-rating": "satisfied"})
    assert Case.objects.get(pk=case.pk).status == Case.Status.AWAITING_RATING


def test_staff_outside_the_cases_reach_see_its_public_progress_but_do_not_rate(world, a):
    receipt = file(world.a)
    case = awaiting_rating(a, receipt.case)
    client = world.client_for(world.b.station_staff, Role.STATION)
    check(client, case.number, receipt.pin)
    html = client.get(URL).content.decode()
    assert 'data-testid="verified"' in html and 'data-testid="phone-rate-form"' not in html
    client.post(URL, {"step": "rate", "rate-rating": "satisfied"})
    assert Case.objects.get(pk=case.pk).status == Case.Status.AWAITING_RATING


def test_deputies_and_leadership_have_no_phone_desk(world):
    for user, role in ((world.a.deputy_user, Role.DEPUTY), (world.a.leadership, Role.LEADERSHIP)):
        assert world.client_for(user, role).get(URL).status_code == 404
    assert reverse("cases:phone_check") == URL


def test_a_citizen_of_a_merged_case_is_verified_by_his_own_number(world, a):
    first, second = file(world.a), file(world.a, phone="13900001111")
    services.confirm(who=a.deputy, case=first.case)
    services.confirm(who=a.deputy, case=second.case)
    services.merge(who=a.office, case=first.case, into=second.case)
    found = services.verify_caller(first.case.number, first.pin)
    assert found is not None and found[0].case_id == second.case.pk
    assert services.verify_caller(second.case.number, first.pin) is None
    client = world.client_for(world.a.station_staff, Role.STATION)
    assert check(client, first.case.number, first.pin).status_code == 302
    assert second.case.number in client.get(URL).content.decode()
