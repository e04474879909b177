"""When PostgreSQL stops answering, /healthz says so in time and pages say so in their language.

The server that "stops answering" is a black hole: a local TCP socket that accepts
connections and never says a word (what a frozen or overloaded server, or a half-open
network path, looks like to a client). A real throwaway cluster, stopped, is tried too when
`initdb` is installed. The shared PostgreSQL of the test run is never touched.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.test import Client

pytestmark = pytest.mark.django_db

PG_BIN = Path("/usr/lib/postgresql/15/bin")


@pytest.fixture
def black_hole() -> Iterator[int]:
    """A port whose listener accepts TCP connections and never answers them."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            accepted.append(conn)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()


def _postgres_settings(port: int) -> dict[str, Any]:
    current = connections.settings["default"]
    return {
        **current,
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "postgres",
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        # The settings' connect timeout (tests/settings/test_env.py checks base.py sets one);
        # 2 s is the shortest libpq accepts.
        "OPTIONS": {"connect_timeout": 2},
    }


@pytest.fixture
def database_at(monkeypatch: Any) -> Iterator[Any]:
    """Connections opened from now on, in other threads, go to the given port.

    The test's own connection (and its transaction) is left alone: Django opens one connection
    per thread, so the request under test runs in a thread of its own, like a server worker.
    """

    def point(port: int) -> None:
        monkeypatch.setitem(connections.settings, "default", _postgres_settings(port))

    yield point
    for thread in threading.enumerate():  # let a health probe still waiting finish first
        if thread.name == "ortaq-healthz":
            thread.join(10)


def _get_in_a_thread(path: str, **headers: str) -> Any:
    result: dict[str, Any] = {}

    def run() -> None:
        try:
            result["response"] = Client(raise_request_exception=False).get(path, **headers)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    assert not thread.is_alive(), f"GET {path} still hangs after 30 s"
    return result["response"]


def test_healthz_answers_503_within_two_seconds_when_the_database_never_answers(
    black_hole: int, database_at: Any
) -> None:
    assert Client().get("/healthz").status_code == 200  # and the URLs are loaded before timing
    database_at(black_hole)
    started = time.monotonic()
    response = _get_in_a_thread("/healthz")
    elapsed = time.monotonic() - started
    assert (response.status_code, response.json()) == (
        503,
        {"status": "unavailable", "database": "down"},
    )
    assert elapsed < 2.0


def test_pages_show_the_unavailable_page_in_the_users_language_when_the_database_never_answers(
    black_hole: int, database_at: Any
) -> None:
    database_at(black_hole)
    response = _get_in_a_thread("/ru/funding/")
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Сервис временно недоступен" in html
    assert 'lang="ru"' in html


def test_the_unavailable_page_exists_in_kazakh() -> None:
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("kk"):
        html = render_to_string("503.html")
    assert "Қызмет уақытша қолжетімсіз" in html


@dataclass
class Cluster:
    port: int
    data: Path
    pg_ctl: list[str]

    def postmaster_pid(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split()[0])


@pytest.fixture
def own_cluster() -> Iterator[Cluster]:
    """A real throwaway PostgreSQL cluster of our own on a free port, removed afterwards."""
    initdb = PG_BIN / "initdb"
    if not initdb.exists():
        if os.environ.get("CI"):
            pytest.fail("initdb is missing on CI")
        pytest.skip("PostgreSQL server binaries are not installed")
    data = Path(tempfile.mkdtemp(prefix="ortaq-pg-"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    as_postgres: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        shutil.chown(data, "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    run = [*as_postgres, str(initdb), "-D", str(data), "-A", "trust", "-U", "postgres"]
    subprocess.run(run, check=True, capture_output=True, timeout=120)
    cluster = Cluster(port, data, [*as_postgres, str(PG_BIN / "pg_ctl"), "-D", str(data), "-w"])
    options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off"
    # The server's output goes to a log file: inheriting our pipe would keep run() waiting.
    start = [*cluster.pg_ctl, "-l", str(data / "log"), "-o", options, "start"]
    subprocess.run(start, check=True, capture_output=True, timeout=60)
    try:
        yield cluster
    finally:
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            os.kill(cluster.postmaster_pid(), signal.SIGCONT)
        stop = [*cluster.pg_ctl, "stop", "-m", "immediate"]
        subprocess.run(stop, check=False, capture_output=True, timeout=60)
        shutil.rmtree(data, ignore_errors=True)


def test_healthz_follows_a_real_cluster_that_freezes_and_stops(
    own_cluster: Cluster, database_at: Any
) -> None:
    database_at(own_cluster.port)
    assert _get_in_a_thread("/healthz").status_code == 200

    os.kill(own_cluster.postmaster_pid(), signal.SIGSTOP)  # accepts, never answers
    started = time.monotonic()
    frozen = _get_in_a_thread("/healthz")
    assert (frozen.status_code, time.monotonic() - started < 2.0) == (503, True)
    os.kill(own_cluster.postmaster_pid(), signal.SIGCONT)

    subprocess.run([*own_cluster.pg_ctl, "stop", "-m", "fast"], check=True, timeout=60)
    for thread in threading.enumerate():
        if thread.name == "ortaq-healthz":
            thread.join(10)
    stopped = _get_in_a_thread("/healthz")
    assert (stopped.status_code, stopped.json()["database"]) == (503, "down")
