"""The calendar API: every role reads it; only the system administrator writes a year."""

import pytest

from lianxin.accounts.models import Role
from lianxin.holidays.models import CalendarDay, HolidayYear

pytestmark = pytest.mark.django_db


def test_it_lets_a_deputy_read_the_days_of_a_year(world):
    client = world.client_for(world.a.deputy_user, Role.DEPUTY)
    response = client.get("/api/v1/calendar-days/", {"year": 2026, "kind": "workday"})
    assert response.status_code == 200
    dates = [row["date"] for row in response.json()["results"]]
    assert "2026-10-10" in dates and "2026-09-20" in dates
    year = client.get("/api/v1/calendar-years/2026/").json()
    assert year["source"] == "package"
    assert {"date": "2026-10-01", "kind": "holiday", "name": "国庆节"} in year["days"]


def test_it_refuses_writes_to_anybody_but_the_system_administrator(world):
    client = world.client_for(world.a.office, Role.OFFICE)
    response = client.post(
        "/api/v1/calendar-years/",
        {"year": 2027, "days": [{"date": "2027-10-01", "kind": "holiday"}]},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not HolidayYear.objects.filter(year=2027).exists()


def test_it_lets_the_system_administrator_write_a_year(world):
    client = world.client_for(world.sysadmin, Role.SYSTEM_ADMIN)
    payload = {
        "year": 2027,
        "notice": "国办通知",
        "days": [
            {"date": "2027-10-01", "kind": "holiday", "name": "国庆节"},
            {"date": "2027-10-09", "kind": "workday", "name": "国庆节"},
        ],
    }
    response = client.post("/api/v1/calendar-years/", payload, content_type="application/json")
    assert response.status_code == 200, response.content
    assert len(response.json()["days"]) == 2
    payload["days"] = payload["days"][:1]
    response = client.put("/api/v1/calendar-years/2027/", payload, content_type="application/json")
    assert response.status_code == 200
    assert CalendarDay.objects.filter(date__year=2027).count() == 1


def test_it_answers_a_bad_day_in_the_one_error_shape(world):
    client = world.client_for(world.sysadmin, Role.SYSTEM_ADMIN)
    response = client.post(
        "/api/v1/calendar-years/",
        {"year": 2027, "days": [{"date": "2027-10-08", "kind": "workday"}]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "error" in response.json()
