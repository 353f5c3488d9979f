"""`semicluster bench load`: the platform under 50 concurrent simulated users.

Starts gunicorn with the production settings on the configured database (PostgreSQL in a real
run), logs each simulated user in as one of the demo accounts, and for a bounded time has them walk
the pages officials use most (home, cockpit, filtered lists, enterprise and project pages, an
export). Prints throughput, p50/p95/p99 latency per page kind and errors, beside the latency of
the health check measured in the same run (the floor). Traffic goes to 127.0.0.1 only.

Users behave as people do, as load-testing tools model them: they arrive over a ramp-up period (a
password hash costs ~0.3 s of CPU on purpose, and fifty officials do not press "log in" in the same
second) and read each page for a think time before the next click (exponential, mean ``--think``).
``--think 0 --ramp-up 0`` turns this into a saturation test: every user clicks again the moment a
page arrives, which measures capacity rather than the experience of 50 users.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.test import override_settings
from django.urls import NoReverseMatch, reverse

from semicluster.accounts.selectors import DEMO_PASSWORD


class Client:
    """One simulated user: a keep-alive connection with its own cookies."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict[str, str] | None = None) -> tuple[int, bytes]:
        headers = {"Host": "127.0.0.1", "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                payload = response.read()
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, payload

    def login(self, username: str) -> bool:
        status, page = self.request("GET", "/accounts/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not match:
            return False
        body = {
            "csrfmiddlewaretoken": match.group(1).decode(),
            "username": username,
            "password": DEMO_PASSWORD,
        }
        status, _ = self.request("POST", "/accounts/login/", body)
        return status == 302


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _paths() -> dict[str, list[str]]:
    """The page kinds to visit, by what exists in this installation."""
    from semicluster.enterprises.models import Enterprise

    firms = list(Enterprise.objects.order_by("?").values_list("pk", "area__code", "primary_node__code")[:40])
    pages: dict[str, list[str]] = {
        "home": [reverse("core:home")],
        "enterprise list": [reverse("enterprises:list") + f"?area={a}&node={n}" for _, a, n in firms[:10]]
        + [reverse("enterprises:list") + "?q=%E8%8A%AF"],
        "enterprise page": [reverse("enterprises:detail", args=[pk]) for pk, _, _ in firms],
    }
    optional: dict[str, tuple[str, list[str], str]] = {
        "cockpit": ("monitoring:cockpit", [], ""),
        "project list": ("projects:list", [], ""),
        "export (xlsx)": ("intake:export_enterprises", ["xlsx"], f"?area={firms[0][1]}" if firms else ""),
    }
    for kind, (name, args, query) in optional.items():
        try:
            pages[kind] = [reverse(name, args=args) + query]
        except NoReverseMatch:
            continue
    try:
        from semicluster.projects.models import Project  # type: ignore[attr-defined]

        ids = list(Project.objects.order_by("?").values_list("pk", flat=True)[:30])
        pages["project page"] = [reverse("projects:detail", args=[pk]) for pk in ids]
    except (ImportError, NoReverseMatch, LookupError, DatabaseError):
        pass
    return {kind: paths for kind, paths in pages.items() if paths}


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def run(out: Any, argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="semicluster bench load")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load (bounded)")
    parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 1) * 2))
    parser.add_argument("--threads", type=int, default=2, help="gunicorn threads per worker")
    parser.add_argument("--think", type=float, default=3.0, help="mean seconds a user reads a page")
    parser.add_argument("--ramp-up", type=float, default=30.0, help="seconds over which users arrive")
    options = parser.parse_args(argv)
    if options.duration > 600:
        parser.error("--duration is limited to 600 seconds")
    from semicluster.accounts.selectors import demo_logins

    with override_settings(SEMICLUSTER_DEMO_MODE=True):
        usernames = [user.username for user in demo_logins()]
    if not usernames:
        out.write("no demo log-ins in this database: run `semicluster demo` first\n")
        return 1
    pages = _paths()
    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    port = _free_port()
    var_dir = Path(settings.VAR_DIR)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "semicluster.config.settings.production",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-" + uuid.uuid4().hex * 2,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SEMICLUSTER_DEMO_MODE": "true",
        "SEMICLUSTER_VAR_DIR": str(var_dir),
        "AXES_FAILURE_LIMIT": "1000",
    }
    env.setdefault("DATABASE_URL", f"sqlite:///{settings.DATABASES['default']['NAME']}")
    subprocess.run([sys.executable, "-m", "django", "collectstatic", "--noinput", "-v0"], env=env, check=True)
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    command = [gunicorn, "semicluster.config.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(options.workers), "--worker-class", "gthread"]
    command += ["--threads", str(options.threads)]
    server = subprocess.Popen(
        [*command, "--keep-alive", "30", "--preload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        probe = Client(port)
        for _ in range(100):
            try:
                if probe.request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        floor = []
        for _ in range(50):
            started = time.perf_counter()
            probe.request("GET", "/healthz")
            floor.append(time.perf_counter() - started)
        latencies: dict[str, list[float]] = defaultdict(list)
        errors: dict[str, int] = defaultdict(int)
        refused: dict[str, int] = defaultdict(int)
        lock = threading.Lock()
        deadline = time.monotonic() + options.ramp_up + options.duration
        rng = random.Random(2025)  # the load mix, not security
        seeds = [rng.randrange(1 << 30) for _ in range(options.users)]

        def pause(local: random.Random) -> None:
            if options.think > 0:
                time.sleep(min(local.expovariate(1 / options.think), max(0.0, deadline - time.monotonic())))

        def user(index: int) -> None:
            local = random.Random(seeds[index])
            time.sleep(options.ramp_up * index / max(1, options.users))
            client = Client(port)
            username = usernames[index % len(usernames)]
            started = time.perf_counter()
            ok = client.login(username)
            with lock:
                latencies["log in"].append(time.perf_counter() - started)
                if not ok:
                    errors["log in"] += 1
            if not ok:
                return
            kinds = list(pages)
            while time.monotonic() < deadline:
                pause(local)
                if time.monotonic() >= deadline:
                    break
                kind = local.choice(kinds)
                path = local.choice(pages[kind])
                started = time.perf_counter()
                try:
                    status, _ = client.request("GET", path)
                except OSError:
                    status = 0
                elapsed = time.perf_counter() - started
                with lock:
                    latencies[kind].append(elapsed)
                    # 404 and 403 are correct answers for a district officer opening another area's
                    # firm or an enterprise user asking for the library export; they are counted apart.
                    if status in (403, 404):
                        refused[kind] += 1
                    elif status != 200:
                        errors[f"{kind} ({status})"] += 1

        threads = [threading.Thread(target=user, args=(i,)) for i in range(options.users)]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - began
    finally:
        server.terminate()
        server.wait(timeout=20)
    total = sum(len(v) for k, v in latencies.items() if k != "log in")
    out.write(
        f"load: {options.users} users arriving over {options.ramp_up:.0f} s, then {options.duration:.0f} s; "
        f"think time {options.think:.1f} s (mean); gunicorn {options.workers} workers × "
        f"{options.threads} threads; database {database}\n"
    )
    out.write(f"floor (GET /healthz, same run): p50 {statistics.median(floor) * 1000:.1f} ms\n")
    out.write(f"{'page':<18}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}\n")
    all_pages: list[float] = []
    for kind in sorted(latencies):
        values = latencies[kind]
        if kind != "log in":
            all_pages.extend(values)
        out.write(
            f"{kind:<18}{len(values):>9}{_percentile(values, 50) * 1000:>9.0f}"
            f"{_percentile(values, 95) * 1000:>9.0f}{_percentile(values, 99) * 1000:>9.0f}\n"
        )
    if all_pages:
        p95 = _percentile(all_pages, 95)
        out.write(
            f"all pages: {total} requests, {total / wall:.1f} req/s, p95 {p95 * 1000:.0f} ms "
            f"({p95 / statistics.median(floor):.0f}× the floor), errors {sum(errors.values())}\n"
        )
    for kind, count in sorted(refused.items()):
        out.write(f"  refused by scope (403/404, correct): {kind}: {count}\n")
    for kind, count in sorted(errors.items()):
        out.write(f"  error: {kind}: {count}\n")
    return 1 if errors else 0


BENCHMARKS = {"load": run}
