"""The three slips (CASE-6): A4 print page, DOCX and PDF, with the case's number as serial;
personal data in clear only for the office, and then audited."""

from __future__ import annotations

import io
import os
import zipfile

import pytest

from lianxin.audit.models import AuditEntry
from lianxin.cases import services, slips
from lianxin.cases.workflow import Who
from tests.cases.conftest import Personas, file

pytestmark = pytest.mark.django_db


def visited(world):
    a = Personas(world.a)
    case = services.confirm(
        who=a.deputy, case=file(world.a, name="王小明", phone="13812345678").case
    )
    case = services.triage(who=a.office, case=case, scope="township")
    case = services.dispatch(who=a.office, case=case, lead=world.a.unit, co=[world.a.sub_unit],
                             note="请一周内修复。")  # fmt: skip
    case = services.accept(who=a.unit, case=case)
    case = services.reply(who=a.unit, case=case, text="已更换路灯。", solved=True)
    case = services.approve_reply(who=a.deputy, case=case, note="答复属实。")
    case = services.rate(who=Who.citizen(case.citizens.get().pk), case=case, rating="satisfied")
    return services.return_visit(who=a.station, case=case, note="电话回访，群众满意。")


def test_the_office_prints_each_slip_with_the_case_number_and_the_citizen(world):
    case = visited(world)
    office = world.client_for(world.a.office)
    for kind, prefix, words in (
        ("dispatch", "JB", ["接待群众反映问题交办单", "请一周内修复。", world.a.unit.name]),
        ("feedback", "FK", ["办理情况反馈单", "已更换路灯。", "已解决", "答复属实。"]),
        ("visit", "HF", ["交办问题回访记录单", "满意", "电话回访，群众满意。"]),
    ):
        masked = office.get(f"/staff/case-slips/{case.pk}/{kind}/").content.decode()
        assert "13812345678" not in masked and "含群众联系方式" in masked
        page = office.get(f"/staff/case-slips/{case.pk}/{kind}/?reveal=1")
        assert page.status_code == 200
        html = page.content.decode()
        assert f"{prefix}-{case.number}" in html
        assert "王小明" in html and "13812345678" in html
        for word in words:
            assert word in html, (kind, word)
    assert (
        AuditEntry.objects.filter(action=AuditEntry.Action.REVEAL, object_id=str(case.pk)).count()
        == 3
    )


def test_other_roles_print_the_slips_masked_and_outsiders_get_404(world):
    case = visited(world)
    station = world.client_for(world.a.station_staff).get(f"/staff/case-slips/{case.pk}/dispatch/")
    html = station.content.decode()
    assert station.status_code == 200 and "王小明" not in html and "13812345678" not in html
    assert "138****5678" in html
    assert (
        world.client_for(world.b.office).get(f"/staff/case-slips/{case.pk}/dispatch/").status_code
        == 404
    )
    fresh = file(world.a).case
    assert (
        world.client_for(world.a.office).get(f"/staff/case-slips/{fresh.pk}/feedback/").status_code
        == 404
    )


def test_the_docx_holds_the_slip(world):
    case = visited(world)
    response = world.client_for(world.a.office).get(
        f"/staff/case-slips/{case.pk}/feedback/?format=docx"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    with zipfile.ZipFile(io.BytesIO(response.content)) as docx:
        xml = docx.read("word/document.xml").decode()
    assert f"FK-{case.number}" in xml and "已更换路灯。" in xml
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.EXPORT, object_id=str(case.pk)
    ).exists()


def test_the_pdf_is_one_a4_page_where_the_library_is_installed(world):
    if not slips.pdf_available():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("reportlab (the pdf extra) must be installed in CI")
        pytest.skip("reportlab is not installed: PDF slips are not offered")
    case = visited(world)
    response = world.client_for(world.a.office).get(
        f"/staff/case-slips/{case.pk}/visit/?format=pdf"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response.content.count(b"/Type /Page\n") + response.content.count(b"/Type /Page ") >= 1
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in response.content
