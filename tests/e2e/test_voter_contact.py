"""A deputy records a contact with a voter on his phone (VOT-1, UI.md): at 375 px he logs in,
opens 联系选民, taps 记录联系, picks a voter of his list, writes what was said and saves — and
sees the contact listed; nothing is wider than the phone."""

import importlib
import os

import pytest
from django.apps import apps
from django.utils import timezone

from lianxin.activities.models.voters import FixedVoter, VoterContact
from lianxin.regions.models import Region
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

PHONE_WIDTH = 375
THUMB = 44
SHOTS = os.environ.get("LIANXIN_SHOTS", "")


@pytest.fixture(autouse=True)
def _national_divisions(live_server):
    if not Region.objects.filter(code="41").exists():
        migration = importlib.import_module(
            "lianxin.regions.migrations.0002_load_national_divisions"
        )
        migration.load(apps, None)


def _fits(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} scrolls sideways: {width}px"


def test_a_deputy_records_a_voter_contact_on_his_phone(live_server, phone):
    from tests.factories import make_world

    world = make_world()
    t = world.a
    FixedVoter.objects.create(deputy=t.deputy, year=timezone.localdate().year, region=t.village,
                              name="李大爷", phone="13912345678", address="一组")  # fmt: skip
    phone.goto(f"{live_server.url}/accounts/login/?next=/m/voters/")
    phone.get_by_label("账号").fill(t.deputy_user.username)
    phone.get_by_label("密码").fill(PASSWORD)
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_load_state()
    assert phone.get_by_test_id("voter-progress").inner_text().startswith("已确定 1/10")
    _fits(phone, "voters-375")
    button = phone.get_by_test_id("contact-new")
    assert button.bounding_box()["height"] >= THUMB
    button.click()
    phone.wait_for_load_state()
    phone.get_by_label("联系的选民").select_option(label="李大爷 · " + t.village.name)
    phone.get_by_label("电话联系").check()
    phone.get_by_label("联系内容").fill("电话了解春耕用水情况")
    _fits(phone, "voter-contact-375")
    phone.get_by_role("button", name="保存").click()
    phone.wait_for_load_state()
    assert phone.get_by_text("已记录联系。").is_visible()
    listed = phone.get_by_test_id("contact-list")
    assert listed.get_by_text("电话了解春耕用水情况").is_visible()
    assert listed.get_by_text("李大爷").is_visible()
    _fits(phone, "voters-after-375")
    contact = VoterContact.objects.get()
    assert contact.voter is not None and contact.method == "phone"
