from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "lianxin.activities"
    label = "activities"

    def ready(self) -> None:
        from lianxin.activities import reach, timeline  # noqa: F401  (reach, permissions, PERF-1)
        from lianxin.activities.duty import attendance, reminders, swaps  # noqa: F401  (sweeps, kinds)
        from lianxin.activities.models import (
            AllowanceRate,
            AllowanceRecipient,
            DutyPattern,
            PoolMember,
        )
        from lianxin.audit.registry import watch

        # Configuration is audited like the directory (SEC-4); rosters, check-ins and swaps
        # are audited by their services, one entry per action.
        for model in (DutyPattern, PoolMember, AllowanceRate, AllowanceRecipient):
            watch(model)
