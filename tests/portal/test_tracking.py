"""The citizen follows his case by its secret link or by number and PIN, rates the reply, and
sees the case back in handling after 不满意; photos only for the link's holder and staff in
reach; a station's public record (CASE-1, CASE-7, CASE-9, SEC-2, SEC-5)."""

from __future__ import annotations

import pytest
from django.test import Client

from lianxin.accounts.models import Role
from lianxin.cases import services
from lianxin.cases.models import Case, CaseCitizen, CasePhoto
from tests.cases.conftest import file
from tests.portal.conftest import file_opinion, jpeg, receipt_of, to_awaiting_rating

pytestmark = pytest.mark.django_db

PERSONAL = "我叫张大山，电话13812345678，身份证410425199001011234，村口路灯坏了三个月。"


def filed(client, world, roads, text=PERSONAL, **data):
    url = f"/p/d/{world.a.deputy.public_key}/opinion/"
    response = file_opinion(client, url, category=roads, text=text, **data)
    number, pin, link = receipt_of(response)
    return Case.objects.get(number=number), pin, link


def test_it_shows_the_public_steps_without_personal_data(client, world, roads, a):
    case, _pin, link = filed(client, world, roads, name="张大山", phone="13912345678")
    services.confirm(who=a.deputy, case=case)
    services.triage(
        who=a.office, case=case, scope=Case.Scope.TOWNSHIP, note="内部：电话13912345678"
    )
    response = client.get(link)
    html = response.content.decode()
    assert response.status_code == 200
    assert case.number in html
    for secret in ("张大山", "13812345678", "410425199001011234", "13912345678", "内部："):
        assert secret not in html, secret
    assert "张**" in html  # the citizen's own name, masked
    assert "群众点单" in html and "定单" in html and "乡镇办理" in html
    assert "代表已受理您反映的问题。" in html
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]


def test_it_uses_the_labels_of_the_cases_congress(client, world, roads, a):
    from lianxin.cases.models import Procedure

    Procedure.objects.create(congress=world.a.congress, name="提派办评",
                             labels={"confirm": "代表提单", "submitted": "已提交待提单"})  # fmt: skip
    case, _pin, link = filed(client, world, roads, text="路灯坏了三个月")
    assert "已提交待提单" in client.get(link).content.decode()
    services.confirm(who=a.deputy, case=case)
    assert "代表提单" in client.get(link).content.decode()


def test_an_unknown_or_malformed_token_is_404(client, world):
    assert client.get("/p/t/" + "0" * 48 + "/").status_code == 404
    assert client.get("/p/t/short/").status_code == 404


def test_the_citizen_rates_dissatisfied_with_a_reason_and_sees_the_case_reopened(
    client, world, roads, a
):
    case, _pin, link = filed(client, world, roads, text="村口路灯坏了三个月")
    html = client.get(link).content.decode()
    assert 'data-testid="rating"' not in html  # not yet time to rate
    case = to_awaiting_rating(a, case)
    html = client.get(link).content.decode()
    assert 'data-testid="rating"' in html and "已更换路灯三盏。" in html

    refused = client.post(link, {"rating": Case.Rating.DISSATISFIED, "reason": ""})
    assert refused.status_code == 400
    assert "请说明不满意的原因" in refused.content.decode()
    assert Case.objects.get(pk=case.pk).status == Case.Status.AWAITING_RATING

    done = client.post(link, {"rating": Case.Rating.DISSATISFIED, "reason": "只修了一盏"})
    assert done.status_code == 302 and done["Location"] == link
    case.refresh_from_db()
    assert case.status == Case.Status.HANDLING and case.reopen_count == 1
    html = client.get(link).content.decode()
    assert 'data-testid="reopened"' in html and "办理中" in html
    assert "您的评价为不满意，已重新交办办理。" in html
    assert 'data-testid="rating"' not in html
    assert CaseCitizen.objects.get(case=case).rating == Case.Rating.DISSATISFIED

    again = client.post(link, {"rating": Case.Rating.SATISFIED})
    assert again.status_code == 409
    assert "不在评价阶段" in again.content.decode()


def test_the_citizen_rates_satisfied_and_the_case_closes(client, world, roads, a):
    case, _pin, link = filed(client, world, roads, text="村口路灯坏了三个月")
    to_awaiting_rating(a, case)
    assert client.post(link, {"rating": Case.Rating.SATISFIED}).status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.rating == Case.Rating.SATISFIED
    assert "您的评价：满意" in client.get(link).content.decode()


def test_it_looks_a_case_up_by_number_and_pin(client, world, roads):
    case, pin, _link = filed(client, world, roads)
    response = client.post("/p/track/", {"number": case.number, "pin": pin})
    html = response.content.decode()
    assert response.status_code == 200 and case.number in html
    assert "13812345678" not in html and "张大山" not in html
    wrong = client.post(
        "/p/track/", {"number": case.number, "pin": "000000" if pin != "000000" else "111111"}
    )
    assert wrong.status_code == 400 and "编号或查询密码不正确" in wrong.content.decode()
    assert client.post("/p/track/", {"number": case.number, "pin": "12ab"}).status_code == 400


def test_it_throttles_guessing_pins_for_one_case(client, world, roads, settings):
    settings.LIANXIN_PORTAL_LIMITS = {"LOOKUP_FAILURES_PER_CASE": 3}
    case, pin, _link = filed(client, world, roads)
    wrong = [f"{n:06d}" for n in range(10) if f"{n:06d}" != pin][:3]
    for guess in wrong:
        assert client.post("/p/track/", {"number": case.number, "pin": guess}).status_code == 400
    blocked = client.post("/p/track/", {"number": case.number, "pin": pin})
    assert blocked.status_code == 429
    assert "查询次数太多" in blocked.content.decode()


