"""The three slips of 濮阳县 "三单" (CASE-6), generated from the case: 接待群众反映问题交办单,
办理情况反馈单, 交办问题回访记录单 — as an A4 print page, a DOCX download, and a PDF where the
server has the PDF library (reportlab, the ``pdf`` extra; CI installs it).

A slip's serial number is the case's own number with the slip's prefix, so a paper slip and the
system always agree. Citizens' names and phones appear in clear only for a role that may reveal
personal data (the office) who asks for them on purpose, and every such print is written to
the audit trail (SEC-2).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.accounts.permissions import Actor, can_reveal_personal
from lianxin.audit.services import record_reveal
from lianxin.cases.models import Case, CaseEvent, CaseUnit
from lianxin.common.fields import mask_value

KINDS: dict[str, tuple[str, Any]] = {
    "dispatch": ("JB", gettext_lazy("接待群众反映问题交办单")),
    "feedback": ("FK", gettext_lazy("办理情况反馈单")),
    "visit": ("HF", gettext_lazy("交办问题回访记录单")),
}


@dataclass
class Slip:
    kind: str
    title: str
    serial: str
    issuer: str
    rows: list[tuple[str, str]]
    signatures: list[str] = field(default_factory=list)

    @property
    def filename(self) -> str:
        return f"{self.title}-{self.serial}"


def available(case: Case) -> list[str]:
    """The slips a case already has: dispatched, replied, visited or closed."""
    found = []
    if case.dispatched_at or case.units.exists():
        found.append("dispatch")
    if case.replied_at:
        found.append("feedback")
    if (
        case.visited_at
        or case.rated_at
        or case.status in (Case.Status.CLOSED, Case.Status.ARCHIVED)
    ):
        found.append("visit")
    return found


def _when(moment: Any) -> str:
    if not moment:
        return ""
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _day(moment: Any) -> str:
    return date_format(timezone.localtime(moment), "DATE_FORMAT") if moment else ""


def _citizen(case: Case, actor: Actor, reveal: bool) -> tuple[str, str]:
    primary = case.citizens.filter(is_primary=True).first() or case.citizens.first()
    if primary is None or primary.anonymous:
        return str(_("匿名")), ""
    if reveal:
        record_reveal(actor=actor, obj=case, field="citizen")
        return primary.name or str(_("未留姓名")), primary.phone
    return mask_value(primary.name, "name") or str(_("未留姓名")), mask_value(
        primary.phone, "phone"
    )


def _answered(case: Case) -> str:
    """书面答复, or how, when, where and by whom the answer was given in person (局长进站)."""
    if case.scope == Case.Scope.ON_SPOT:
        return str(_("当场解决"))
    if not case.in_person:
        return str(_("书面答复"))
    parts = [case.get_in_person_display(), _day_of(case.in_person_on)]
    if case.in_person_station is not None:
        parts.append(case.in_person_station.name)
    if case.in_person_by:
        parts.append(case.in_person_by)
    return " · ".join(p for p in parts if p)


def _day_of(day: Any) -> str:
    return date_format(day, "DATE_FORMAT") if day else ""


def _last_note(case: Case, action: str) -> str:
    event = CaseEvent.objects.filter(case=case, action=action).order_by("-seq").first()
    return event.note if event else ""


def build(case: Case, kind: str, actor: Actor, *, reveal: bool = False) -> Slip:
    """The slip ``kind`` of ``case`` as ``actor`` may see it; 404 when the case has none yet.
    With ``reveal`` (asked for on purpose) a role that may reveal personal data prints the
    citizen's name and phone, audited."""
    if kind not in KINDS or kind not in available(case):
        raise Http404
    prefix, title = KINDS[kind]
    reveal = reveal and can_reveal_personal(actor, case)
    name, phone = _citizen(case, actor, reveal)
    text = case.text if reveal else case.public_text
    units = list(case.units.exclude(status=CaseUnit.Status.WITHDRAWN).select_related("unit"))
    lead = next((u for u in units if u.role == CaseUnit.Role.LEAD), None)
    co = "、".join(u.unit.name for u in units if u.role == CaseUnit.Role.CO)
    common = [
        (str(_("编号")), case.number),
        (str(_("反映人")), name),
        (str(_("联系电话")), phone),
        (str(_("反映问题")), text),
    ]
    if kind == "dispatch":
        rows = [
            *common,
            (str(_("接待时间")), _when(case.received_at)),
            (str(_("接待地点")), case.station.name if case.station else case.place),
            (str(_("接待代表")), case.deputy.name if case.deputy else ""),
            (str(_("主办单位")), lead.unit.name if lead else ""),
            (str(_("协办单位")), co),
            (str(_("交办意见")), lead.note if lead else ""),
            (str(_("办理时限")), _day(case.reply_due_at)),
            (str(_("交办日期")), _day(case.dispatched_at)),
        ]
        signatures = [str(_("交办人")), str(_("承办单位签收人"))]
    elif kind == "feedback":
        contributions = "\n".join(
            f"{u.unit.name}：{u.reply}"
            for u in units
            if u.role == CaseUnit.Role.CO and u.reply and u.status != CaseUnit.Status.RETURNED
        )
        rows = [
            *common,
            (str(_("承办单位")), lead.unit.name if lead else ""),
            (str(_("办理情况")), case.reply),
            (str(_("协办单位意见")), contributions),
            (str(_("答复方式")), _answered(case)),
            (str(_("问题是否解决")), str(_("已解决")) if case.solved else str(_("未解决"))),
            (str(_("答复时间")), _when(case.replied_at)),
            (
                str(_("审核意见")),
                _last_note(case, "approve_reply") or _last_note(case, "send_back"),
            ),
        ]
        signatures = [str(_("承办单位负责人")), str(_("督办代表"))]
    else:
        rows = [
            *common,
            (str(_("办理结果")), case.reply or case.explanation),
            (str(_("群众评价")), case.get_rating_display() if case.rating else ""),
            (str(_("回访时间")), _when(case.visited_at)),
            (str(_("回访情况")), _last_note(case, "return_visit")),
        ]
        signatures = [str(_("回访人")), str(_("群众签字"))]
    return Slip(
        kind=kind,
        title=str(title),
        serial=f"{prefix}-{case.number}",
        issuer=case.congress.name,
        rows=rows,
        signatures=signatures,
    )


