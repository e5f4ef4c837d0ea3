"""Models of the activities app, one module per area (DUTY now; ACT and VOT follow)."""

from lianxin.activities.models.duty import (
    AllowanceLine,
    AllowanceRate,
    AllowanceRecipient,
    AllowanceStatement,
    Assignment,
    DutyLeave,
    DutyPattern,
    PoolMember,
    Requirement,
    Roster,
    Shift,
    SwapRequest,
)

__all__ = [
    "AllowanceLine",
    "AllowanceRate",
    "AllowanceRecipient",
    "AllowanceStatement",
    "Assignment",
    "DutyLeave",
    "DutyPattern",
    "PoolMember",
    "Requirement",
    "Roster",
    "Shift",
    "SwapRequest",
]
