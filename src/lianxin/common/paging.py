"""Paging of long lists with a capped total (issue 7).

Counting every row within reach costs as much as reading them: a province office's queue of
millions of cases spent seconds on its 共 N 件 alone. A list counts at most ``CAP`` rows and one
more; past that it says "超过 10,000 件" and pages on as long as a page is full, so a reader who
goes deeper still has a next link (the count then stretches to the page asked for).
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

CAP = 10_000


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    """A ``Paginator`` whose ``count`` stops at ``cap`` rows, or one page past the page asked
    for when that is deeper; ``capped`` tells that more rows exist than were counted."""

    cap = CAP

    def __init__(self, *args: Any, cap: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if cap is not None:
            self.cap = cap
        self._wanted: int | None = 1
        self._asked = False
        self.capped = False

    def validate_number(self, number: Any) -> int:
        # The page asked for is known before the count is taken: count as deep as it reaches.
        if "count" not in self.__dict__:
            self._asked = True
            with contextlib.suppress(TypeError, ValueError, OverflowError):
                self._wanted = max(1, int(number))
        return super().validate_number(number)

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return len(rows)
        # One row past the cap (or past the page asked for) tells whether there are more; the
        # order and the related rows of the page are not needed to count.
        if self._wanted is None:  # the last page was asked for: only a full count finds it
            return super().count
        limit = max(self.cap, self._wanted * self.per_page) + 1
        counted = rows.order_by().values("pk")[:limit].count()
        self.capped = counted >= limit
        return counted

    @cached_property
    def num_pages(self) -> int:
        # Asked before any page number only to find the last page (``?page=last``).
        if "count" not in self.__dict__ and not self._asked:
            self._wanted = None
        return super().num_pages

    @property
    def shown_count(self) -> int:
        """The total to show: exact, or the cap when there are more."""
        return min(self.count, self.cap) if self.capped else self.count

    @property
    def cap_display(self) -> str:
        # Grouped by thousands in every language ("10,000"): Chinese formats group no digits.
        return f"{self.cap:,}"
