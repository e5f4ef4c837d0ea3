"""Log filters (SEC-2): a citizen's secret tracking link never reaches a log in clear.

Django logs the path of every 4xx/5xx answer ("Not Found: /p/t/…/"), and the development
server logs every request line. The tracking token in such paths is replaced by "…" before any
handler writes the record.
"""

from __future__ import annotations

import logging
import re
from typing import Any

_TOKEN = re.compile(r"(/p/t/)[A-Za-z0-9_-]+")


def mask_tokens(text: str) -> str:
    return _TOKEN.sub(r"\1…", text)


def _clean(value: Any) -> Any:
    return mask_tokens(value) if isinstance(value, str) else value


class MaskTrackingTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask_tokens(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_clean(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _clean(v) for k, v in record.args.items()}
        return True


def gunicorn_logger_class() -> type:
    """gunicorn's logger with tracking tokens masked in access lines (deploy/gunicorn.conf.py)."""
    from gunicorn.glogging import Logger

    class MaskingLogger(Logger):  # type: ignore[misc]
        def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
            atoms = super().atoms(resp, req, environ, request_time)
            return {key: _clean(value) for key, value in atoms.items()}

    return MaskingLogger
