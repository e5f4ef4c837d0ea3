"""In a browser at 375 px (UI.md): similar cases appear as a citizen types and he joins one
(CASE-2); staff verify a caller and record his rating (CASE-1, CASE-7); a unit fills its
reply from a template (CASE-5); a unit's and a deputy's own figures (CASE-10)."""

import importlib
import os

import pytest
from django.apps import apps
from django.test import Client

from lianxin.accounts.models import Role
from lianxin.cases import services
from lianxin.cases.models import Case, CaseCitizen, Category, ReplyTemplate
from lianxin.regions.models import Region

pytestmark = pytest.mark.django_db(transaction=True)

PHONE_WIDTH = 375
SHOTS = os.environ.get("LIANXIN_SHOTS", "")


@pytest.fixture(autouse=True)
def _national_divisions(live_server):
    if not Region.objects.filter(code="41").exists():
        migration = importlib.import_module(
            "lianxin.regions.migrations.0002_load_national_divisions"
        )
        migration.load(apps, None)


@pytest.fixture
def world(live_server):
    from tests.factories import make_world

    return make_world()


def _log_in(page, live_server, user, role):
    client = Client()
    client.force_login(user)
    session = client.session
    session["lianxin_assignment_id"] = user.assignments.get(role=role).pk
    session.save()
    page.context.add_cookies(
        [{"name": "sessionid", "value": session.session_key, "url": live_server.url}]
    )


def _fits(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} scrolls sideways: {width}px"


def _awaiting_rating(world, receipt):
    from tests.cases.conftest import Personas

    a = Personas(world.a)
    case = services.confirm(who=a.deputy, case=receipt.case)
    case = services.triage(who=a.office, case=case, scope=Case.Scope.TOWNSHIP)
    case = services.dispatch(who=a.office, case=case, lead=world.a.unit)
    case = services.accept(who=a.unit, case=case)
    case = services.reply(who=a.unit, case=case, text="已更换路灯三盏。", solved=True)
    return services.approve_reply(who=a.deputy, case=case)


def test_similar_cases_appear_as_the_citizen_types_and_he_joins_one(live_server, world, phone):
    from tests.cases.conftest import category_for, file

    roads = category_for(world.a)
    existing = file(
        world.a, text="我叫王小明，村口的路灯坏了三个月，晚上出行很不便。", category=roads
    ).case
    phone.goto(f"{live_server.url}/p/d/{world.a.deputy.public_key}/opinion/")
    phone.get_by_label("问题类别").select_option(str(roads.pk))
    phone.get_by_label("您反映的问题").press_sequentially("村口路灯坏了，晚上很黑", delay=20)
    similar = phone.locator("#lx-similar [data-testid=similar-cases]")
    similar.wait_for(state="visible", timeout=10_000)
    assert existing.number in similar.inner_text()
    assert "王小明" not in similar.inner_text()
    _fits(phone, "opinion-typing-similar-375")
    similar.get_by_text("附议这件", exact=True).click()
    phone.get_by_role("button", name="下一步").click()
    phone.wait_for_load_state()
    chosen = phone.locator(f"input[name=join][value='{existing.number}']")
    assert chosen.is_checked()
    phone.get_by_role("button", name="提交", exact=True).click()
    phone.wait_for_load_state()
    assert phone.get_by_test_id("case-number").inner_text() == existing.number
    assert CaseCitizen.objects.filter(case=existing, joined="seconded").count() == 1
    assert Case.objects.count() == 1


def test_station_staff_verify_a_caller_and_record_his_rating(live_server, world, phone):
    from tests.cases.conftest import file

    receipt = file(world.a)
    case = _awaiting_rating(world, receipt)
    _log_in(phone, live_server, world.a.station_staff, Role.STATION)
    phone.goto(f"{live_server.url}/staff/cases/phone/")
    phone.get_by_label("意见编号").fill(case.number)
    phone.get_by_label("查询密码或预留手机号码").fill("000000" if receipt.pin != "000000" else "1")
    phone.get_by_role("button", name="核验", exact=True).click()
    phone.wait_for_load_state()
    assert phone.get_by_text("编号与查询密码（或手机号码）不一致").is_visible()
    phone.get_by_label("查询密码或预留手机号码").fill(receipt.pin)
    phone.get_by_role("button", name="核验", exact=True).click()
    phone.wait_for_load_state()
    assert phone.get_by_test_id("verified").is_visible()
    assert phone.get_by_text("已更换路灯三盏。").first.is_visible()
    _fits(phone, "phone-check-verified-375")
    phone.get_by_label("满意", exact=True).check()
    phone.get_by_role("button", name="登记评价").click()
    phone.wait_for_load_state()
    assert phone.get_by_text("已代为登记群众的评价。").is_visible()
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.rating == Case.Rating.SATISFIED


def test_a_unit_fills_its_reply_from_a_template(live_server, world, phone):
    from tests.cases.conftest import Personas, file

    a = Personas(world.a)
    case = services.confirm(who=a.deputy, case=file(world.a).case)
    case = services.triage(who=a.office, case=case, scope=Case.Scope.TOWNSHIP)
    case = services.dispatch(who=a.office, case=case, lead=world.a.unit)
    case = services.accept(who=a.unit, case=case)
    ReplyTemplate.objects.create(
        region=world.a.region,
        category=Category.objects.get(code="roads"),
        title="路灯维修",
        text="您反映的问题（编号{编号}），{承办单位}已安排维修。",
    )
    _log_in(phone, live_server, world.a.unit_staff, Role.UNIT)
    phone.goto(f"{live_server.url}/staff/cases/{case.pk}/")
    phone.locator("button[data-bs-target='#lx-act-reply']").click()
    form = phone.locator("form[data-action=reply]")
    form.wait_for(state="visible")
    form.get_by_label("答复模板").select_option(label="路灯维修")
    form.get_by_test_id("apply-template").click()
    expected = f"您反映的问题（编号{case.number}），{world.a.unit.name}已安排维修。"
    phone.wait_for_function(
        "(want) => document.querySelector('form[data-action=reply] textarea').value === want",
        arg=expected,
    )
    assert phone.url.endswith(f"/staff/cases/{case.pk}/")  # filled in place, no reload
    _fits(phone, "reply-template-375")
    form.get_by_label("是", exact=True).check()
    form.get_by_role("button", name="答复").click()
    phone.wait_for_load_state()
    assert Case.objects.get(pk=case.pk).reply == expected


def test_a_units_and_a_deputys_figures_fit_a_phone(live_server, world, phone):
    _log_in(phone, live_server, world.a.unit_staff, Role.UNIT)
    phone.goto(f"{live_server.url}/staff/cases/unit-figures/")
    assert phone.get_by_test_id("unit-totals").is_visible()
    _fits(phone, "unit-figures-375")
    phone.context.clear_cookies()
    _log_in(phone, live_server, world.a.deputy_user, Role.DEPUTY)
    phone.goto(f"{live_server.url}/m/cases/figures/")
    assert phone.get_by_test_id("my-figures").is_visible()
    _fits(phone, "my-figures-375")
