#!/usr/bin/env python
"""Citizens' QR submission under load, beside a bare one-INSERT view (issue 7, ARCHITECTURE
"Performance budgets": ≥ 70% of the bare view's throughput, p99 < 200 ms at that load, not one
acknowledged submission lost).

Starts gunicorn (deploy/gunicorn.conf.py: gthread, 2 workers as in production) on PostgreSQL
with the Redis cache and the bench settings (bench/load/settings.py: the product's settings
plus the bare view), then drives it with an open-loop generator (bench/load/http.py, asyncio,
stdlib only; decision 0008): request start times are fixed on a timetable and latency is
measured from the scheduled time, so a slow server is not hidden by a waiting client.

Phases:
  max-*    closed loop, as fast as the server answers: each endpoint's maximum throughput;
  const-*  constant offered rate (default 70% of the bare view's maximum) on both endpoints;
  burst    a ramp from 0 to 200 submissions/s within 10 s;
  soak     (--scale full) 30 minutes of submissions at a constant rate the server carries
           (the budget's rate, or 70% of the submission's own maximum when that is lower).
What a "submission" is: the filing request of the two-step form (step 2 → receipt with the
case number), with its own one-time key, CSRF token and client address; the full citizen path
(form page → step 1 → step 2) is measured too, as ``flow`` (three requests per submission).

Every receipt (200 with a case number) the generator saw is checked against the database:
each acknowledged one-time key must be stored. Writes var/bench/submit_load.json and
var/bench/submit_load.md. Usage:

  .venv/bin/python bench/submit_load.py [--scale small|full] [--database-url URL]
      [--rate N] [--duration S]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import platform
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from bench.load.http import Closed, Pool, Response  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/lianxin_bench_small"
REDIS_URL = "redis://127.0.0.1:6379/14"
BUDGET_RATIO = 0.70
BUDGET_P99_MS = 200.0
TIMEOUT_S = 30.0
MAX_IN_FLIGHT = 256

PRESETS: dict[str, dict[str, float]] = {
    # small: the whole script in about 3 minutes on 2 cores
    "small": {"max": 12, "const": 12, "burst_hold": 0, "soak": 0, "concurrency": 16},
    "full": {"max": 30, "const": 120, "burst_hold": 30, "soak": 1800, "concurrency": 16},
}

NUMBER_RE = re.compile(r'data-testid="case-number">([^<]+)<')
TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
KEY_RE = re.compile(r'name="key" value="([^"]+)"')
SELECT_RE = re.compile(r'<select name="(category|village)"[^>]*>(.*?)</select>', re.S)
OPTION_RE = re.compile(r'<option value="(\d+)"')

# What citizens write: varied, so the similar-case check (CASE-2) sees realistic texts.
PLACES = ["村口", "小学门口", "菜市场东侧", "幸福路", "建设路与人民街交叉口", "卫生院旁",
          "老街", "河堤", "文化广场", "公交站台", "新区三号楼", "农贸市场"]  # fmt: skip
PROBLEMS = ["路灯坏了好几个，晚上出行不便", "下水道堵塞，一下雨就积水", "垃圾清运不及时，气味很大",
            "路面坑洼，电动车容易摔倒", "自来水压力太小，高层用不上水", "夜里施工噪音扰民",
            "占道经营，车辆无法通行", "没有斑马线，孩子过马路危险", "健身器材损坏无人维修",
            "排水沟盖板缺失", "违章搭建影响采光", "冬季供暖温度不达标"]  # fmt: skip
WISHES = ["希望尽快解决。", "请有关部门处理。", "盼早日修好。", "麻烦代表反映一下。", ""]


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return round(ordered[index], 2)


@dataclass
class Target:
    """One station's QR form, as a citizen's phone sees it."""

    path: str
    categories: list[str]
    villages: list[str]


@dataclass
class Session:
    """A browser's CSRF cookie and the token its form page carried."""

    cookie: str
    token: str


@dataclass
class Sample:
    scheduled: float
    latency_ms: float
    status: int
    ok: bool
    error: str = ""


