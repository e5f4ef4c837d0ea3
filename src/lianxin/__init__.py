"""Lianxin (连心桥): the platform a people's congress uses to run its deputies' work."""

from .celery import app as celery_app

__all__ = ["celery_app"]
