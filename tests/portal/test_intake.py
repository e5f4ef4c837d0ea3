"""A citizen's opinion acknowledged by one INSERT into the intake table, its case registered
afterwards by a task or the sweep, with the number, link and PIN of the receipt (CASE-1,
SEC-5, SEC-2; issue 7, decision 0010)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lianxin.accounts.models import Role
from lianxin.cases import services
from lianxin.cases.models import Case, CaseCitizen
from lianxin.common.sweeps import registered
from lianxin.portal import intake
from lianxin.portal.forms import new_submission_key
from lianxin.portal.models import Intake
from tests.portal.conftest import file_opinion, receipt_of

pytestmark = pytest.mark.django_db

LAMP = "村口的路灯坏了三个月，晚上出行不便。"


@pytest.fixture
def queued(settings):
    """A deployment with a broker: the filing request only acknowledges (the task is queued
    on commit, which a test's transaction never reaches)."""
    settings.CELERY_TASK_ALWAYS_EAGER = False


def opinion(world, roads, *, key: str = "", **fields) -> services.Intake:
    return services.Intake(
        channel=Case.Channel.QR_STATION,
        region=world.a.village,
        category=roads,
        text=LAMP,
        station=world.a.room,
        submission_key=key or new_submission_key(),
        **fields,
    )


def station_url(world) -> str:
    return f"/p/s/{world.a.room.public_key}/opinion/"


def test_a_receive_writes_one_intake_and_no_case(world, roads, queued):
    with CaptureQueriesContext(connection) as queries:
        acknowledged = intake.receive(opinion(world, roads, name="张三", phone="13812345678"))
    assert acknowledged.created and acknowledged.number and len(acknowledged.pin) == 6
    assert Intake.objects.count() == 1 and Case.objects.count() == 0
    sql = [q["sql"].lstrip().upper() for q in queries]
    writes = [q for q in sql if q.startswith(("INSERT", "WITH"))]
    if connection.vendor == "postgresql":  # one statement: the counter and the intake
        assert len(writes) == 1 and "CASES_CASECOUNTER" in writes[0]
    else:  # the number counter's upsert and the intake
        assert len(writes) == 2
    row = Intake.objects.get()
    assert row.number == acknowledged.number and row.case is None


def test_register_files_the_case_with_the_receipts_number_link_and_pin(client, world, roads,
                                                                       queued):  # fmt: skip
    acknowledged = intake.receive(opinion(world, roads, name="张三", phone="13812345678"))
    row = Intake.objects.get()
    case = intake.register(row.pk)
    assert case is not None and case.number == acknowledged.number
    citizen = case.citizens.get()
    assert citizen.name == "张三" and citizen.phone == "13812345678"
    assert services.find_by_token(acknowledged.token) == citizen
    assert services.check_pin(case, acknowledged.pin) == citizen
    assert case.station == world.a.room and case.category == roads and case.due_at is not None
    row.refresh_from_db()
    assert row.case == case and row.registered_at is not None and row.last_error == ""
    html = client.get(f"/p/t/{acknowledged.token}/").content.decode()
    assert acknowledged.number in html and "正在登记" not in html


def test_registering_twice_files_one_case(world, roads, queued):
    intake.receive(opinion(world, roads))
    row = Intake.objects.get()
    first, second = intake.register(row.pk), intake.register(row.pk)
    assert first == second and Case.objects.count() == 1 and CaseCitizen.objects.count() == 1


def test_the_sweep_registers_an_intake_left_behind(world, roads, queued):
    acknowledged = intake.receive(opinion(world, roads))
    fresh = intake.receive(opinion(world, roads))
    Intake.objects.filter(number=acknowledged.number).update(
        received_at=timezone.now() - dt.timedelta(minutes=2)
    )
    sweep = registered()["portal.register_intakes"]
    assert sweep() == 1
    assert Case.objects.filter(number=acknowledged.number).exists()
    assert not Case.objects.filter(number=fresh.number).exists()  # its task may still run
    assert sweep() == 0  # idempotent
    assert Case.objects.count() == 1


def test_the_link_and_the_lookup_of_an_unregistered_opinion_say_it_is_being_registered(
    client, world, roads, queued
):
    response = file_opinion(client, station_url(world), category=roads, text=LAMP)
    number, pin, link = receipt_of(response)
    assert Case.objects.count() == 0 and Intake.objects.count() == 1
    page = client.get(link)
    assert page.status_code == 200 and "已受理，正在登记" in page.content.decode()
    assert number in page.content.decode() and "no-store" in page["Cache-Control"]
    found = client.post("/p/track/", {"number": number, "pin": pin})
    assert found.status_code == 200 and "已受理，正在登记" in found.content.decode()
    wrong = client.post(
        "/p/track/", {"number": number, "pin": "000000" if pin != "000000" else "1"}
    )
    assert wrong.status_code == 400 and "正在登记" not in wrong.content.decode()
    intake.register(Intake.objects.get().pk)
    html = client.get(link).content.decode()
    assert "正在登记" not in html and LAMP in html


def test_staff_verifying_a_caller_find_an_opinion_not_registered_yet(world, roads, queued):
    acknowledged = intake.receive(opinion(world, roads, phone="13812345678"))
    client = world.client_for(world.a.office, Role.OFFICE)
    body = {"step": "check", "number": acknowledged.number, "secret": acknowledged.pin}
    assert client.post("/staff/cases/phone/", body).status_code == 302
    assert Case.objects.filter(number=acknowledged.number).exists()


def test_the_same_one_time_key_twice_gives_one_intake_and_the_same_receipt(client, world, roads,
                                                                           queued):  # fmt: skip
    key = new_submission_key()
    first = receipt_of(file_opinion(client, station_url(world), key=key, category=roads, text=LAMP))
    again = file_opinion(client, station_url(world), key=key, category=roads, text=LAMP)
    assert receipt_of(again) == first
    assert "已经提交过" in again.content.decode()
    assert Intake.objects.count() == 1
    assert intake.receive(opinion(world, roads, key=key)).number == first[0]
    assert Intake.objects.count() == 1


def test_personal_data_is_not_stored_in_clear(world, roads, queued):
    intake.receive(opinion(world, roads, name="张三丰", phone="13812345678"))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT payload FROM {Intake._meta.db_table}")  # noqa: S608
        stored = str(cursor.fetchone()[0])
    assert "13812345678" not in stored and "张三丰" not in stored
    assert LAMP[:4] in stored or "\\u" in stored  # the opinion itself is there


def test_with_celery_eager_the_case_exists_right_after_the_post(client, world, roads):
    number, _pin, link = receipt_of(
        file_opinion(client, station_url(world), category=roads, text=LAMP)
    )
    assert Case.objects.get().number == number
    assert Intake.objects.get().case == Case.objects.get()
    assert "正在登记" not in client.get(link).content.decode()


def test_bad_input_acknowledges_nothing(client, world, roads, queued):
    response = file_opinion(client, station_url(world), category=roads, text=LAMP,
                            notify_by_sms="on")  # fmt: skip
    assert response.status_code == 200 and "手机号码" in response.content.decode()
    assert Intake.objects.count() == 0


def test_an_acknowledged_opinion_is_registered_even_if_its_category_was_retired(world, roads,
                                                                                queued):  # fmt: skip
    acknowledged = intake.receive(opinion(world, roads))
    roads.is_active = False
    roads.save(update_fields=["is_active"])
    case = intake.register(Intake.objects.get().pk)
    assert case is not None and case.number == acknowledged.number


def test_a_failed_registration_is_kept_on_the_intake_and_retried(world, roads, queued,
                                                                 monkeypatch):  # fmt: skip
    intake.receive(opinion(world, roads))
    row = Intake.objects.get()

    def broken(**kwargs):
        raise RuntimeError("database away")

    monkeypatch.setattr(services, "file_acknowledged", broken)
    assert intake.register(row.pk) is None
    row.refresh_from_db()
    assert row.case is None and row.attempts == 1 and "database away" in row.last_error
    monkeypatch.undo()
    assert intake.register(row.pk) is not None


def test_a_burst_of_filings_queues_one_drain_that_registers_them_all(
    world, roads, queued, monkeypatch, django_capture_on_commit_callbacks
):
    from lianxin.portal import tasks

    asked: list[int] = []
    monkeypatch.setattr(tasks.register_pending_task, "delay", lambda: asked.append(1))
    numbers = []
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            numbers.append(intake.receive(opinion(world, roads)).number)
    assert len(asked) == 1  # one drain for the burst, not one task per opinion
    assert Case.objects.count() == 0
    assert intake.register_pending() == 3
    assert sorted(Case.objects.values_list("number", flat=True)) == sorted(numbers)
    with django_capture_on_commit_callbacks(execute=True):
        later = intake.receive(opinion(world, roads))
    assert len(asked) == 2  # the drain ran: the next opinion asks for another
    assert intake.register_pending() == 1 and Case.objects.filter(number=later.number).exists()


def test_the_drain_leaves_a_failed_registration_to_the_sweep(world, roads, queued):
    failed = intake.receive(opinion(world, roads))
    Intake.objects.filter(number=failed.number).update(attempts=1, last_error="boom")
    fresh = intake.receive(opinion(world, roads))
    assert intake.register_pending() == 1
    assert Case.objects.filter(number=fresh.number).exists()
    assert not Case.objects.filter(number=failed.number).exists()
    Intake.objects.filter(number=failed.number).update(
        received_at=timezone.now() - dt.timedelta(minutes=2)
    )
    assert registered()["portal.register_intakes"]() == 1  # the sweep retries it


def test_numbers_run_on_past_five_digits_and_a_repeated_key_takes_none(world, roads, queued):
    """The congress's counter gives 00001, 00002, … and past 99999 six digits (CASE-1); a key
    acknowledged before takes no number (the statement or transaction fails whole)."""
    from lianxin.cases.models import CaseCounter

    first = intake.receive(opinion(world, roads))
    code, year, serial = first.number.rsplit("-", 2)
    assert serial == "00001" and year == str(timezone.localdate().year)
    counter = CaseCounter.objects.get()
    counter.last = 99_998
    counter.save()
    key = new_submission_key()
    assert intake.receive(opinion(world, roads, key=key)).number == f"{code}-{year}-99999"
    assert intake.receive(opinion(world, roads, key=key)).number == f"{code}-{year}-99999"
    assert intake.receive(opinion(world, roads)).number == f"{code}-{year}-100000"
    assert Intake.objects.count() == 3
