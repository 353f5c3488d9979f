"""The deployment guide as written: production settings on PostgreSQL, migrate, plan load,
collectstatic, gunicorn, health check and a static file — in a separate process on 127.0.0.1 — then the
nightly jobs script and a backup, as the systemd timers run them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres", "dbname": "postgres", "connect_timeout": 3}
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.slow
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="runs in the PostgreSQL pass of the suite (production is PostgreSQL)",
)
def test_the_guide_deploys_a_working_site_with_production_settings(tmp_path):
    dbname = f"sc_deploy_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(**PG, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{dbname}"')
    port = free_port()
    # A deployment's environment: nothing a test process set for itself (the browser tests' async flag).
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "semicluster.config.settings.production",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{dbname}",
        "SECRET_KEY": "deployment-test-" + uuid.uuid4().hex * 2,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SEMICLUSTER_VAR_DIR": str(tmp_path),
        "SECURE_SSL_REDIRECT": "false",  # TLS is nginx's job; the test talks plain HTTP on loopback
        "SEMICLUSTER_DEMO_MODE": "false",
    }
    sc = str(BIN / "semicluster")

    def run(*args: str, environment: dict[str, str] = env) -> None:
        done = subprocess.run([sc, *args], env=environment, capture_output=True, text=True, check=False)
        assert done.returncode == 0, f"semicluster {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"

    server = None
    try:
        # The check runs with the settings as deployed (HTTPS redirect on).
        run(
            "check", "--deploy", "--fail-level", "WARNING", environment={**env, "SECURE_SSL_REDIRECT": "true"}
        )
        run("migrate", "-v0")
        run("plan", "load", str(settings.SEMICLUSTER_DEFAULT_PLAN))
        run("collectstatic", "--noinput", "-v0")
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "semicluster.config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--preload",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(60):
            try:
                health = urllib.request.urlopen(f"{base}/healthz", timeout=2).read()  # noqa: S310 - loopback
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("gunicorn did not answer on /healthz")
        assert b'"status": "ok"' in health
        login = urllib.request.urlopen(f"{base}/accounts/login/", timeout=5)  # noqa: S310
        assert login.status == 200
        assert "unsafe-inline" not in login.headers["Content-Security-Policy"]
        css = urllib.request.urlopen(f"{base}/static/vendor/bootstrap/css/bootstrap.min.css", timeout=5)  # noqa: S310
        assert css.status == 200
        # The nightly jobs and the backup, as the timers run them.
        jobs = subprocess.run(
            ["sh", str(settings.BASE_DIR / "deploy" / "run-jobs.sh")],
            env={**env, "SEMICLUSTER_BIN": sc},
            capture_output=True,
            text=True,
            check=False,
        )
        assert jobs.returncode == 0, f"run-jobs.sh failed:\n{jobs.stdout}\n{jobs.stderr}"
        run("backup", "-o", str(tmp_path / "backup.zip"))
        assert (tmp_path / "backup.zip").stat().st_size > 0
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        with psycopg.connect(**PG, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
