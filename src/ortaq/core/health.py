"""Does the database answer? Asked by /healthz, which must answer in time even when it does not."""

from __future__ import annotations

import threading

from django.db import DatabaseError, connections

# The load balancer waits 2 s; libpq cannot give up connecting sooner than 2 s.
PROBE_TIMEOUT = 1.5

_lock = threading.Lock()
_in_flight: threading.Thread | None = None


def database_answers(*, alias: str = "default", timeout: float = PROBE_TIMEOUT) -> bool:
    """True when a fresh connection runs `SELECT 1` within `timeout` seconds.

    The probe runs in a thread of its own, with its own connection (closed afterwards), so
    the answer comes in time even from a server that accepts connections and never replies.
    While an earlier probe still hangs no second one is started: the answer is "no" at once,
    and a dead server never costs more than one waiting thread per process.
    """
    global _in_flight
    result: list[bool] = []
    with _lock:
        if _in_flight is not None and _in_flight.is_alive():
            return False
        _in_flight = threading.Thread(
            target=_probe, args=(alias, result), name="ortaq-healthz", daemon=True
        )
        _in_flight.start()
        probe = _in_flight
    probe.join(timeout)
    return result == [True]


def _probe(alias: str, result: list[bool]) -> None:
    connection = connections[alias]  # this thread's own connection
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        result.append(True)
    except DatabaseError:
        result.append(False)
    finally:
        connection.close()
