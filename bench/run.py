"""One benchmark run (issue 7): ``make bench`` (small) and ``make bench-full`` (full).

Creates the bench database if missing, migrates it, generates the province (resuming if an
earlier run was interrupted), measures the queries, the citizens' submission under load
(bench/submit_load.py, when present), the rosters, and assembles docs/performance.md.

    .venv/bin/python bench/run.py --scale small [--fresh] [--database-url URL]

``--fresh`` drops the bench database first. A failing step is reported and the run goes on;
the exit code is 1 when any step failed (crashed); a step that ran but missed a budget
(exit code ``BUDGET_MISSED``) is named in the summary and in docs/performance.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BUDGET_MISSED, OUT, ROOT, database_url, parser


def ensure_database(url: str, fresh: bool) -> None:
    """CREATE DATABASE when missing (DROP first with ``fresh``), through the maintenance db."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}", flush=True)


def step(name: str, argv: list[str], env: dict[str, str], steps: list[dict[str, Any]]) -> bool:
    print(f"\n== {name}: {' '.join(argv)}", flush=True)
    t0 = time.perf_counter()
    rc = subprocess.call(argv, cwd=ROOT, env=env)  # noqa: S603 - our own scripts
    seconds = time.perf_counter() - t0
    steps.append({"name": name, "returncode": rc, "seconds": round(seconds, 1)})
    print(f"== {name}: exit {rc} after {seconds:.0f} s", flush=True)
    return rc == 0


def main() -> int:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--fresh", action="store_true", help="drop the bench database first")
    args = p.parse_args()
    url = database_url(args)
    py = sys.executable
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT / "src")}
    env.setdefault("DJANGO_SETTINGS_MODULE", "lianxin.settings")
    steps: list[dict[str, Any]] = []
    started = time.perf_counter()
    OUT.mkdir(parents=True, exist_ok=True)
    for stale in OUT.glob("*.md"):
        stale.unlink()  # one run's sections only
    ensure_database(url, args.fresh)
    common = ["--scale", args.scale, "--database-url", url]
    ok = step("migrate", [py, "manage.py", "migrate", "--noinput", "-v", "0"], env, steps)
    if ok:
        ok = step("province", [py, "bench/province.py", *common], env, steps)
    if ok:
        step("queries", [py, "bench/queries.py", *common, "--skip-rosters"], env, steps)
    if (ROOT / "bench" / "submit_load.py").exists():
        step("submit_load", [py, "bench/submit_load.py", *common], env, steps)
    step("rosters", [py, "bench/rosters.py"], env, steps)
    seconds = time.perf_counter() - started
    (OUT / "run.json").write_text(
        json.dumps({"scale": args.scale, "seconds": seconds, "steps": steps}, indent=2) + "\n"
    )
    step("report", [py, "bench/report.py", "--scale", args.scale], env, steps)
    outcome = {0: "", BUDGET_MISSED: " missed a budget"}
    print(f"\nwhole run {seconds:.0f} s: " + ", ".join(
        f"{s['name']} {s['seconds']:.0f} s{outcome.get(s['returncode'], ' FAILED')}"
        for s in steps
    ))  # fmt: skip
    return 0 if all(s["returncode"] in outcome for s in steps) else 1


if __name__ == "__main__":
    raise SystemExit(main())