@dataclass
class PhaseResult:
    name: str
    endpoint: str
    mode: str  # closed | open | ramp
    offered_rate: float | None
    duration_s: float
    concurrency: int | None = None
    samples: list[Sample] = field(default_factory=list)
    acked: set[str] = field(default_factory=set)  # keys (or ids) with a receipt
    sent: list[str] = field(default_factory=list)
    stored: int | None = None  # intakes (or cases filed at once) of the keys sent
    registered: int | None = None  # of those, with their case filed already
    acked_lost: int | None = None
    wall_s: float = 0.0
    settle_s: float = 0.0  # waited after the phase for the server to work off its backlog
    generator_cpu_s: float = 0.0  # CPU the load generator itself used (shared cores)
    # CPU the gunicorn workers used during the phase and the requests they answered in it:
    # the cost of one request, which other work on the machine does not inflate.
    server_cpu_s: float = 0.0
    served: int = 0

    def summary(self) -> dict[str, Any]:
        oks = [s.latency_ms for s in self.samples if s.ok]
        # Percentiles over every request, answered or not (a timeout counts with the time it
        # was waited for), so failures never flatter the latency.
        every = [s.latency_ms for s in self.samples]
        statuses: dict[str, int] = {}
        for s in self.samples:
            key = str(s.status) if s.status else (s.error or "error")
            statuses[key] = statuses.get(key, 0) + 1
        window = self.duration_s
        if self.mode != "closed" and self.samples:
            # Open loop: what was answered, over the time until the last answer arrived.
            first = min(s.scheduled for s in self.samples)
            last = max(s.scheduled + s.latency_ms / 1000 for s in self.samples)
            window = max(window, last - first)
        achieved = len(oks) / window if window else None
        return {
            "name": self.name,
            "endpoint": self.endpoint,
            "mode": self.mode,
            "offered_per_s": round(self.offered_rate, 1) if self.offered_rate else None,
            "achieved_per_s": round(achieved, 1) if achieved is not None else None,
            "duration_s": round(window, 1),
            "wall_s": round(self.wall_s, 1),
            "settle_s": round(self.settle_s, 1),
            "generator_cpu_s": round(self.generator_cpu_s, 1),
            "server_cpu_ms_per_request": (
                round(self.server_cpu_s * 1000 / self.served, 2) if self.served else None
            ),
            "concurrency": self.concurrency,
            "requests": len(self.samples),
            "ok": len(oks),
            "statuses": statuses,
            "p50_ms": pct(every, 50),
            "p95_ms": pct(every, 95),
            "p99_ms": pct(every, 99),
            "p999_ms": pct(every, 99.9),
            "max_ms": round(max(every), 2) if every else None,
            "mean_ms": round(statistics.fmean(every), 2) if every else None,
            "acknowledged": len(self.acked),
            "stored": self.stored,
            "registered": self.registered,
            "acknowledged_not_stored": self.acked_lost,
        }


