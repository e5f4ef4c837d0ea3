"""The roster benchmark of the duty issue (DUTY-2) as a section of docs/performance.md: runs
``bench/duty_rosters.py`` (in its own process, so that CP-SAT has the cores to itself) and
writes var/bench/rosters.md beside its var/bench/duty_rosters.json.

    .venv/bin/python bench/rosters.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import OUT, ROOT, facts_lines, machine_facts, verdict

BUDGET_SECONDS = 10.0


def measure() -> dict[str, Any]:
    """Runs duty_rosters.py, writes rosters.md, returns its results."""
    out = OUT / "duty_rosters.json"
    OUT.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    proc = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(ROOT / "bench" / "duty_rosters.py"), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - t0
    print(proc.stdout.strip())
    if proc.returncode not in (0, 1) or not out.exists():
        print(proc.stderr[-2000:], file=sys.stderr)
        raise SystemExit("duty_rosters.py failed")
    results = json.loads(out.read_text(encoding="utf-8"))
    p = results["puyang"]
    seconds = float(p["seconds"])
    ok = bool(p["complete"] and p["fair"] and p["violations"] == 0 and seconds < BUDGET_SECONDS)
    facts = machine_facts()
    lines = [
        "## Duty rosters (DUTY-2)",
        "",
        "| figure | measured | budget | verdict |",
        "|---|---|---|---|",
        f"| 濮阳县 supervision station, a year ({p.get('facts', {}).get('working_days', '?')} "
        f"working days, 420 deputies, 18 window units): complete, spread, seconds | "
        f"{'complete' if p['complete'] else 'incomplete'}, spread "
        + ", ".join(f"{role} {v.get('spread')}" for role, v in (p.get("spreads") or {}).items())
        + f", {seconds:.1f} s, {p['violations']} violations | complete, spread ≤ 1, "
        f"< {BUDGET_SECONDS:.0f} s "
        f"| {verdict(ok)} |",
    ]
    q = results.get("puyang_quick")
    if q:
        lines.append(
            f"| the same year with a {q['time_limit']} s limit | "
            f"{'complete' if q['complete'] else 'incomplete'}, fair {q['fair']}, "
            f"{q['seconds']} s | — | — |"
        )
    c = results.get("county")
    if c:
        lines.append(
            f"| a county of 25 stations (周三见), a year each | {c['complete']}/25 complete, "
            f"{c['fair']}/25 spread ≤ 1, {c['total_seconds']} s in all | — | — |"
        )
    lines += [
        "",
        f"Run by `bench/duty_rosters.py` in {wall:.0f} s (CP-SAT, month by month, seeded "
        "greedy start; every roster checked by the independent validator). No database.  ",
        facts_lines(facts).split("\n")[0],
    ]
    (OUT / "rosters.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return results


if __name__ == "__main__":
    measure()
