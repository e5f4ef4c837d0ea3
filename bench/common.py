"""What every benchmark script shares (issue 7): the command line (``--database-url``,
``--scale``), Django set up against the bench database, machine facts, percentiles, and the
two result files ``var/bench/<name>.json`` and ``var/bench/<name>.md`` that ``bench/report.py``
assembles into docs/performance.md."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
SCALES = ("small", "full")
# The exit code of a benchmark that ran to the end but missed one of its budgets (a crash is 1).
BUDGET_MISSED = 3


def default_url(scale: str) -> str:
    return f"postgres://postgres@127.0.0.1:5432/lianxin_bench_{scale}"


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--scale", choices=SCALES, default="small")
    p.add_argument(
        "--database-url",
        default=None,
        help="PostgreSQL URL (default postgres://postgres@127.0.0.1:5432/lianxin_bench_<scale>)",
    )
    return p


def database_url(args: argparse.Namespace) -> str:
    return str(args.database_url or default_url(args.scale))


def setup_django(url: str) -> None:
    """Points the project's one settings module at the bench database and sets Django up."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxin.settings")
    os.environ.setdefault("LIANXIN_TESTING", "false")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    src = str(ROOT / "src")
    if src not in sys.path:
        sys.path.insert(0, src)
    import django

    django.setup()


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_gb() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return 0.0


def git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        return out.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def machine_facts() -> dict[str, Any]:
    """CPU, RAM, Python and — when Django is set up — PostgreSQL's version and settings."""
    facts: dict[str, Any] = {
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "ram_gb": _ram_gb(),
        "python": platform.python_version(),
        "host": platform.node(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    try:
        from django.apps import apps
        from django.db import connection

        if not apps.ready:
            return facts
        with connection.cursor() as cur:
            cur.execute("SHOW server_version")
            facts["postgresql"] = cur.fetchone()[0]
            settings: dict[str, str] = {}
            for name in ("shared_buffers", "work_mem", "max_connections", "effective_cache_size"):
                cur.execute(f"SHOW {name}")
                settings[name] = cur.fetchone()[0]
            facts["postgresql_settings"] = settings
            facts["database"] = connection.settings_dict.get("NAME")
            facts["database_host"] = connection.settings_dict.get("HOST") or "local socket"
            facts["conn_max_age"] = connection.settings_dict.get("CONN_MAX_AGE")
    except Exception as exc:
        facts["postgresql"] = f"unknown ({type(exc).__name__})"
    return facts


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100), linear between ranks; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    k = (len(ordered) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summary_ms(values_s: Iterable[float]) -> dict[str, float]:
    ms = [v * 1000 for v in values_s]
    return {
        "n": len(ms),
        "mean_ms": round(statistics.fmean(ms), 2) if ms else 0.0,
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "p99_ms": round(percentile(ms, 99), 2),
        "p999_ms": round(percentile(ms, 99.9), 2),
        "max_ms": round(max(ms), 2) if ms else 0.0,
    }


# A row measured this long stops (with at least MIN_SAMPLES): a slow page at full scale
# gives fewer samples, said by the "n" of its summary, instead of holding the run for minutes.
ROW_BUDGET_S = 45.0
MIN_SAMPLES = 10


def timed(fn: Callable[[], Any], repeat: int, warmup: int = 2) -> list[float]:
    """Wall times in seconds of ``repeat`` calls after ``warmup`` unmeasured ones; fewer
    (never under MIN_SAMPLES) when they take longer than ROW_BUDGET_S in all."""
    for _ in range(warmup):
        fn()
    times: list[float] = []
    started = time.perf_counter()
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
        if len(times) >= MIN_SAMPLES and time.perf_counter() - started > ROW_BUDGET_S:
            break
    return times


def write_results(name: str, data: dict[str, Any], markdown: str) -> tuple[Path, Path]:
    """Writes ``var/bench/<name>.json`` and ``var/bench/<name>.md``."""
    OUT.mkdir(parents=True, exist_ok=True)
    data = {"name": name, "finished_at": dt.datetime.now(dt.UTC).isoformat(), **data}
    json_path, md_path = OUT / f"{name}.json", OUT / f"{name}.md"
    json_path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
    md_path.write_text(markdown.rstrip() + "\n")
    return json_path, md_path


def verdict(ok: bool | None) -> str:
    if ok is None:
        return "—"
    return "meets" if ok else "**misses**"


def facts_lines(facts: dict[str, Any]) -> str:
    pg = facts.get("postgresql_settings", {})
    return (
        f"Hardware: {facts.get('cpu_count')} × {facts.get('cpu_model')}, "
        f"{facts.get('ram_gb')} GB RAM; load average at start {facts.get('load_average')}.  \n"
        f"Database: PostgreSQL {facts.get('postgresql')} on {facts.get('database_host')} "
        f"(same machine), database `{facts.get('database')}`; "
        + ", ".join(f"{k}={v}" for k, v in pg.items())
        + "."
    )