def test_it_serves_photos_to_the_links_holder_and_staff_in_reach_only(client, world, roads):
    case, _pin, link = filed(client, world, roads, photos=[jpeg()])
    _other, _pin2, other_link = filed(client, world, roads, text="另一件事：下水道堵了")
    photo = CasePhoto.objects.get(case=case)

    mine = client.get(f"{link}photos/{photo.pk}/")
    assert mine.status_code == 200
    assert mine["Content-Type"] == "image/jpeg"
    assert mine["X-Content-Type-Options"] == "nosniff"
    assert "private" in mine["Cache-Control"] and "no-store" in mine["Cache-Control"]
    assert b"".join(mine.streaming_content)[:2] == b"\xff\xd8"
    assert client.get(f"{other_link}photos/{photo.pk}/").status_code == 404

    staff_url = f"/p/photos/{photo.pk}/"
    assert world.client_for(world.a.office, Role.OFFICE).get(staff_url).status_code == 200
    assert world.client_for(world.a.station_staff, Role.STATION).get(staff_url).status_code == 200
    assert world.client_for(world.a.deputy_user, Role.DEPUTY).get(staff_url).status_code == 200
    assert world.client_for(world.b.office, Role.OFFICE).get(staff_url).status_code == 404
    assert world.client_for(world.a.unit_staff, Role.UNIT).get(staff_url).status_code == 404
    assert world.client_for(world.sysadmin, Role.SYSTEM_ADMIN).get(staff_url).status_code == 404
    anonymous = Client().get(staff_url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_a_seconding_citizen_sees_the_case_with_his_own_link(client, world, roads):
    first = file(world.a, text="村口的路灯坏了三个月，晚上出行不便。", category=roads)
    joined = services.second(case=first.case, name="李四", phone="13900001111")
    html = client.get(f"/p/t/{joined.token}/").content.decode()
    assert first.case.number in html and "附议" in html
    assert "李*" in html and "张三" not in html and "13812345678" not in html


def test_a_station_page_shows_recent_public_cases_and_figures(client, world, roads, a):
    visible = file(world.a, text="我叫张大山，电话13812345678，村口路灯坏了。", category=roads).case
    hidden = file(world.a, text="敏感：有人举报村干部", category=roads).case
    Case.objects.filter(pk=hidden.pk).update(sensitive=True)
    elsewhere = file(world.b, text="乙镇的事", category=roads).case
    services.confirm(who=a.deputy, case=visible)
    html = client.get(f"/p/s/{world.a.station.public_key}/").content.decode()
    assert "村口路灯坏了" in html
    assert "张大山" not in html and "13812345678" not in html
    assert "举报村干部" not in html and "乙镇的事" not in html
    assert elsewhere.number not in html
    assert 'data-testid="station-figures"' in html
    assert "响应率" in html and "解决率" in html and "满意率" in html


def test_a_station_page_pages_its_cases(client, world, roads):
    for i in range(12):
        file(world.a, text=f"第{i}件：不同的问题{i}", category=roads)
    url = f"/p/s/{world.a.room.public_key}/"
    first = client.get(url).content.decode()
    assert "第 1 / 2 页" in first and "第11件" in first and "第0件" not in first
    second = client.get(f"{url}?page=2").content.decode()
    assert "第0件" in second
    assert client.get(f"{url}?page=x").status_code == 200


def test_it_never_writes_a_tracking_token_into_the_log(client, world, roads, a, caplog):
    case, _pin, link = filed(client, world, roads, text="村口路灯坏了三个月")
    token = link.split("/")[3]
    to_awaiting_rating(a, case)
    with caplog.at_level("INFO"):
        client.post(link, {"rating": Case.Rating.DISSATISFIED, "reason": ""})  # 400
        client.get(f"{link}photos/987654/")  # 404
    assert caplog.records, "Django logs 4xx answers"
    assert all(token not in r.getMessage() for r in caplog.records)
    assert any("/p/t/…" in r.getMessage() for r in caplog.records)


def test_public_notes_keep_their_chinese_punctuation(client, world, roads, a):
    case, _pin, link = filed(client, world, roads, text="村口路灯坏了，三个月了。")
    services.confirm(who=a.deputy, case=case)
    html = client.get(link).content.decode()
    assert "村口路灯坏了，三个月了。" in html


def test_gunicorns_access_log_masks_tracking_tokens():
    import datetime

    from lianxin.common.logging import gunicorn_logger_class

    class Config:
        errorlog = "-"
        loglevel = "info"
        accesslog = None
        syslog = False
        logconfig = logconfig_dict = logconfig_json = None
        capture_output = False
        disable_redirect_access_to_syslog = True
        user = group = 0
        access_log_format = "%(r)s"

    logger = gunicorn_logger_class()(Config())
    token = "a" * 48

    class Response:
        status = "200 OK"
        sent = 10
        headers = ()

    environ = {"REQUEST_METHOD": "GET", "RAW_URI": f"/p/t/{token}/", "PATH_INFO": f"/p/t/{token}/",
               "SERVER_PROTOCOL": "HTTP/1.1", "QUERY_STRING": ""}  # fmt: skip
    atoms = logger.atoms(Response(), [], environ, datetime.timedelta(seconds=1))
    assert token not in str(atoms.values())
    assert atoms["r"] == "GET /p/t/…/ HTTP/1.1"
