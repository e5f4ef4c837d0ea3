"""Celery tasks of the activities app: they take primary keys, never instances (STYLE 8)."""

from celery import shared_task


@shared_task(name="activities.solve_roster", ignore_result=True)
def solve_roster(roster_pk: int) -> None:
    """Solves a roster marked "正在排班" and applies the solution (DUTY-2)."""
    from lianxin.activities.duty.planning import roster_solve_run

    roster_solve_run(roster_pk=roster_pk)
