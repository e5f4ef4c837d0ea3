"""What every API endpoint shares: paging and one error shape (STYLE 7)."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, pagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from lianxin.common.errors import Conflict, DomainError
from lianxin.common.paging import CappedPaginator


class Pagination(pagination.PageNumberPagination):
    """Pages of 50 (``page_size`` up to 500). ``count`` is exact up to 10,000; past that it is
    10,000 and ``count_capped`` is true, and ``next`` is given as long as a page is full, so a
    client pages to the end by following ``next`` (issue 7: counting millions of rows within
    reach cost seconds a request)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data: Any) -> Response:
        paginator: CappedPaginator = self.page.paginator  # type: ignore[union-attr,assignment]
        return Response(
            {
                "count": paginator.shown_count,
                "count_capped": paginator.capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        answer = super().get_paginated_response_schema(schema)
        answer["properties"]["count"]["description"] = "总数；超过 10,000 时为 10,000"
        answer["properties"]["count_capped"] = {
            "type": "boolean",
            "description": "为真时实际总数超过 10,000；沿 next 可翻到最后一页",
            "example": False,
        }
        answer["required"] = [*answer.get("required", []), "count_capped"]
        return answer


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every error answers ``{"error": {"code", "message", "fields"}}``."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        )
    if isinstance(exc, Conflict):
        return Response(
            {"error": {"code": exc.code, "message": str(exc.message), "fields": {}}}, status=409
        )
    if isinstance(exc, DomainError):
        return Response(
            {"error": {"code": exc.code, "message": str(exc.message), "fields": {}}}, status=400
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    fields: dict[str, Any] = {}
    message = ""
    if isinstance(response.data, dict) and "detail" in response.data:
        message = str(response.data["detail"])
    elif isinstance(response.data, dict):
        fields = response.data
        message = str(exceptions.ValidationError.default_detail)
    else:
        message = "; ".join(str(x) for x in response.data)
    code = getattr(exc, "default_code", "error")
    response.data = {"error": {"code": code, "message": message, "fields": fields}}
    return response