def docx_bytes(slip: Slip) -> bytes:
    """The slip as a Word document: title, serial, a two-column table, signature lines."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.2))
    style = document.styles["Normal"]
    style.font.name = "SimSun"
    style.font.size = Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(slip.title)
    run.bold, run.font.size = True, Pt(18)
    meta = document.add_paragraph(f"{slip.issuer}    {_('编号')}：{slip.serial}")
    meta.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in slip.rows:
        cells = table.add_row().cells
        cells[0].width, cells[1].width = Cm(3.5), Cm(13)
        cells[0].text, cells[1].text = label, value or ""
    document.add_paragraph()
    document.add_paragraph("        ".join(f"{s}：__________" for s in slip.signatures))
    document.add_paragraph(f"{_('日期')}：______年____月____日")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_available() -> bool:
    try:
        import reportlab  # noqa: F401
    except ImportError:
        return False
    return True


def pdf_bytes(slip: Slip) -> bytes:
    """The slip as a PDF (A4), with a CID font the reader supplies: nothing to download."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=16, wordWrap="CJK")
    title = ParagraphStyle("title", parent=body, fontSize=18, leading=26, alignment=1)
    right = ParagraphStyle("right", parent=body, alignment=2)

    def p(text: str, style: ParagraphStyle = body) -> Paragraph:
        from xml.sax.saxutils import escape

        return Paragraph(escape(text or "").replace("\n", "<br/>"), style)

    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm,
                            topMargin=22 * mm, bottomMargin=22 * mm, title=slip.title)  # fmt: skip
    table = Table(
        [[p(label), p(value)] for label, value in slip.rows], colWidths=[32 * mm, 134 * mm]
    )
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (0, -1), colors.Color(0.95, 0.95, 0.95)),
    ]))  # fmt: skip
    story = [
        p(slip.title, title),
        Spacer(1, 4 * mm),
        p(f"{slip.issuer}    {_('编号')}：{slip.serial}", right),
        Spacer(1, 3 * mm),
        table,
        Spacer(1, 12 * mm),
        p("　　".join(f"{s}：__________" for s in slip.signatures)),
        Spacer(1, 6 * mm),
        p(f"{_('日期')}：______年____月____日"),
    ]
    doc.build(story)
    return out.getvalue()