def workers_cpu_s(master: int) -> float:
    """User + system CPU seconds of the gunicorn master's worker processes (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[1]) == master:  # ppid
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


class Bench:
    def __init__(self, host: str, port: int, run: str, targets: list[Target],
                 server_pid: int = 0) -> None:  # fmt: skip
        self.host, self.port, self.run = host, port, run
        self.server_pid = server_pid
        self.targets = targets
        # At most this many requests in flight: an overloaded phase queues in the generator
        # (counted in latency) instead of leaving minutes of backlog in the server.
        self.pool = Pool(host, port, limit=MAX_IN_FLIGHT)
        self.sessions: list[Session] = []
        self.rng = random.Random(7)
        # Each simulated citizen gets an address of 10.0.0.0/8, 3 filings each, starting at a
        # random place so that runs within the same hour do not share flood counters.
        self.address_base = secrets.randbelow(1 << 24)
        self.filings = 0

    # --- sessions and addresses ----------------------------------------------------------------

    async def new_session(self, target: Target) -> tuple[Session, str]:
        r = await self.pool.request("GET", target.path)
        if r.status != 200:
            raise RuntimeError(f"form page {target.path}: HTTP {r.status}")
        html = r.text()
        token, key = TOKEN_RE.search(html), KEY_RE.search(html)
        cookie = r.cookies.get("csrftoken")
        if not (token and key and cookie):
            raise RuntimeError(f"form page {target.path}: no CSRF token/cookie or form key")
        return Session(cookie, token.group(1)), key.group(1)

    async def prepare_sessions(self, n: int) -> None:
        for i in range(n):
            session, _key = await self.new_session(self.targets[i % len(self.targets)])
            self.sessions.append(session)

    def address(self) -> str:
        n = (self.address_base + self.filings // 3) % (1 << 24)
        self.filings += 1
        return f"10.{n >> 16}.{(n >> 8) & 255}.{n & 255}"

    def opinion(self, tag: str) -> dict[str, str]:
        rng = self.rng
        text = f"{rng.choice(PLACES)}{rng.choice(PROBLEMS)}，{rng.choice(WISHES)}[{tag}]"
        data = {"text": text, "place": rng.choice(PLACES)}
        if rng.random() < 0.5:
            data["anonymous"] = "on"
        else:
            data["name"] = rng.choice(["张", "王", "李", "赵", "刘"]) + rng.choice(
                ["伟", "芳", "强"]
            )
            data["phone"] = f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}"
        return data

    # --- the requests --------------------------------------------------------------------------

    async def bare(self, phase: PhaseResult) -> tuple[int, bool]:
        s = self.rng.choice(self.sessions)
        r = await self.pool.request(
            "POST",
            "/bench/insert/",
            form={"csrfmiddlewaretoken": s.token, "tag": f"{self.run}:{phase.name}"},
            cookies={"csrftoken": s.cookie},
        )
        ok = r.status == 200 and r.body.startswith(b"ok ")
        if ok:
            phase.acked.add(r.body[3:].decode())
        return r.status, ok

    def _filing_form(self, target: Target, s: Session, key: str, tag: str) -> dict[str, str]:
        form = {
            "csrfmiddlewaretoken": s.token,
            "step": "2",
            "key": key,
            "category": self.rng.choice(target.categories),
            **self.opinion(tag),
        }
        if target.villages and self.rng.random() < 0.7:
            form["village"] = self.rng.choice(target.villages)
        return form

    def _receipt(self, phase: PhaseResult, key: str, r: Response) -> bool:
        ok = r.status == 200 and NUMBER_RE.search(r.text()) is not None
        if ok:
            phase.acked.add(key)
        return ok

    async def submit(self, phase: PhaseResult) -> tuple[int, bool]:
        """The filing request: step 2 of the form with a fresh one-time key → the receipt."""
        target = self.rng.choice(self.targets)
        s = self.rng.choice(self.sessions)
        key = secrets.token_urlsafe(24)
        phase.sent.append(key)
        form = self._filing_form(target, s, key, f"{self.run}:{phase.name}")
        r = await self.pool.request(
            "POST",
            target.path,
            form=form,
            cookies={"csrftoken": s.cookie},
            headers={"X-Forwarded-For": self.address()},
        )
        return r.status, self._receipt(phase, key, r)

    async def flow(self, phase: PhaseResult) -> tuple[int, bool]:
        """A citizen's whole path: the form page, step 1 (similar cases), step 2 → receipt."""
        target = self.rng.choice(self.targets)
        s, key = await self.new_session(target)
        phase.sent.append(key)
        address = self.address()
        form = self._filing_form(target, s, key, f"{self.run}:{phase.name}")
        step1 = {k: v for k, v in form.items() if k in {"csrfmiddlewaretoken", "key", "category",
                                                       "text", "place", "village"}}  # fmt: skip
        step1["step"] = "1"
        r = await self.pool.request(
            "POST", target.path, form=step1, cookies={"csrftoken": s.cookie},
            headers={"X-Forwarded-For": address},
        )  # fmt: skip
        if r.status != 200 or 'name="step" value="2"' not in r.text():
            return r.status or 0, False
        r = await self.pool.request(
            "POST", target.path, form=form, cookies={"csrftoken": s.cookie},
            headers={"X-Forwarded-For": address},
        )  # fmt: skip
        return r.status, self._receipt(phase, key, r)

    def kind(self, endpoint: str) -> Any:
        return {"bare": self.bare, "submit": self.submit, "flow": self.flow}[endpoint]

    # --- load shapes ---------------------------------------------------------------------------

    async def _timed(self, phase: PhaseResult, call: Any, scheduled: float) -> None:
        status, ok, error = 0, False, ""
        try:
            status, ok = await asyncio.wait_for(call(phase), TIMEOUT_S)
        except TimeoutError:
            error = "timeout"
        except (Closed, ConnectionError, OSError) as e:
            error = type(e).__name__
        latency = (time.perf_counter() - scheduled) * 1000
        phase.samples.append(Sample(scheduled, latency, status, ok, error))

    async def closed_loop(self, name: str, endpoint: str, seconds: float, conc: int) -> PhaseResult:
        """Maximum throughput: ``conc`` clients, each sending its next request at once."""
        phase = PhaseResult(name, endpoint, "closed", None, seconds, concurrency=conc)
        call = self.kind(endpoint)
        warm = min(2.0, seconds / 4)
        cpu = time.process_time()
        server_cpu = workers_cpu_s(self.server_pid)
        start = time.perf_counter()
        stop = start + warm + seconds

        async def client() -> None:
            while time.perf_counter() < stop:
                await self._timed(phase, call, time.perf_counter())

        await asyncio.gather(*(client() for _ in range(conc)))
        phase.wall_s = time.perf_counter() - start
        phase.generator_cpu_s = time.process_time() - cpu
        phase.server_cpu_s = workers_cpu_s(self.server_pid) - server_cpu
        phase.served = len(phase.samples)
        # Only what completed in the measured window (after the warm-up) counts for throughput.
        window = [s for s in phase.samples if s.scheduled >= start + warm]
        counted = [s for s in window if s.scheduled + s.latency_ms / 1000 <= stop]
        phase.duration_s = seconds
        phase.samples = counted
        return phase

    async def open_loop(self, name: str, endpoint: str, times: list[float], rate: float | None,
                        mode: str = "open") -> PhaseResult:  # fmt: skip
        """Requests started on a fixed timetable (seconds from now), whatever the answers."""
        duration = times[-1] if times else 0.0
        phase = PhaseResult(name, endpoint, mode, rate, duration)
        call = self.kind(endpoint)
        tasks = []
        cpu = time.process_time()
        server_cpu = workers_cpu_s(self.server_pid)
        start = time.perf_counter() + 0.2
        for offset in times:
            at = start + offset
            delay = at - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(self._timed(phase, call, at)))
        await asyncio.gather(*tasks)
        phase.wall_s = time.perf_counter() - start
        phase.generator_cpu_s = time.process_time() - cpu
        phase.server_cpu_s = workers_cpu_s(self.server_pid) - server_cpu
        phase.served = len(phase.samples)
        phase.duration_s = max(duration, 1e-9)
        return phase


