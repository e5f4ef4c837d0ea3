"""The closed loop through /api/v1/ (API-1) and Open311 GeoReport v2 (API-2)."""

from __future__ import annotations

import json

import pytest

from lianxin.cases.models import Case
from lianxin.cases.open311 import new_integrator
from tests.cases.conftest import category_for, file

pytestmark = pytest.mark.django_db


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_a_case_walks_the_whole_loop_through_the_api(world):
    t = world.a
    station = world.client_for(t.station_staff)
    made = post(station, "/api/v1/cases/", {
        "channel": "reception", "region": t.village.pk, "category": category_for(t).pk,
        "text": "村里的桥栏杆断了，电话13812345678", "station": t.room.pk, "deputy": t.deputy.pk,
        "name": "赵六", "phone": "13812345678", "status": "archived", "number": "X-1",
    })  # fmt: skip
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["case"]["status"] == "submitted" and body["case"]["number"] != "X-1"
    assert len(body["pin"]) == 6 and len(body["token"]) >= 32
    assert "13812345678" not in made.content.decode()
    case_id = body["case"]["id"]
    url = f"/api/v1/cases/{case_id}/transition/"
    steps = [
        (t.deputy_user, {"action": "confirm"}),
        (t.office, {"action": "triage", "scope": "township"}),
        (t.office, {"action": "dispatch", "lead": t.unit.pk}),
        (t.unit_staff, {"action": "accept"}),
        (t.unit_staff, {"action": "reply", "text": "已修复栏杆。", "solved": True}),
        (t.deputy_user, {"action": "approve_reply"}),
        (t.station_staff, {"action": "rate", "rating": "satisfied"}),
        (t.station_staff, {"action": "return_visit", "note": "电话回访满意。"}),
        (t.office, {"action": "archive"}),
    ]
    for user, step in steps:
        response = post(world.client_for(user), url, step)
        assert response.status_code == 200, (step, response.content)
    case = Case.objects.get(pk=case_id)
    assert case.status == Case.Status.ARCHIVED
    events = world.client_for(t.office).get(f"/api/v1/cases/{case_id}/events/").json()
    assert [e["action"] for e in events][-1] == "archive"


def test_the_api_answers_409_to_the_second_actor_and_404_outside_reach(world):
    t = world.a
    case = file(t).case
    office = world.client_for(t.office)
    assert post(world.client_for(t.deputy_user), f"/api/v1/cases/{case.pk}/transition/",
                {"action": "confirm"}).status_code == 200  # fmt: skip
    again = post(world.client_for(t.deputy_user), f"/api/v1/cases/{case.pk}/transition/",
                 {"action": "confirm"})  # fmt: skip
    assert again.status_code == 409 and "已被他人处理" in again.json()["error"]["message"]
    outsider = world.client_for(world.b.office)
    assert outsider.get(f"/api/v1/cases/{case.pk}/").status_code == 404
    assert post(outsider, f"/api/v1/cases/{case.pk}/transition/",
                {"action": "triage", "scope": "township"}).status_code == 404  # fmt: skip
    missing = post(office, f"/api/v1/cases/{case.pk}/transition/", {"action": "triage"})
    assert missing.status_code == 400 and "scope" in missing.json()["error"]["fields"]
    listed = office.get("/api/v1/cases/").json()
    assert [c["number"] for c in listed["results"]] == [case.number]
    assert "13812345678" not in json.dumps(listed)


def test_open311_lists_services_and_files_a_request_with_a_key(world):
    t = world.a
    category = category_for(t)
    anonymous = world.client_for(world.sysadmin)
    anonymous.logout()
    services_json = anonymous.get("/open311/v2/services.json", {"jurisdiction_id": t.village.code})
    assert services_json.status_code == 200
    assert services_json.json()[0]["service_code"] == category.code
    assert anonymous.get("/open311/v2/services.json").status_code == 400
    definition = anonymous.get(f"/open311/v2/services/{category.code}.json",
                               {"jurisdiction_id": t.village.code})  # fmt: skip
    assert definition.json() == {"service_code": category.code, "attributes": []}

    request = {"jurisdiction_id": t.village.code, "service_code": category.code,
               "description": "路灯不亮，我叫张三，电话13812345678", "lat": 33.9, "long": 113.2,
               "address_string": "甲镇一村村口"}  # fmt: skip
    assert anonymous.post("/open311/v2/requests.json", request).status_code == 403
    _integrator, key = new_integrator("12345热线", t.county)
    filed = anonymous.post("/open311/v2/requests.json", {**request, "api_key": key})
    assert filed.status_code == 201, filed.content
    number = filed.json()[0]["service_request_id"]
    case = Case.objects.get(number=number)
    assert case.channel == Case.Channel.OPEN311 and case.region == t.village

    one = anonymous.get(f"/open311/v2/requests/{number}.json").json()[0]
    assert one["status"] == "open" and one["service_code"] == category.code
    assert "13812345678" not in one["description"] and "张三" not in one["description"]
    listed = anonymous.get("/open311/v2/requests.json", {"jurisdiction_id": t.county.code})
    assert [r["service_request_id"] for r in listed.json()] == [number]
    elsewhere = anonymous.post("/open311/v2/requests.json",
                               {**request, "api_key": key, "jurisdiction_id": world.b.village.code})  # fmt: skip
    assert elsewhere.status_code == 400


def test_open311_maps_closed_states_and_hides_sensitive_cases(world):
    from lianxin.cases import services
    from tests.cases.conftest import Personas

    a = Personas(world.a)
    case = services.confirm(who=a.deputy, case=file(world.a).case)
    services.decline(who=a.office, case=case, explanation="属于法院职责，请向法院反映。")
    hidden = file(world.a).case
    Case.objects.filter(pk=hidden.pk).update(sensitive=True)
    client = world.client_for(world.sysadmin)
    client.logout()
    rows = client.get("/open311/v2/requests.json", {"jurisdiction_id": world.a.county.code}).json()
    assert [(r["service_request_id"], r["status"]) for r in rows] == [(case.number, "closed")]
    assert rows[0]["status_notes"] == "属于法院职责，请向法院反映。"
    assert client.get(f"/open311/v2/requests/{hidden.number}.json").status_code == 404
