"""Bench-only Django app and settings for ``bench/submit_load.py`` (issue 7): a bare view that
inserts one row, served on the same stack as the citizens' QR form. Never in the product."""