async def settle(bench: Bench, limit_s: float = 90.0) -> float:
    """Waits until the server answers a health check quickly again (the previous phase's
    backlog is worked off), so that phases do not measure each other."""
    start = time.perf_counter()
    quick = 0
    while quick < 3 and time.perf_counter() - start < limit_s:
        t = time.perf_counter()
        with contextlib.suppress(TimeoutError, Closed, OSError):
            await asyncio.wait_for(bench.pool.request("GET", "/healthz"), 10)
        quick = quick + 1 if time.perf_counter() - t < 0.05 else 0
        await asyncio.sleep(0.3)
    return time.perf_counter() - start


def constant(rate: float, seconds: float) -> list[float]:
    n = int(rate * seconds)
    return [i / rate for i in range(n)]


def ramp(peak: float, ramp_s: float, hold_s: float) -> list[float]:
    """Rate rising linearly from 0 to ``peak`` in ``ramp_s`` seconds, then held."""
    slope = peak / ramp_s
    n_ramp = int(slope * ramp_s * ramp_s / 2)
    times = [(2 * i / slope) ** 0.5 for i in range(n_ramp)]
    times += [ramp_s + i / peak for i in range(int(peak * hold_s))]
    return times


# --- the database -----------------------------------------------------------------------------


def db_conn(url: str) -> Any:
    import psycopg

    return psycopg.connect(url, autocommit=True)


