"""Counts the SQL statements of one request when the bench asks (header ``X-Bench-Queries: 1``)
and answers with the count and the statements' shapes. Idle otherwise: one header lookup."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse


class QueryCountMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.META.get("HTTP_X_BENCH_QUERIES") != "1":
            return self.get_response(request)
        statements: list[str] = []

        def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            statements.append(" ".join(str(sql).split())[:300])
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            response = self.get_response(request)
        response["X-Bench-Queries"] = str(len(statements))
        response["X-Bench-Statements"] = json.dumps(statements, ensure_ascii=True)
        return response
