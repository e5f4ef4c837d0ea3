"""The staff left navigation: one list, filtered by the acting role's capabilities.

An entry whose URL name does not resolve (an app not yet built) is left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.permissions import Actor, Perm


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    perm: Perm
    group: str | Promise
    roles: frozenset[str] | None = None  # only these roles (among those holding ``perm``)


_CASE_DESK = frozenset({"office", "station", "deputy"})
_FIGURES = frozenset({"office", "leadership", "station"})
_PHONE_DESK = frozenset({"office", "station", "unit"})  # 来电核验 (CASE-1)
_DUTY_READERS = frozenset({"office", "leadership", "station", "unit"})
_ROSTERS = frozenset({"office", "leadership", "station"})
_DUTY_DESK = frozenset({"office", "leadership", "station"})

NAV: list[NavItem] = [
    NavItem("cases:case_list", _("意见办理"), Perm.VIEW_CASES, _("群众意见")),
    NavItem(
        "cases:inbox", _("承办件"), Perm.VIEW_CASES, _("群众意见"), frozenset({"unit", "office"})
    ),
    NavItem("cases:intake", _("登记接待"), Perm.HANDLE_CASES, _("群众意见"), _CASE_DESK),
    NavItem("cases:overdue", _("超期件"), Perm.VIEW_CASES, _("群众意见")),
    NavItem("cases:figures", _("办理统计"), Perm.VIEW_CASES, _("群众意见"), _FIGURES),
    NavItem("cases:phone_check", _("来电核验"), Perm.VIEW_CASES, _("群众意见"), _PHONE_DESK),
    NavItem(
        "cases:unit_figures", _("本单位统计"), Perm.VIEW_CASES, _("群众意见"), frozenset({"unit"})
    ),
    # Contact with voters (VOT-1, VOT-4; engineer VOTERS)
    NavItem(
        "activities:voter_contacts",
        _("联系选民记录"),
        Perm.VIEW_ACTIVITIES,
        _("联系选民"),
        _ROSTERS,
    ),
    NavItem("activities:voter_deeds", _("为民办实事确认"), Perm.MANAGE_ACTIVITIES, _("联系选民")),
    NavItem("activities:voter_callbacks", _("回访抽查"), Perm.CALL_VOTERS, _("联系选民")),
    NavItem("activities:voter_reports", _("向选民述职"), Perm.MANAGE_ACTIVITIES, _("联系选民")),
    NavItem("activities:voter_grid", _("网格职责"), Perm.MANAGE_ACTIVITIES, _("联系选民")),
    NavItem(
        "activities:voter_committee",
        _("常委会联系代表"),
        Perm.VIEW_ACTIVITIES,
        _("联系选民"),
        frozenset({"office", "leadership"}),
    ),
    NavItem("duty:roster_list", _("排班表"), Perm.VIEW_DUTY, _("值班"), _ROSTERS),
    # 值班 (DUTY): set-up pages (patterns, pool, leave, swaps) for the station and the office.
    NavItem("duty:pattern_list", _("值班规则"), Perm.VIEW_DUTY, _("值班"), _DUTY_DESK),
    NavItem("duty:pool_list", _("值班人员库"), Perm.VIEW_DUTY, _("值班"), _DUTY_DESK),
    NavItem("duty:leave_list", _("值班请假"), Perm.VIEW_DUTY, _("值班"), _DUTY_DESK),
    NavItem("duty:swap_list", _("换班审批"), Perm.VIEW_DUTY, _("值班"), _DUTY_DESK),
    # Duty attendance and allowances (DUTY-3, DUTY-4)
    NavItem("duty:attendance_home", _("值班签到"), Perm.MANAGE_DUTY, _("值班")),
    NavItem("duty:absence_list", _("缺岗记录"), Perm.VIEW_DUTY, _("值班"), _DUTY_READERS),
    NavItem("duty:unit_report", _("窗口单位值班考勤"), Perm.VIEW_DUTY, _("值班"), _DUTY_READERS),
    NavItem("duty:allowance_home", _("值班误工补贴"), Perm.MANAGE_ALLOWANCES, _("值班")),
    # Activities (ACT-1, ACT-2, PERF-3)
    NavItem("activities:event_list", _("履职活动"), Perm.VIEW_ACTIVITIES, _("代表工作"), _ROSTERS),
    NavItem("activities:event_pending", _("补报活动审核"), Perm.MANAGE_ACTIVITIES, _("代表工作")),
    # Plans (ACT-1 station annual plans, ACT-3 training plans)
    NavItem(
        "activities:plan_list", _("站点年度活动计划"), Perm.VIEW_ACTIVITIES, _("代表工作"), _ROSTERS
    ),
    NavItem(
        "activities:training_list",
        _("培训计划"),
        Perm.VIEW_ACTIVITIES,
        _("代表工作"),
        frozenset({"office", "leadership"}),
    ),
    NavItem(
        "activities:group_minimums",
        _("代表小组履职情况"),
        Perm.VIEW_ACTIVITIES,
        _("代表工作"),
        _ROSTERS,
    ),
    NavItem("directory:person_list", _("代表与人员"), Perm.VIEW_DIRECTORY, _("代表工作")),
    NavItem("directory:station_list", _("联络站"), Perm.VIEW_DIRECTORY, _("代表工作")),
    NavItem("directory:print_codes", _("打印二维码"), Perm.PRINT_CODES, _("代表工作")),
    NavItem("directory:inspection_list", _("阵地检查"), Perm.VIEW_DIRECTORY, _("代表工作")),
    NavItem("directory:checklist_list", _("阵地建设标准"), Perm.VIEW_DIRECTORY, _("代表工作")),
    NavItem("directory:vacancies", _("空缺岗位"), Perm.EDIT_DIRECTORY, _("代表工作")),
    NavItem("directory:group_list", _("代表小组"), Perm.VIEW_DIRECTORY, _("代表工作")),
    NavItem("directory:grid_list", _("网格"), Perm.VIEW_DIRECTORY, _("代表工作")),
    NavItem("directory:link_list", _("常委会联系代表"), Perm.VIEW_DIRECTORY, _("代表工作")),
    NavItem("directory:expert_list", _("专家库"), Perm.VIEW_DIRECTORY, _("代表工作")),
    # Duty rosters (DUTY-2): the roster list for the staff who run or oversee them.
    NavItem("directory:congress_list", _("人大与届次"), Perm.VIEW_DIRECTORY, _("组织")),
    NavItem("directory:body_list", _("常委会与机构"), Perm.VIEW_DIRECTORY, _("组织")),
    NavItem("directory:workplan_list", _("年度代表工作计划"), Perm.VIEW_DIRECTORY, _("组织")),
    NavItem("directory:unit_list", _("承办单位"), Perm.VIEW_DIRECTORY, _("组织")),
    NavItem("regions:list", _("行政区划"), Perm.VIEW_REGIONS, _("组织")),
    NavItem("cases:category_list", _("意见类别"), Perm.CONFIGURE_CASES, _("配置")),
    NavItem("cases:procedure_list", _("办理流程"), Perm.CONFIGURE_CASES, _("配置")),
    NavItem("cases:rule_list", _("办理期限"), Perm.CONFIGURE_CASES, _("配置")),
    NavItem("cases:replytemplate_list", _("答复模板"), Perm.CONFIGURE_CASES, _("配置")),
    NavItem("holidays:year_list", _("节假日日历"), Perm.MANAGE_CALENDAR, _("系统")),
    NavItem("accounts:user_list", _("账号管理"), Perm.MANAGE_ACCOUNTS, _("系统")),
    NavItem("accounts:assignment_list", _("角色授权"), Perm.MANAGE_ROLES, _("系统")),
    NavItem("audit:entry_list", _("审计日志"), Perm.READ_AUDIT, _("系统")),
    NavItem("notifications:inbox", _("消息"), Perm.USE_INBOX, _("个人")),
    NavItem("accounts:api_token", _("API令牌"), Perm.USE_API_TOKEN, _("个人")),
]


def nav_for(actor: Actor, current_path: str = "") -> list[dict[str, object]]:
    """Groups of {label, items:[{label, url, active}]} the actor may open."""
    groups: dict[str, dict[str, object]] = {}
    for item in NAV:
        if not actor.has(item.perm) or (item.roles is not None and actor.role not in item.roles):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        group = groups.setdefault(str(item.group), {"label": item.group, "items": []})
        group["items"].append(  # type: ignore[attr-defined]
            {"label": item.label, "url": url, "active": current_path.startswith(url)}
        )
    return list(groups.values())