def ensure_database(url: str, env: dict[str, str]) -> dict[str, Any]:
    """Creates the database if missing, migrates it, loads the demo if it has no station."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("select 1 from pg_database where datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'create database "{name}"')
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)  # noqa: S603
    with db_conn(url) as conn:
        stations = conn.execute("select count(*) from directory_station").fetchone()[0]
    loaded = False
    if not stations:
        subprocess.run([*manage, "load_demo"], env=env, check=True, cwd=ROOT)  # noqa: S603
        loaded = True
    static = Path(env.get("LIANXIN_VAR_DIR", ROOT / "var")) / "static" / "staticfiles.json"
    if not static.exists():
        subprocess.run(  # noqa: S603
            [*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT
        )
    with db_conn(url) as conn:
        facts = {
            "postgresql": conn.execute("show server_version").fetchone()[0],
            "max_connections": int(conn.execute("show max_connections").fetchone()[0]),
            "synchronous_commit": conn.execute("show synchronous_commit").fetchone()[0],
            "cases_before": conn.execute("select count(*) from cases_case").fetchone()[0],
            "stations": conn.execute("select count(*) from directory_station").fetchone()[0],
            "loaded_demo": loaded,
        }
    return facts


def station_paths(url: str, limit: int = 60) -> list[str]:
    with db_conn(url) as conn:
        rows = conn.execute(
            "select public_key from directory_station where is_active order by id limit %s",
            [limit],
        ).fetchall()
    return [f"/p/s/{key}/opinion/" for (key,) in rows]


def count_stored(url: str, phase: PhaseResult) -> None:
    """How many of what the phase sent are in the database, and acknowledged ones missing."""
    with db_conn(url) as conn:
        if phase.endpoint == "bare":
            tag = phase.name and f"{RUN}:{phase.name}"
            ids = [int(i) for i in phase.acked]
            phase.stored = conn.execute(
                "select count(*) from bench_load_barerow where tag = %s", [tag]
            ).fetchone()[0]
            found = conn.execute(
                "select count(*) from bench_load_barerow where id = any(%s) and tag = %s",
                [ids, tag],
            ).fetchone()[0]
        else:
            # Stored = acknowledged durably: an intake row (decision 0010) or, for a filing
            # with photos, its case; registered = those whose case is filed already.
            stored_keys = (
                "select submission_key from portal_intake where submission_key = any(%s)"
                " union select submission_key from cases_casecitizen"
                " where submission_key = any(%s)"
            )
            keys = list(phase.sent)
            phase.stored = conn.execute(
                f"select count(*) from ({stored_keys}) k",  # noqa: S608 - constant text
                [keys, keys],
            ).fetchone()[0]
            phase.registered = conn.execute(
                "select count(distinct case_id) from cases_casecitizen"
                " where submission_key = any(%s)",
                [keys],
            ).fetchone()[0]
            acked = list(phase.acked)
            found = conn.execute(
                f"select count(*) from ({stored_keys}) k",  # noqa: S608 - constant text
                [acked, acked],
            ).fetchone()[0]
    phase.acked_lost = len(phase.acked) - found


# --- the server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(url: str, port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.load.settings",
            "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}",
            "DATABASE_URL": url,
            "REDIS_URL": REDIS_URL,
            "DEBUG": "false",
            "LIANXIN_TRUSTED_PROXY_HEADER": "X-Forwarded-For",
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "LOG_LEVEL": env.get("LOG_LEVEL", "WARNING"),
        }
    )
    env.pop("LIANXIN_TESTING", None)
    return env


def start_server(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    out = log.open("wb")
    proc = subprocess.Popen(  # noqa: S603
        [
            str(gunicorn),
            "-c",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            # No control socket: its default path is shared by every gunicorn of the account,
            # and other servers may run on this machine; serving is unchanged.
            "--no-control-socket",
            "lianxin.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    port = int(env["PORT"])
    for _ in range(200):
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited; see {log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise RuntimeError("gunicorn did not start")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=25)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --- facts ------------------------------------------------------------------------------------


def machine_facts() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except OSError:
        mem_kb = 0
    commit = subprocess.run(
        ["/usr/bin/git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_before": os.getloadavg(),
        "commit": commit,
    }


def gunicorn_facts(env: dict[str, str]) -> dict[str, Any]:
    return {
        "config": "deploy/gunicorn.conf.py",
        "worker_class": "gthread",
        "workers": int(env.get("WEB_CONCURRENCY", "2")),
        "threads": int(env.get("GUNICORN_THREADS", "4")),
        "keepalive_s": 2,
        "conn_max_age": int(env.get("CONN_MAX_AGE", "600")),
        "conn_health_checks": True,
        "cache": f"Redis {REDIS_URL}",
        "debug": False,
        "settings": "bench.load.settings (lianxin.settings + bare view + idle query counter)",
        "flood_limits": "production defaults; client address from X-Forwarded-For "
        "(LIANXIN_TRUSTED_PROXY_HEADER), one address per 3 simulated filings",
    }


# --- profiling: statements per request --------------------------------------------------------


async def profile(bench: Bench) -> dict[str, Any]:
    """Statements of one bare insert, one step 1 and one filing (bench middleware)."""
    out: dict[str, Any] = {}
    target = bench.targets[0]
    s, key = await bench.new_session(target)
    count = {"X-Bench-Queries": "1"}
    r = await bench.pool.request(
        "POST", "/bench/insert/", form={"csrfmiddlewaretoken": s.token, "tag": f"{RUN}:profile"},
        cookies={"csrftoken": s.cookie}, headers=count,
    )  # fmt: skip
    out["bare"] = {"queries": int(r.headers.get("x-bench-queries", -1)),
                   "statements": json.loads(r.headers.get("x-bench-statements", "[]"))}  # fmt: skip
    phase = PhaseResult("profile", "submit", "once", None, 0)
    form = bench._filing_form(target, s, key, f"{RUN}:profile")
    step1 = {k: v for k, v in form.items() if k != "step"} | {"step": "1"}
    headers = count | {"X-Forwarded-For": bench.address()}
    for name, data in (("step1", step1), ("filing", form)):
        r = await bench.pool.request("POST", target.path, form=data,
                                     cookies={"csrftoken": s.cookie}, headers=headers)  # fmt: skip
        out[name] = {"status": r.status, "queries": int(r.headers.get("x-bench-queries", -1)),
                     "statements": json.loads(r.headers.get("x-bench-statements", "[]"))}  # fmt: skip
    bench._receipt(phase, key, r)
    return out


# --- the run ----------------------------------------------------------------------------------

RUN = ""


async def load_targets(bench: Bench, paths: list[str]) -> None:
    for path in paths:
        r = await bench.pool.request("GET", path)
        if r.status != 200:
            continue
        selects = dict(SELECT_RE.findall(r.text()))
        categories = OPTION_RE.findall(selects.get("category", ""))
        if categories:
            villages = OPTION_RE.findall(selects.get("village", ""))
            bench.targets.append(Target(path, categories, villages))
    if not bench.targets:
        raise RuntimeError("no station form with categories: is the database loaded?")


async def run_phases(args: argparse.Namespace, url: str, port: int,
                     server_pid: int) -> dict[str, Any]:  # fmt: skip
    preset = dict(PRESETS[args.scale])
    if args.soak is not None:
        preset["soak"] = args.soak
    if args.burst_hold is not None:
        preset["burst_hold"] = args.burst_hold
    bench = Bench("127.0.0.1", port, RUN, [], server_pid)
    await load_targets(bench, station_paths(url))
    await bench.prepare_sessions(64)
    log = print
    phases: list[PhaseResult] = []
    conc = int(preset["concurrency"])
    max_s = float(args.duration or preset["max"])
    const_s = float(args.duration or preset["const"])

    async def done(phase: PhaseResult) -> PhaseResult:
        phase.settle_s = await settle(bench)
        count_stored(url, phase)
        phases.append(phase)
        s = phase.summary()
        log(f"  {s['name']:<14} {s['endpoint']:<6} offered {s['offered_per_s']}/s achieved "
            f"{s['achieved_per_s']}/s p50 {s['p50_ms']} p99 {s['p99_ms']} ms "
            f"ok {s['ok']}/{s['requests']} acked {s['acknowledged']} stored {s['stored']} "
            f"registered {s['registered']} "
            f"{s['statuses']}")  # fmt: skip
        return phase

    log("warming up")
    await bench.closed_loop("warmup", "submit", 2, 4)
    log("maximum throughput (closed loop)")
    bare_max = await done(await bench.closed_loop("max-bare", "bare", max_s, conc))
    submit_max = await done(await bench.closed_loop("max-submit", "submit", max_s, conc))
    flow_max = await done(await bench.closed_loop("max-flow", "flow", max_s, conc))
    bare_rate = bare_max.summary()["achieved_per_s"] or 1.0
    rate = args.rate or round(BUDGET_RATIO * bare_rate, 1)
    log(f"constant rate {rate}/s (offered to both endpoints)")
    await done(await bench.open_loop("const-bare", "bare", constant(rate, const_s), rate))
    # At the budget's rate an endpoint far slower than that is overloaded: a few seconds show
    # it (latency grows without bound) without queueing minutes of work.
    submit_cap = submit_max.summary()["achieved_per_s"] or 1.0
    over_s = const_s if rate <= 1.5 * submit_cap else min(const_s, 5.0)
    await done(await bench.open_loop("const-submit", "submit", constant(rate, over_s), rate))
    sub_rate = round(0.7 * (submit_max.summary()["achieved_per_s"] or 1.0), 1)
    await done(await bench.open_loop("const-submit70", "submit", constant(sub_rate, const_s),
                                     sub_rate))  # fmt: skip
    flow_rate = round(0.7 * (flow_max.summary()["achieved_per_s"] or 1.0), 1)
    await done(await bench.open_loop("const-flow70", "flow", constant(flow_rate, const_s),
                                     flow_rate))  # fmt: skip
    log("burst: 0 → 200 submissions/s within 10 s")
    await done(await bench.open_loop("burst", "submit", ramp(200, 10, preset["burst_hold"]), 200,
                                     mode="ramp"))  # fmt: skip
    if preset["soak"]:
        # A soak finds leaks and slow drifts at a load the server can carry: the budget's rate
        # if the submission keeps up with it, else 70% of the submission's own maximum.
        soak_rate = rate if rate <= sub_rate else sub_rate
        log(f"soak: {preset['soak']:.0f} s at {soak_rate}/s")
        await done(
            await bench.open_loop("soak", "submit", constant(soak_rate, preset["soak"]), soak_rate)
        )
    queries = await profile(bench)
    await bench.pool.close()
    return {
        "rate": rate,
        "phases": [p.summary() for p in phases],
        "queries": queries,
        "connections_opened": bench.pool.opened_total,
        "simulated_addresses": bench.filings // 3 + 1,
    }


def verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("met" if ok else "MISSED")


def report(result: dict[str, Any]) -> tuple[dict[str, Any], str]:
    by = {p["name"]: p for p in result["phases"]}
    bare, sub, flow = by["max-bare"], by["max-submit"], by["max-flow"]
    ratio = (sub["achieved_per_s"] or 0) / (bare["achieved_per_s"] or 1)
    flow_ratio = (flow["achieved_per_s"] or 0) / (bare["achieved_per_s"] or 1)
    const, own = by["const-submit"], by["const-submit70"]
    p99 = const["p99_ms"]
    submits = [p for p in result["phases"] if p["endpoint"] in {"submit", "flow"}]
    acked = sum(p["acknowledged"] for p in submits)
    stored = sum(p["stored"] or 0 for p in submits)
    registered = sum(p.get("registered") or 0 for p in submits)
    lost = sum(p["acknowledged_not_stored"] or 0 for p in submits)
    cpu_bare, cpu_sub = bare.get("server_cpu_ms_per_request"), sub.get("server_cpu_ms_per_request")
    cpu_ratio = cpu_bare / cpu_sub if cpu_bare and cpu_sub else None
    figures = {
        "throughput_ratio": round(ratio, 3),
        "server_cpu_ratio": round(cpu_ratio, 3) if cpu_ratio else None,
        "flow_throughput_ratio": round(flow_ratio, 3),
        "p99_at_rate_ms": p99,
        "acknowledged": acked,
        "stored": stored,
        "registered": registered,
        "acknowledged_lost": lost,
        "verdicts": {
            "throughput_ratio": verdict(ratio >= BUDGET_RATIO),
            "p99": verdict(
                p99 is not None and p99 < BUDGET_P99_MS and const["ok"] == const["requests"]
            ),
            "no_loss": verdict(lost == 0),
        },
    }
    v = figures["verdicts"]
    f, g = result["facts"], result["server"]
    lines = [
        "## Citizens' QR submission under load (`bench/submit_load.py`)",
        "",
        f"Run `{RUN}`, {result['started']} – {result['finished']} UTC, scale `{result['scale']}`,"
        f" commit `{f['machine']['commit']}`.",
        "",
        "| figure | measured | budget | verdict |",
        "|---|---|---|---|",
        f"| submission max ÷ bare INSERT max (closed loop, {bare['concurrency']} clients) | "
        f"{sub['achieved_per_s']}/s ÷ {bare['achieved_per_s']}/s = **{ratio:.0%}** | ≥ 70% | "
        f"{v['throughput_ratio']} |",
        f"| p99 of submissions at {result['rate']}/s (70% of bare max), open loop | "
        f"**{p99} ms** (achieved {const['achieved_per_s']}/s, {const['ok']} of "
        f"{const['requests']} answered in {TIMEOUT_S:.0f} s) | < 200 ms | {v['p99']} |",
        f"| acknowledged vs stored submissions (all phases) | {acked} acknowledged, {stored} "
        f"stored (intakes), {lost} acknowledged but missing | equal | {v['no_loss']} |",
        f"| of those stored, cases registered by the end of each phase | {registered} "
        f"| (information: a task or the sweep registers the rest) | — |",
        f"| p99 of submissions at {own['offered_per_s']}/s (70% of the submission's own max) |"
        f" {own['p99_ms']} ms (achieved {own['achieved_per_s']}/s) | (information) | — |",
        f"| gunicorn workers' CPU per request, bare INSERT ÷ submission (closed loop; what "
        f"the throughput ratio would be if the web workers alone were the bottleneck and "
        f"nothing else ran) | {cpu_bare} ms ÷ {cpu_sub} ms = "
        f"{f'{cpu_ratio:.0%}' if cpu_ratio else '—'} | (information) | — |",
        f"| whole citizen path (form page + step 1 + step 2) max ÷ bare max | "
        f"{flow['achieved_per_s']}/s ÷ {bare['achieved_per_s']}/s = {flow_ratio:.0%} | "
        f"(information) | — |",
        "",
        "| phase | endpoint | offered/s | achieved/s | p50 | p95 | p99 | p99.9 | max (ms) |"
        " ok / sent | acked | stored | statuses | generator CPU / wall (s) |"
        " workers' CPU ms / request |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for p in result["phases"]:
        offered = p["offered_per_s"] if p["mode"] != "closed" else f"closed ×{p['concurrency']}"
        if p["mode"] == "ramp":
            offered = f"ramp 0→{p['offered_per_s']}"
        lines.append(
            f"| {p['name']} | {p['endpoint']} | {offered} | {p['achieved_per_s']} | "
            f"{p['p50_ms']} | {p['p95_ms']} | {p['p99_ms']} | {p['p999_ms']} | {p['max_ms']} | "
            f"{p['ok']} / {p['requests']} | {p['acknowledged']} | {p['stored']} | "
            f"{', '.join(f'{k}: {n}' for k, n in sorted(p['statuses'].items()))} | "
            f"{p['generator_cpu_s']} / {p['wall_s']} | "
            f"{p.get('server_cpu_ms_per_request')} |"
        )
    q = result["queries"]
    lines += [
        "",
        f"SQL statements per request: bare insert {q['bare']['queries']}, step 1 "
        f"{q['step1']['queries']}, filing (step 2 → receipt) {q['filing']['queries']}.",
        "",
        "Settings: "
        f"{f['machine']['cores']} cores ({f['machine']['cpu']}), {f['machine']['ram_gb']} GB RAM; "
        f"PostgreSQL {f['database']['postgresql']} on the same machine "
        f"(synchronous_commit={f['database']['synchronous_commit']}); gunicorn "
        f"{g['workers']} workers × {g['threads']} threads ({g['worker_class']}, "
        f"{g['config']}), CONN_MAX_AGE={g['conn_max_age']}, cache {g['cache']}, DEBUG off; "
        "load generator: bench/load/http.py (asyncio, one process, open loop, latency from the "
        "scheduled start) on the same 2 cores as server and database, so it takes CPU from "
        "them; other work on the machine makes the numbers noisy. Flood limits: "
        f"{g['flood_limits']}. A submission = the filing POST (step 2) with its own one-time "
        "key, CSRF token and address, spread over the stations' QR forms; `flow` phases are "
        "the whole path, three requests per submission. Closed-loop rows count the measured "
        "window (after a short warm-up); acked and stored count every request of the phase.",
    ]
    return figures, "\n".join(lines) + "\n"


def main() -> int:
    global RUN
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument("--scale", choices=sorted(PRESETS), default="small")
    parser.add_argument("--rate", type=float, default=None,
                        help="offered rate of the constant-rate phases (default 70%% of the "
                        "bare view's maximum)")  # fmt: skip
    parser.add_argument(
        "--duration",
        type=float,
        default=None,
        help="seconds of each max and constant-rate phase (default by scale)",
    )
    parser.add_argument(
        "--soak",
        type=float,
        default=None,
        help="seconds of the soak (default: 1800 at full scale, none at small)",
    )
    parser.add_argument(
        "--burst-hold",
        type=float,
        default=None,
        help="seconds the burst holds 200/s after its ramp (default by scale)",
    )
    parser.add_argument("--out", default=str(ROOT / "var" / "bench"))
    args = parser.parse_args()
    RUN = "lb" + dt.datetime.now(dt.UTC).strftime("%m%d%H%M%S")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = server_env(args.database_url, port)
    os.environ.update({k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL")})
    started = dt.datetime.now(dt.UTC)
    print(f"run {RUN}: preparing {args.database_url}")
    database = ensure_database(args.database_url, env)
    server = start_server(env, out / "submit_load.server.log")
    print(f"gunicorn on 127.0.0.1:{port} (pid {server.pid})")
    try:
        result = asyncio.run(run_phases(args, args.database_url, port, server.pid))
    finally:
        stop_server(server)
    result.update(
        {
            "run": RUN,
            "scale": args.scale,
            "started": started.strftime("%Y-%m-%d %H:%M:%S"),
            "finished": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S"),
            "facts": {
                "machine": machine_facts() | {"load_average_after": os.getloadavg()},
                "database": database | {"url": args.database_url, "where": "same machine"},
                "load_generator": {
                    "tool": "bench/load/http.py (asyncio, stdlib, open loop)",
                    "where": "same machine, one process",
                    "timeout_s": TIMEOUT_S,
                },
            },
            "server": gunicorn_facts(env),
            "budget": {"ratio": BUDGET_RATIO, "p99_ms": BUDGET_P99_MS},
        }
    )
    figures, markdown = report(result)
    result["figures"] = figures
    (out / "submit_load.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    (out / "submit_load.md").write_text(markdown)
    print(markdown)
    # 3 = ran to the end but missed a budget (bench.common.BUDGET_MISSED); a crash exits 1.
    return 0 if all(v == "met" for v in figures["verdicts"].values()) else 3


if __name__ == "__main__":
    sys.exit(main())
